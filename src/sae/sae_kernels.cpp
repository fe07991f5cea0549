#include "sae/sae_kernels.hpp"

#include <xsimd/xsimd.hpp>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/compress.hpp"
#include "core/simd.hpp"

namespace superpose {
namespace {
using simd::B;
using simd::W;
}  // namespace

#if defined(__SSE2__)
std::size_t collect_above(const float* x, const float* bias, const float* threshold, int* out,
                          std::size_t n) {
  // Four latents per comparison (in wasm: f32x4.gt + i32x4.bitmask); the kept lanes' indices are
  // packed by one table lookup (core/compress.hpp) and stored four at a time, the count advances
  // by those kept. No branch on the mask: which registers fire is unpredictable (measured in wasm:
  // skipping the empty ones with a branch was ~10% slower on W2).
  std::size_t count = 0, i = 0;
  for (; i + 4 <= n; i += 4) {
    __m128 v = _mm_loadu_ps(x + i);
    if (bias) v = _mm_add_ps(v, _mm_loadu_ps(bias + i));
    const int m = _mm_movemask_ps(_mm_cmpgt_ps(v, _mm_loadu_ps(threshold + i)));
    const __m128i lanes = _mm_load_si128(reinterpret_cast<const __m128i*>(kCompress.lane[m]));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + count),
                     _mm_add_epi32(lanes, _mm_set1_epi32(static_cast<int>(i))));
    count += kCompress.count[m];
  }
  for (; i < n; ++i)
    if (x[i] + (bias ? bias[i] : 0.f) > threshold[i]) out[count++] = static_cast<int>(i);
  return count;
}
#else
std::size_t collect_above(const float* x, const float* bias, const float* threshold, int* out,
                          std::size_t n) {
  return collect_above_ref(x, bias, threshold, out, n);
}
#endif

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

void gather_combine(const float* M, std::size_t ld, const int* idx, const float* coef,
                    std::size_t n_idx, const float* base, float* out, std::size_t d) {
  constexpr std::size_t C = 4 * W;  // a block of four registers
  std::size_t r = 0;
  for (; r + C <= d; r += C) {
    B a0 = B::load_unaligned(base + r), a1 = B::load_unaligned(base + r + W),
      a2 = B::load_unaligned(base + r + 2 * W), a3 = B::load_unaligned(base + r + 3 * W);
    for (std::size_t e = 0; e < n_idx; ++e) {
      const float* m = M + std::size_t(idx[e]) * ld + r;
      const B c(coef[e]);
      a0 += c * B::load_unaligned(m);
      a1 += c * B::load_unaligned(m + W);
      a2 += c * B::load_unaligned(m + 2 * W);
      a3 += c * B::load_unaligned(m + 3 * W);
    }
    a0.store_unaligned(out + r);
    a1.store_unaligned(out + r + W);
    a2.store_unaligned(out + r + 2 * W);
    a3.store_unaligned(out + r + 3 * W);
  }
  for (; r + W <= d; r += W) {
    B a = B::load_unaligned(base + r);
    for (std::size_t e = 0; e < n_idx; ++e)
      a += B(coef[e]) * B::load_unaligned(M + std::size_t(idx[e]) * ld + r);
    a.store_unaligned(out + r);
  }
  for (; r < d; ++r) {
    float a = base[r];
    for (std::size_t e = 0; e < n_idx; ++e) a += coef[e] * M[std::size_t(idx[e]) * ld + r];
    out[r] = a;
  }
}

void gather_combine_ref(const float* M, std::size_t ld, const int* idx, const float* coef,
                        std::size_t n_idx, const float* base, float* out, std::size_t d) {
  for (std::size_t r = 0; r < d; ++r) out[r] = base[r];
  for (std::size_t e = 0; e < n_idx; ++e)
    for (std::size_t r = 0; r < d; ++r) out[r] += coef[e] * M[std::size_t(idx[e]) * ld + r];
}

void gather_dots(const float* M, std::size_t ld, const int* idx, std::size_t n_idx,
                 const float* g, float* out, std::size_t d) {
  for (std::size_t e = 0; e < n_idx; ++e) out[e] = dot(M + std::size_t(idx[e]) * ld, g, d);
}

void gather_dots_ref(const float* M, std::size_t ld, const int* idx, std::size_t n_idx,
                     const float* g, float* out, std::size_t d) {
  for (std::size_t e = 0; e < n_idx; ++e) out[e] = dot_ref(M + std::size_t(idx[e]) * ld, g, d);
}

