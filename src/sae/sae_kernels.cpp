#include "sae/sae_kernels.hpp"

#include <xsimd/xsimd.hpp>

namespace superpose {
namespace {
using B = xsimd::batch<float>;
constexpr std::size_t W = B::size;
}  // namespace

std::size_t collect_above(const float* x, const float* bias, const float* threshold, int* out,
                          std::size_t n) {
  const std::size_t nv = n - n % W;
  std::size_t count = 0, i = 0;
  // Most latents are inactive: one comparison per register, lanes only where any fired.
  for (; i < nv; i += W) {
    B v = B::load_unaligned(x + i);
    if (bias) v += B::load_unaligned(bias + i);
    if (!xsimd::any(v > B::load_unaligned(threshold + i))) continue;
    for (std::size_t j = i; j < i + W; ++j)
      if (x[j] + (bias ? bias[j] : 0.f) > threshold[j]) out[count++] = static_cast<int>(j);
  }
  for (; i < n; ++i)
    if (x[i] + (bias ? bias[i] : 0.f) > threshold[i]) out[count++] = static_cast<int>(i);
  return count;
}

std::size_t collect_above_ref(const float* x, const float* bias, const float* threshold,
                              int* out, std::size_t n) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] + (bias ? bias[i] : 0.f) > threshold[i]) out[count++] = static_cast<int>(i);
  return count;
}

float dot(const float* a, const float* b, std::size_t n) {
  const std::size_t nv = n - n % W;
  B acc(0.f);
  std::size_t i = 0;
  for (; i < nv; i += W) acc += B::load_unaligned(a + i) * B::load_unaligned(b + i);
  float s = xsimd::hadd(acc);
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

float dot_ref(const float* a, const float* b, std::size_t n) {
  float s = 0.f;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

float residual_grad(const float* x_hat, const float* x, float* g, std::size_t n, float scale) {
  const std::size_t nv = n - n % W;
  const B sv(scale);
  B acc(0.f);
  std::size_t i = 0;
  for (; i < nv; i += W) {
    const B e = B::load_unaligned(x_hat + i) - B::load_unaligned(x + i);
    acc += e * e;
    (sv * e).store_unaligned(g + i);
  }
  float s = xsimd::hadd(acc);
  for (; i < n; ++i) {
    const float e = x_hat[i] - x[i];
    s += e * e;
    g[i] = scale * e;
  }
  return s;
}

float residual_grad_ref(const float* x_hat, const float* x, float* g, std::size_t n,
                        float scale) {
  float s = 0.f;
  for (std::size_t i = 0; i < n; ++i) {
    const float e = x_hat[i] - x[i];
    s += e * e;
    g[i] = scale * e;
  }
  return s;
}

}  // namespace superpose
