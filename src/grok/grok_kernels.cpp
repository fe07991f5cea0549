#include "grok/grok_kernels.hpp"

#include <xsimd/xsimd.hpp>

#include "core/simd.hpp"

namespace superpose {
namespace {
using simd::B;
using simd::W;
}  // namespace

void pair_gather_add(const float* A, const float* Bm, const int* a, const int* b, float* out,
                     std::size_t r, std::size_t N) {
  const std::size_t rv = r - r % W;
  for (std::size_t n = 0; n < N; ++n) {
    const float* x = A + static_cast<std::size_t>(a[n]) * r;
    const float* y = Bm + static_cast<std::size_t>(b[n]) * r;
    float* o = out + n * r;
    std::size_t i = 0;
    for (; i < rv; i += W) (B::load_unaligned(x + i) + B::load_unaligned(y + i)).store_unaligned(o + i);
    for (; i < r; ++i) o[i] = x[i] + y[i];
  }
}

void pair_gather_add_ref(const float* A, const float* Bm, const int* a, const int* b, float* out,
                         std::size_t r, std::size_t N) {
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t i = 0; i < r; ++i) out[n * r + i] = A[a[n] * r + i] + Bm[b[n] * r + i];
}

void pair_scatter_add(const float* G, const int* a, const int* b, float* dA, float* dB,
                      std::size_t r, std::size_t N) {
  const std::size_t rv = r - r % W;
  for (std::size_t n = 0; n < N; ++n) {
    const float* g = G + n * r;
    float* x = dA + static_cast<std::size_t>(a[n]) * r;
    float* y = dB + static_cast<std::size_t>(b[n]) * r;
    std::size_t i = 0;
    for (; i < rv; i += W) {
      const B gv = B::load_unaligned(g + i);
      (B::load_unaligned(x + i) + gv).store_unaligned(x + i);
      (B::load_unaligned(y + i) + gv).store_unaligned(y + i);  // after x: correct when x == y
    }
    for (; i < r; ++i) {
      x[i] += g[i];
      y[i] += g[i];
    }
  }
}

void pair_scatter_add_ref(const float* G, const int* a, const int* b, float* dA, float* dB,
                          std::size_t r, std::size_t N) {
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t i = 0; i < r; ++i) {
      dA[a[n] * r + i] += G[n * r + i];
      dB[b[n] * r + i] += G[n * r + i];
    }
}

}  // namespace superpose
