#include "suppression/analytic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace superpose {

double analytic_activation(double c, double p, int d, bool decoder_bias, bool uniform) {
  const double cd = c * d;
  if (!decoder_bias) return std::max(0.0, 1.0 - cd / 2.0);  // binary or the soft threshold at 1
  if (uniform) return std::numeric_limits<double>::quiet_NaN();
  if (p >= 1.0 || cd >= 2.0 * (1.0 - p)) return 0.0;
  return 1.0 - cd / (2.0 * (1.0 - p));
}

double analytic_reconstruction_error(double c, double p, int d) {
  const double a = analytic_activation(c, p, d);
  return p * (1.0 - a) * (1.0 - a);
}

double analytic_scale(double c, int d) {
  const double a = analytic_activation(c, 0.5, d);
  return a > 0 ? 1.0 / a : std::numeric_limits<double>::infinity();
}

double analytic_transfer(double x, double c, int d) { return std::max(0.0, x - c * d / 2.0); }

}  // namespace superpose
