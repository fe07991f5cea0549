// A config's CLI flags and their --help lines, read from its one field description
// (core/schema.hpp): each field with a flag is parsed by its type (an integer, a number, a list
// of numbers, one of the choices, or a boolean flag that sets the opposite of the default), its
// help line shows the metavar, the default and the range. A config error names the flag that
// sets the field (rethrow_as_usage). Not here: a command's own flags (--json, --sweep, ...) and
// flags parsed by the command itself (Field::custom_flag).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/schema.hpp"

namespace superpose::cli {

// "  --features N=5            number of features n, in [1, 512]\n": one help line (wrapped
// onto the next line at column 28 when the flag is long).
std::string flag_help_line(const Field& f, const Json& default_value);

namespace flag_visitors {
// flags given → the config's JSON keys (only those given).
struct Read {
  Args& a;
  Json& j;
  template <class T> void operator()(const T& default_value, const Field& f) {
    if (!f.cli_flag || f.cli_custom) return;
    const std::string flag = f.cli_flag;
    if constexpr (std::is_same_v<T, bool>) {
      if (a.take_flag(flag)) j[f.name] = !default_value;
    } else if (auto v = a.take(flag)) {
      if constexpr (std::is_integral_v<T>) j[f.name] = parse_int(flag, *v);
      else if constexpr (std::is_floating_point_v<T>) j[f.name] = parse_number(flag, *v);
      else if constexpr (std::is_same_v<T, std::vector<double>>) j[f.name] = parse_numbers(flag, *v);
      else if constexpr (std::is_same_v<T, std::string>)
        j[f.name] = f.choices.empty() ? *v : parse_choice(flag, *v, f.choices);
    }
  }
};
struct Help {
  std::string& out;
  template <class T> void operator()(const T& default_value, const Field& f) {
    if (!f.cli_flag) return;
    out += flag_help_line(f, Json(default_value));
  }
};
struct Names {
  std::vector<std::pair<std::string, std::string>>& flag_of_field;
  std::vector<std::string>& boolean_flags;
  template <class T> void operator()(const T&, const Field& f) {
    if (!f.cli_flag) return;
    flag_of_field.emplace_back(f.name, f.cli_flag);
    if (std::is_same_v<T, bool>) boolean_flags.emplace_back(f.cli_flag);
  }
};
}  // namespace flag_visitors

// The JSON keys of the config's flags that were given (parse errors name the flag).
template <class C> Json flags_to_json(Args& a, const C& defaults = C()) {
  Json j = Json::object();
  flag_visitors::Read v{a, j};
  C::fields(defaults, v);
  return j;
}

// The help lines of the config's flags, in the table's order, with the defaults of `defaults`.
template <class C> std::string flags_help(const C& defaults = C()) {
  std::string out;
  flag_visitors::Help v{out};
  C::fields(defaults, v);
  return out;
}

// The help lines of the named fields only, in the table's order (a command that takes a few of a
// config's flags, e.g. steer's --strength and --input of the intervention config).
template <class C> std::string flags_help_of(const std::vector<std::string>& names, const C& defaults = C()) {
  std::string out;
  flag_visitors::Help v{out};
  auto only = adapt_fields(v, [&names](Field& f) {
    for (const auto& n : names)
      if (n == f.name) return true;
    return false;
  });
  C::fields(defaults, only);
  return out;
}

// {field, flag} of every field with a flag (for rethrow_as_usage).
template <class C> std::vector<std::pair<std::string, std::string>> flag_of_field() {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<std::string> booleans;
  flag_visitors::Names v{pairs, booleans};
  const C defaults{};
  C::fields(defaults, v);
  return pairs;
}

// The config of the flags' JSON j, validated (C::from_json); a config error becomes a usage
// error naming the flag that sets its field: `first` pairs, then the table's, then `more` (the
// memory bounds' products, ...), the longest field that starts the message and first listed wins.
template <class C>
C config_from_flag_json(const Json& j, std::vector<std::pair<std::string, std::string>> first = {},
                        const std::vector<std::pair<std::string, std::string>>& more = {}) {
  try {
    return C::from_json(j);
  } catch (const std::invalid_argument& e) {
    const auto table = flag_of_field<C>();
    first.insert(first.end(), table.begin(), table.end());
    first.insert(first.end(), more.begin(), more.end());
    rethrow_as_usage(e, first);
  }
}

// A subcommand's Args: the config's boolean flags, --json, --help and the command's own `more`.
template <class C> Args config_args(int argc, char** argv, std::vector<std::string> more = {}) {
  std::vector<std::pair<std::string, std::string>> pairs;
  flag_visitors::Names v{pairs, more};
  const C defaults{};
  C::fields(defaults, v);
  more.insert(more.end(), {"json", "help"});
  return Args(argc, argv, 2, more);
}

}  // namespace superpose::cli
