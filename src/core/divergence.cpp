#include "core/divergence.hpp"

#include "core/check.hpp"

namespace superpose {

std::string diverged_message(int64_t step, const std::string& what, double lr, const char* unit) {
  const std::string n = std::to_string(step);
  return "training diverged at step " + n + (unit ? " (" + std::string(unit) + " " + n + ")" : "") +
         ": " + what + " is not finite; try a smaller learning rate (lr=" + format_number(lr) + ")";
}

}  // namespace superpose
