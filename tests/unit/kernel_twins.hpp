// What the kernel-twin tests share (test_kernels, test_sae_kernels, test_gemm, test_grok_kernels):
// seeded random operands and the lengths every fast kernel is held to its scalar twin on, those
// that are and are not multiples of the SIMD width (0 .. 4·width + 3), plus a few larger ones.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <vector>

#include "core/kernels.hpp"
#include "core/rng.hpp"

namespace superpose::test {

// n values uniform in [lo, hi).
inline std::vector<float> random_vec(Rng& rng, std::size_t n, float lo = -1.f, float hi = 1.f) {
  std::vector<float> v(n);
  for (auto& x : v) x = lo + (hi - lo) * rng.uniform();
  return v;
}

// 0 .. 4·simd_width() + 3, then `larger`.
inline std::vector<std::size_t> twin_lengths(std::initializer_list<std::size_t> larger) {
  std::vector<std::size_t> out;
  for (std::size_t n = 0; n <= 4 * simd_width() + 3; ++n) out.push_back(n);
  out.insert(out.end(), larger.begin(), larger.end());
  return out;
}

}  // namespace superpose::test
