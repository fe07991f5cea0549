// `superpose schema [KIND] [--json]`: the keys each experiment kind's configure() takes (name,
// type, default, range or choices, help, unit, CLI flag), read from each config's one field
// description (core/schema.hpp) through the same Session objects the pages drive. --json prints
// what the wasm module's schema(kind) answers (docs/wasm-api.md, "Schemas"); without a KIND,
// every kind as {kind: schema}. Not here: the CLI flags of a command (superpose KIND --help).
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/schema.hpp"
#include "session/session.hpp"

namespace superpose::cli {

namespace {
const char* kSchemaHelp = R"(usage: superpose schema [KIND] [--json]
The config keys of each experiment kind (what a page or a config file may set), with their type,
default, allowed range or values and CLI flag; KIND is one of the kinds below (default: all).
  --json                    print {kind, fields: [{name, type, default, min, max, min_open,
                            max_open, max_field, choices, help, unit, flag}]} (all kinds:
                            {KIND: that, ...})
)";

std::string allowed_text(const Json& f) {
  if (f["choices"].is_array()) {
    std::string out;
    for (const Json& c : f["choices"]) out += (out.empty() ? "" : "|") + c.get<std::string>();
    return out;
  }
  if (f["min"].is_null() && f["max"].is_null()) return "";
  std::string out = f["min_open"].get<bool>() ? "(" : "[";
  out += f["min"].is_null() ? "-inf" : format_number(f["min"].get<double>());
  out += ", ";
  out += f["max_field"].is_string()  ? f["max_field"].get<std::string>()
         : f["max"].is_null()        ? "inf"
                                     : format_number(f["max"].get<double>());
  return out + (f["max_open"].get<bool>() ? ")" : "]");
}

void print_text(const Json& schema) {
  std::printf("kind %s\n", schema["kind"].get<std::string>().c_str());
  std::printf("  %-22s %-8s %-12s %-34s %s\n", "key", "type", "default", "allowed", "flag");
  for (const Json& f : schema["fields"]) {
    std::string def = f["default"].dump();
    if (def.size() > 12) def = def.substr(0, 9) + "...";
    std::printf("  %-22s %-8s %-12s %-34s %s\n", f["name"].get<std::string>().c_str(),
                f["type"].get<std::string>().c_str(), def.c_str(), allowed_text(f).c_str(),
                f["flag"].is_string() ? f["flag"].get<std::string>().c_str() : "");
  }
}
}  // namespace

int cmd_schema(int argc, char** argv) {
  std::string kind;
  int first = 2;
  if (argc > 2 && std::string(argv[2]).rfind("--", 0) != 0) {
    kind = argv[2];
    first = 3;
  }
  Args args(argc, argv, first, {"json", "help"});
  if (args.take_flag("help")) {
    std::fputs(kSchemaHelp, stdout);
    std::printf("kinds:");
    for (const auto& k : session_kinds()) std::printf(" %s", k.c_str());
    std::printf("\n");
    return 0;
  }
  const bool json = args.take_flag("json");
  args.finish();
  if (!kind.empty()) {
    const Json schema = session_schema(kind);  // an unknown kind: a usage error naming the kinds
    if (json) std::cout << schema.dump() << "\n";
    else print_text(schema);
    return 0;
  }
  Json all = Json::object();
  for (const auto& k : session_kinds()) all[k] = session_schema(k);
  if (json) {
    std::cout << all.dump() << "\n";
  } else {
    for (const auto& [k, schema] : all.items()) {
      print_text(schema);
      std::printf("\n");
    }
  }
  return 0;
}

}  // namespace superpose::cli
