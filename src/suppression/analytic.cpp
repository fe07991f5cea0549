#include "suppression/analytic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/check.hpp"

namespace superpose {

namespace {
// The decoder bias of the monosemantic optimum: p·c·n/(2(1 − p)), or p when a = 0 (the bias
// alone fits the mean), 0 without bias.
double monosemantic_bias(double a, double c, double p, int n, bool decoder_bias) {
  if (!decoder_bias) return 0.0;
  return a > 0 ? p * c * n / (2.0 * (1.0 - p)) : p;
}
}  // namespace

double monosemantic_activation(double c, double p, int n, bool decoder_bias, bool uniform) {
  const double cn = c * n;
  if (!decoder_bias) return std::max(0.0, 1.0 - cn / 2.0);  // binary or the soft threshold at 1
  if (uniform) return kNaN;
  if (p >= 1.0 || cn >= 2.0 * (1.0 - p)) return 0.0;
  return 1.0 - cn / (2.0 * (1.0 - p));
}

double analytic_activation(double c, double p, int n, bool decoder_bias, bool uniform) {
  return n == 1 ? monosemantic_activation(c, p, 1, decoder_bias, uniform) : kNaN;
}

double monosemantic_loss(double c, double p, int n, bool decoder_bias) {
  const double a = monosemantic_activation(c, p, n, decoder_bias);
  const double b = monosemantic_bias(a, c, p, n, decoder_bias);
  return p * (1 - a - b) * (1 - a - b) + (1 - p) * b * b + c * n * p * a;
}

double loss_lower_bound(double c, double p, int n) {
  const double edge = c * n / 2.0;
  double bound = 0, choose = 1;  // C(n, k)
  for (int k = 0; k <= n; ++k) {
    const double r = std::sqrt(static_cast<double>(k));
    const double g = r <= edge ? k / static_cast<double>(n) : c * r - c * c * n / 4.0;
    bound += choose * std::pow(p, k) * std::pow(1 - p, n - k) * g;
    choose = choose * (n - k) / (k + 1);
  }
  return bound;
}

double analytic_reconstruction_error(double c, double p, int n) {
  const double a = monosemantic_activation(c, p, n);
  return p * (1.0 - a) * (1.0 - a);
}

double analytic_scale(double c, int n) {
  const double a = monosemantic_activation(c, 0.5, n);
  return a > 0 ? 1.0 / a : std::numeric_limits<double>::infinity();
}

double analytic_transfer(double x, double c, int n) { return std::max(0.0, x - c * n / 2.0); }

}  // namespace superpose
