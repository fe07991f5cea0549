#include "cli/args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace superpose::cli {

Args::Args(int argc, char** argv, int first, std::vector<std::string> boolean_flags) {
  auto is_boolean = [&](const std::string& name) {
    for (const auto& b : boolean_flags)
      if (b == name) return true;
    return false;
  };
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || a.size() < 3)
      throw UsageError("unexpected argument '" + a + "' (flags start with --)");
    std::string name = a.substr(2), value;
    const auto eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (is_boolean(name)) {
      value = "true";
    } else {
      if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
      value = argv[++i];
    }
    if (values_.count(name)) throw UsageError("--" + name + " is given twice");
    values_[name] = value;
    used_[name] = false;
  }
}

std::optional<std::string> Args::take(const std::string& name) {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  used_[name] = true;
  return it->second;
}

bool Args::take_flag(const std::string& name) {
  auto v = take(name);
  if (!v) return false;
  if (*v != "true") throw UsageError("--" + name + " takes no value");
  return true;
}

void Args::finish() const {
  for (const auto& [name, used] : used_)
    if (!used) throw UsageError("unknown flag --" + name);
}

bool take_help(Args& a, const std::vector<std::string>& parts) {
  if (!a.take_flag("help")) return false;
  for (const auto& part : parts) std::fputs(part.c_str(), stdout);
  return true;
}

long long parse_int(const std::string& flag, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw UsageError("--" + flag + " expects an integer (got '" + text + "')");
  return v;
}

double parse_number(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    throw UsageError("--" + flag + " expects a finite number (got '" + text + "')");
  return v;
}

std::vector<double> parse_numbers(const std::string& flag, const std::string& text) {
  std::vector<double> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    out.push_back(parse_number(flag, text.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string parse_choice(const std::string& flag, const std::string& text,
                         const std::vector<std::string>& allowed) {
  std::string list;
  for (const auto& a : allowed) {
    if (a == text) return text;
    list += (list.empty() ? "" : "|") + a;
  }
  throw UsageError("--" + flag + " must be one of " + list + " (got '" + text + "')");
}

}  // namespace superpose::cli
