#include "core/check.hpp"

#include <cstdio>

namespace superpose {

std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

void fail_config(const std::string& message) { throw std::invalid_argument(message); }

void require_in_range(const std::string& field, double value, double lo, double hi, bool lo_open,
                      bool hi_open, const char* lo_name, const char* hi_name) {
  const bool above = lo_open ? value > lo : value >= lo;
  const bool below = hi_open ? value < hi : value <= hi;
  if (above && below) return;  // false for NaN
  std::ostringstream msg;
  msg << field << " must be in " << (lo_open ? '(' : '[');
  if (lo_name) msg << lo_name << '=';
  msg << format_number(lo) << ", ";
  if (hi_name) msg << hi_name << '=';
  msg << format_number(hi) << (hi_open ? ')' : ']') << " (got " << format_number(value) << ")";
  fail_config(msg.str());
}

}  // namespace superpose
