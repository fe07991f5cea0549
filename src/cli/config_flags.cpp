#include "cli/config_flags.hpp"

#include <cstdio>

namespace superpose::cli {

namespace {
constexpr std::size_t kHelpColumn = 28;  // where the help text starts

std::string value_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return format_number(v.get<double>());
  if (v.is_array()) {
    std::string out;
    for (const Json& e : v) out += (out.empty() ? "" : ",") + value_text(e);
    return out;
  }
  return v.dump();
}

std::size_t columns(const std::string& s) {  // UTF-8 code points (λ is one column)
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

std::string flag_help_line(const Field& f, const Json& default_value) {
  std::string left = std::string("  --") + f.cli_flag;
  std::string help = f.help;
  if (default_value.is_boolean()) {
    // a boolean flag sets the opposite of the default
  } else if (!f.choices.empty() && !f.cli_custom) {
    left += " " + join_choices(f.choices, "|");
    help += " (default " + value_text(default_value) + ")";
  } else {
    left += std::string(" ") + (f.cli_metavar ? f.cli_metavar : "X");
    if (!f.cli_custom) left += "=" + value_text(default_value);
    const std::string range = range_text(f);
    if (!range.empty()) help += ", in " + range;
  }
  const std::size_t width = columns(left);
  if (width + 1 < kHelpColumn) return left + std::string(kHelpColumn - width, ' ') + help + "\n";
  return left + "\n" + std::string(kHelpColumn, ' ') + help + "\n";
}

}  // namespace superpose::cli
