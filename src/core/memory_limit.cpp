#include "core/memory_limit.hpp"

#include <cmath>

#include "core/check.hpp"

namespace superpose {

void require_fits_browser(const std::string& what, double floats, double limit_floats,
                          double copies) {
  if (floats <= limit_floats) return;  // false for NaN: refused below
  const double mb = 1024.0 * 1024.0;
  fail_config(what + " = " + format_number(floats) + " is too large for the browser (needs " +
              format_number(std::ceil(floats * 4 * copies / mb)) + " MB, limit " +
              format_number(std::floor(limit_floats * 4 * copies / mb)) + " MB)");
}

}  // namespace superpose
