// Config validation and internal checks.
// Config errors are std::invalid_argument naming the field, the allowed range and the value, so
// every front end (CLI, wasm bindings, page) can show them as they are. `assert` stays for
// internal invariants only. Divergence (NaN/Inf) is its own type so callers can keep the last
// good state and say what happened.
#pragma once
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace superpose {

// The value of a figure that does not apply (no closed form, no ground truth, no evaluation yet).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Training produced a non-finite loss or parameter; the model keeps the state before the step.
struct Diverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Formats a number the way a user typed it (no trailing zeros), for error messages.
std::string format_number(double v);

// Throws "<field> must be in <lo_bracket>lo, hi<hi_bracket> (got v)". NaN always fails.
// `lo_name`/`hi_name`, when given, name a bound that comes from another field
// ("n_hidden must be in [1, n_features=5] (got 7)").
void require_in_range(const std::string& field, double value, double lo, double hi,
                      bool lo_open = false, bool hi_open = false,
                      const char* lo_name = nullptr, const char* hi_name = nullptr);

[[noreturn]] void fail_config(const std::string& message);

}  // namespace superpose