void scatter_axpy(float* M, std::size_t ld, const int* idx, const float* coef, std::size_t n_idx,
                  const float* x, std::size_t d) {
  constexpr std::size_t C = 4 * W;
  std::size_t r = 0;
  for (; r + C <= d; r += C) {
    const B x0 = B::load_unaligned(x + r), x1 = B::load_unaligned(x + r + W),
            x2 = B::load_unaligned(x + r + 2 * W), x3 = B::load_unaligned(x + r + 3 * W);
    for (std::size_t e = 0; e < n_idx; ++e) {
      float* m = M + std::size_t(idx[e]) * ld + r;
      const B c(coef[e]);
      (B::load_unaligned(m) + c * x0).store_unaligned(m);
      (B::load_unaligned(m + W) + c * x1).store_unaligned(m + W);
      (B::load_unaligned(m + 2 * W) + c * x2).store_unaligned(m + 2 * W);
      (B::load_unaligned(m + 3 * W) + c * x3).store_unaligned(m + 3 * W);
    }
  }
  for (; r + W <= d; r += W) {
    const B xv = B::load_unaligned(x + r);
    for (std::size_t e = 0; e < n_idx; ++e) {
      float* m = M + std::size_t(idx[e]) * ld + r;
      (B::load_unaligned(m) + B(coef[e]) * xv).store_unaligned(m);
    }
  }
  for (; r < d; ++r)
    for (std::size_t e = 0; e < n_idx; ++e) M[std::size_t(idx[e]) * ld + r] += coef[e] * x[r];
}

void scatter_axpy_ref(float* M, std::size_t ld, const int* idx, const float* coef,
                      std::size_t n_idx, const float* x, std::size_t d) {
  for (std::size_t e = 0; e < n_idx; ++e)
    for (std::size_t r = 0; r < d; ++r) M[std::size_t(idx[e]) * ld + r] += coef[e] * x[r];
}

void gemm_nn(const float* A, std::size_t lda, const float* X, std::size_t ldx, float* Out,
             std::size_t ldo, std::size_t m, std::size_t k, std::size_t n) {
  constexpr std::size_t R = 2 * W;  // rows per block
  std::size_t r = 0;
  for (; r + R <= m; r += R) {
    std::size_t c = 0;
    for (; c + 4 <= n; c += 4) {
      const float* x0 = X + c * ldx;
      const float* x1 = x0 + ldx;
      const float* x2 = x1 + ldx;
      const float* x3 = x2 + ldx;
      B a00(0.f), a01(0.f), a10(0.f), a11(0.f), a20(0.f), a21(0.f), a30(0.f), a31(0.f);
      for (std::size_t j = 0; j < k; ++j) {
        const float* a = A + j * lda + r;
        const B p0 = B::load_unaligned(a), p1 = B::load_unaligned(a + W);
        const B b0(x0[j]), b1(x1[j]), b2(x2[j]), b3(x3[j]);
        a00 += p0 * b0;
        a01 += p1 * b0;
        a10 += p0 * b1;
        a11 += p1 * b1;
        a20 += p0 * b2;
        a21 += p1 * b2;
        a30 += p0 * b3;
        a31 += p1 * b3;
      }
      float* o = Out + c * ldo + r;
      a00.store_unaligned(o);
      a01.store_unaligned(o + W);
      a10.store_unaligned(o + ldo);
      a11.store_unaligned(o + ldo + W);
      a20.store_unaligned(o + 2 * ldo);
      a21.store_unaligned(o + 2 * ldo + W);
      a30.store_unaligned(o + 3 * ldo);
      a31.store_unaligned(o + 3 * ldo + W);
    }
    for (; c < n; ++c) {
      const float* x0 = X + c * ldx;
      B a0(0.f), a1(0.f);
      for (std::size_t j = 0; j < k; ++j) {
        const float* a = A + j * lda + r;
        const B b0(x0[j]);
        a0 += B::load_unaligned(a) * b0;
        a1 += B::load_unaligned(a + W) * b0;
      }
      a0.store_unaligned(Out + c * ldo + r);
      a1.store_unaligned(Out + c * ldo + r + W);
    }
  }
  // Leftover rows (m not a multiple of 2W): scalar.
  for (; r < m; ++r)
    for (std::size_t c = 0; c < n; ++c) {
      float acc = 0.f;
      for (std::size_t j = 0; j < k; ++j) acc += A[j * lda + r] * X[c * ldx + j];
      Out[c * ldo + r] = acc;
    }
}

void gemm_nn_ref(const float* A, std::size_t lda, const float* X, std::size_t ldx, float* Out,
                 std::size_t ldo, std::size_t m, std::size_t k, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c)
    for (std::size_t r = 0; r < m; ++r) {
      float acc = 0.f;
      for (std::size_t j = 0; j < k; ++j) acc += A[j * lda + r] * X[c * ldx + j];
      Out[c * ldo + r] = acc;
    }
}

}  // namespace superpose
