// Central finite differences for the language model's tests (test_lm_*.cpp): the derivative of
// a scalar function of float inputs, against an analytic gradient, entry by entry and as a
// whole. The function is evaluated in float by the code under test and summed in double, so the
// differences' error is the float rounding of the outputs over 2·eps (stated per call).
#pragma once
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "tolerance.hpp"

namespace superpose::test {

// Uniform values in [lo, hi) from rng.
inline std::vector<float> uniform_values(Rng& rng, std::size_t n, float lo = -1.f, float hi = 1.f) {
  std::vector<float> v(n);
  for (float& x : v) x = lo + (hi - lo) * rng.uniform();
  return v;
}

// Σ w_i out_i in double: a scalar whose gradient with respect to out is w.
inline double weighted_sum(const float* out, const std::vector<float>& w) {
  double s = 0;
  for (std::size_t i = 0; i < w.size(); ++i) s += double(w[i]) * double(out[i]);
  return s;
}

// Checks d f / d x[i] by central differences against grad[i] for every i (|fd - g| ≤ abs +
// rel · max(|fd|, |g|)), and the relative error of the whole vector below rel / 3. f reads x.
inline void check_gradient(const std::string& what, std::vector<float>& x,
                           const std::vector<float>& grad, const std::function<double()>& f,
                           double eps = 1e-2, double rel = 1e-2, double abs = 1e-4) {
  REQUIRE(x.size() == grad.size());
  double diff2 = 0, norm2 = 0;
  int failures = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float saved = x[i];
    x[i] = static_cast<float>(saved + eps);
    const double up = f();
    x[i] = static_cast<float>(saved - eps);
    const double down = f();
    x[i] = saved;
    const double fd = (up - down) / (2 * eps);
    diff2 += (fd - grad[i]) * (fd - grad[i]);
    norm2 += fd * fd;
    if (!close(fd, grad[i], rel, abs) && failures++ < 5)
      FAIL_CHECK(what << "[" << i << "]: finite difference " << fd << ", analytic " << grad[i]);
  }
  INFO(what << ": relative error of the whole gradient " << std::sqrt(diff2 / norm2));
  CHECK(norm2 > 0);
  CHECK(std::sqrt(diff2 / norm2) < rel / 3);
}

}  // namespace superpose::test
