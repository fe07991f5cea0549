#include "core/kernels.hpp"

#include <cmath>
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

const char* simd_arch_name() { return xsimd::default_arch::name(); }
std::size_t simd_width() { return W; }

float weighted_sq_error_grad(const float* o, const float* y, const float* w, float* grad,
                             std::size_t n, float scale, bool relu) {
  const std::size_t nv = n - n % W;
  const B zero(0.f), two_scale(2.f * scale);
  B acc(0.f);
  std::size_t i = 0;
  for (; i < nv; i += W) {
    const B ov = B::load_unaligned(o + i), wv = B::load_unaligned(w + i);
    const B yh = relu ? xsimd::max(ov, zero) : ov;
    const B d = yh - B::load_unaligned(y + i);
    const B wd = wv * d;
    acc += wd * d;
    B g = two_scale * wd;
    if (relu) g = xsimd::select(ov > zero, g, zero);
    g.store_unaligned(grad + i);
  }
  float loss = xsimd::hadd(acc);
  for (; i < n; ++i) {
    const float yh = relu ? std::max(o[i], 0.f) : o[i];
    const float d = yh - y[i];
    const float wd = w[i] * d;
    loss += wd * d;
    grad[i] = (relu && !(o[i] > 0.f)) ? 0.f : 2.f * scale * wd;
  }
  return loss;
}

float weighted_sq_error_grad_ref(const float* o, const float* y, const float* w, float* grad,
                                 std::size_t n, float scale, bool relu) {
  float loss = 0.f;
  for (std::size_t i = 0; i < n; ++i) {
    const float yh = relu ? (o[i] > 0.f ? o[i] : 0.f) : o[i];
    const float d = yh - y[i];
    loss += w[i] * d * d;
    grad[i] = (relu && o[i] <= 0.f) ? 0.f : 2.f * scale * w[i] * d;
  }
  return loss;
}

float weighted_sq_error(const float* o, const float* y, const float* w, std::size_t n, bool relu) {
  const std::size_t nv = n - n % W;
  const B zero(0.f);
  B acc(0.f);
  std::size_t i = 0;
  for (; i < nv; i += W) {
    const B ov = B::load_unaligned(o + i);
    const B d = (relu ? xsimd::max(ov, zero) : ov) - B::load_unaligned(y + i);
    acc += B::load_unaligned(w + i) * d * d;
  }
  float loss = xsimd::hadd(acc);
  for (; i < n; ++i) {
    const float d = (relu ? std::max(o[i], 0.f) : o[i]) - y[i];
    loss += w[i] * d * d;
  }
  return loss;
}

float weighted_sq_error_ref(const float* o, const float* y, const float* w, std::size_t n,
                            bool relu) {
  float loss = 0.f;
  for (std::size_t i = 0; i < n; ++i) {
    const float d = (relu ? (o[i] > 0.f ? o[i] : 0.f) : o[i]) - y[i];
    loss += w[i] * d * d;
  }
  return loss;
}

#if defined(__SSE2__)

std::size_t append_below(const float* u, std::size_t n, float p, int base, int* idx) {
  // Four draws per compare (in wasm: f32x4.lt + i32x4.bitmask); the table packs the lanes that
  // fired, one unaligned store writes all four and the count advances by those kept.
  const __m128 pv = _mm_set1_ps(p);
  std::size_t c = 0, i = 0;
  for (; i + 4 <= n; i += 4) {
    const int m = _mm_movemask_ps(_mm_cmplt_ps(_mm_loadu_ps(u + i), pv));
    const __m128i lanes = _mm_load_si128(reinterpret_cast<const __m128i*>(kCompress.lane[m]));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(idx + c),
                     _mm_add_epi32(lanes, _mm_set1_epi32(base + static_cast<int>(i))));
    c += kCompress.count[m];
  }
  for (; i < n; ++i) {
    idx[c] = base + static_cast<int>(i);
    c += u[i] < p;
  }
  return c;
}
#else
std::size_t append_below(const float* u, std::size_t n, float p, int base, int* idx) {
  return append_below_ref(u, n, p, base, idx);
}
#endif

std::size_t append_below_ref(const float* u, std::size_t n, float p, int base, int* idx) {
  std::size_t c = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (u[i] < p) idx[c++] = base + static_cast<int>(i);
  return c;
}

void relu_inplace(float* x, std::size_t n) {
  const std::size_t nv = n - n % W;
  const B zero(0.f);
  std::size_t i = 0;
  for (; i < nv; i += W) xsimd::max(B::load_unaligned(x + i), zero).store_unaligned(x + i);
  for (; i < n; ++i) x[i] = std::max(x[i], 0.f);
}

void relu_inplace_ref(float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) x[i] = x[i] > 0.f ? x[i] : 0.f;
}

void relu_backward_inplace(const float* pre, float* g, std::size_t n) {
  const std::size_t nv = n - n % W;
  const B zero(0.f);
  std::size_t i = 0;
  for (; i < nv; i += W) {
    xsimd::select(B::load_unaligned(pre + i) > zero, B::load_unaligned(g + i), zero)
        .store_unaligned(g + i);
  }
  for (; i < n; ++i)
    if (!(pre[i] > 0.f)) g[i] = 0.f;
}

void relu_backward_inplace_ref(const float* pre, float* g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (pre[i] <= 0.f) g[i] = 0.f;
}

void adam_update(float* p, const float* g, float* m, float* v, std::size_t n, const AdamStep& s) {
  const std::size_t nv = n - n % W;
  const B b1(s.beta1), b2(s.beta2), omb1(1.f - s.beta1), omb2(1.f - s.beta2);
  const B inv_bc1(1.f / s.bc1), inv_bc2(1.f / s.bc2), eps(s.eps), lr(s.lr), decay(s.decay);
  std::size_t i = 0;
  for (; i < nv; i += W) {
    const B gv = B::load_unaligned(g + i);
    const B mv = b1 * B::load_unaligned(m + i) + omb1 * gv;
    const B vv = b2 * B::load_unaligned(v + i) + omb2 * gv * gv;
    const B pv = B::load_unaligned(p + i);
    const B upd = (mv * inv_bc1) / (xsimd::sqrt(vv * inv_bc2) + eps) + decay * pv;
    (pv - lr * upd).store_unaligned(p + i);
    mv.store_unaligned(m + i);
    vv.store_unaligned(v + i);
  }
  for (; i < n; ++i) {
    m[i] = s.beta1 * m[i] + (1.f - s.beta1) * g[i];
    v[i] = s.beta2 * v[i] + (1.f - s.beta2) * g[i] * g[i];
    const float upd = (m[i] * (1.f / s.bc1)) / (std::sqrt(v[i] * (1.f / s.bc2)) + s.eps) +
                      s.decay * p[i];
    p[i] = p[i] - s.lr * upd;
  }
}

void adam_update_ref(float* p, const float* g, float* m, float* v, std::size_t n,
                     const AdamStep& s) {
  for (std::size_t i = 0; i < n; ++i) {
    m[i] = s.beta1 * m[i] + (1.f - s.beta1) * g[i];
    v[i] = s.beta2 * v[i] + (1.f - s.beta2) * g[i] * g[i];
    const float m_hat = m[i] / s.bc1;
    const float v_hat = v[i] / s.bc2;
    p[i] -= s.lr * (m_hat / (std::sqrt(v_hat) + s.eps) + s.decay * p[i]);
  }
}

void matvec_add(const float* D, const float* h, const float* b, float* o, std::size_t n,
                std::size_t m) {
  const std::size_t nv = n - n % W;
  std::size_t i = 0;
  for (; i < nv; i += W) {  // one register of o at a time, all m columns
    B acc = B::load_unaligned(b + i);
    for (std::size_t k = 0; k < m; ++k) acc += B(h[k]) * B::load_unaligned(D + k * n + i);
    acc.store_unaligned(o + i);
  }
  for (; i < n; ++i) {
    float acc = b[i];
    for (std::size_t k = 0; k < m; ++k) acc += h[k] * D[k * n + i];
    o[i] = acc;
  }
}

void matvec_add_ref(const float* D, const float* h, const float* b, float* o, std::size_t n,
                    std::size_t m) {
  for (std::size_t i = 0; i < n; ++i) {
    float acc = b[i];
    for (std::size_t k = 0; k < m; ++k) acc += D[k * n + i] * h[k];
    o[i] = acc;
  }
}

void matvec_t_outer(const float* D, const float* g, const float* h, float* dD, float* dh,
                    std::size_t n, std::size_t m) {
  const std::size_t nv = n - n % W;
  for (std::size_t k = 0; k < m; ++k) {
    const float* d = D + k * n;
    float* dd = dD + k * n;
    const B hk(h[k]);
    B dot(0.f);
    std::size_t i = 0;
    for (; i < nv; i += W) {
      const B gv = B::load_unaligned(g + i);
      dot += B::load_unaligned(d + i) * gv;
      (B::load_unaligned(dd + i) + hk * gv).store_unaligned(dd + i);
    }
    float s = xsimd::hadd(dot);
    for (; i < n; ++i) {
      s += d[i] * g[i];
      dd[i] += h[k] * g[i];
    }
    dh[k] = s;
  }
}

void matvec_t_outer_ref(const float* D, const float* g, const float* h, float* dD, float* dh,
                        std::size_t n, std::size_t m) {
  for (std::size_t k = 0; k < m; ++k) {
    float s = 0.f;
    for (std::size_t i = 0; i < n; ++i) {
      s += D[k * n + i] * g[i];
      dD[k * n + i] += h[k] * g[i];
    }
    dh[k] = s;
  }
}

void matvec_t(const float* E, const float* x, float* h, std::size_t n, std::size_t m) {
  const std::size_t nv = n - n % W;
  for (std::size_t k = 0; k < m; ++k) {
    const float* e = E + k * n;
    B dot(0.f);
    std::size_t i = 0;
    for (; i < nv; i += W) dot += B::load_unaligned(e + i) * B::load_unaligned(x + i);
    float s = xsimd::hadd(dot);
    for (; i < n; ++i) s += e[i] * x[i];
    h[k] = s;
  }
}

void matvec_t_ref(const float* E, const float* x, float* h, std::size_t n, std::size_t m) {
  for (std::size_t k = 0; k < m; ++k) {
    float s = 0.f;
    for (std::size_t i = 0; i < n; ++i) s += E[k * n + i] * x[i];
    h[k] = s;
  }
}

void outer_add(float* dE, const float* x, const float* dh, std::size_t n, std::size_t m) {
  for (std::size_t k = 0; k < m; ++k) axpy(dh[k], x, dE + k * n, n);
}

void outer_add_ref(float* dE, const float* x, const float* dh, std::size_t n, std::size_t m) {
  for (std::size_t k = 0; k < m; ++k)
    for (std::size_t i = 0; i < n; ++i) dE[k * n + i] += dh[k] * x[i];
}

namespace {
// Register blocks of the batch-major products: R output rows × C registers of samples share
// each load, and R·C independent accumulators keep the adds out of one latency chain. Each
// output is still summed in the same order as the scalar twin (bias, then j = 0..k-1).
template <int R, int C>
inline void combine_block(const float* A, std::size_t lda, const float* bias, const float* X,
                          float* Out, std::size_t k, std::size_t ld, std::size_t row, std::size_t c) {
  B acc[R][C];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < C; ++q) acc[r][q] = B(bias ? bias[row + r] : 0.f);
  for (std::size_t j = 0; j < k; ++j) {
    B x[C];
    for (int q = 0; q < C; ++q) x[q] = B::load_unaligned(X + j * ld + c + q * W);
    for (int r = 0; r < R; ++r) {
      const B a(A[(row + r) * lda + j]);
      for (int q = 0; q < C; ++q) acc[r][q] += a * x[q];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < C; ++q) acc[r][q].store_unaligned(Out + (row + r) * ld + c + q * W);
}

template <int R>
void combine_rows(const float* A, std::size_t lda, const float* bias, const float* X, float* Out,
                  std::size_t k, std::size_t len, std::size_t ld, std::size_t row) {
  std::size_t c = 0;
  for (; c + 2 * W <= len; c += 2 * W) combine_block<R, 2>(A, lda, bias, X, Out, k, ld, row, c);
  for (; c + W <= len; c += W) combine_block<R, 1>(A, lda, bias, X, Out, k, ld, row, c);
  for (; c < len; ++c)
    for (int r = 0; r < R; ++r) {
      float acc = bias ? bias[row + r] : 0.f;
      for (std::size_t j = 0; j < k; ++j) acc += A[(row + r) * lda + j] * X[j * ld + c];
      Out[(row + r) * ld + c] = acc;
    }
}

template <int RP, int RQ>
inline void dot_block(const float* P, const float* Q, float* Out, std::size_t ldo, std::size_t len,
                      std::size_t ld, std::size_t a, std::size_t b) {
  const std::size_t nv = len - len % W;
  B acc[RP][RQ];
  for (int i = 0; i < RP; ++i)
    for (int j = 0; j < RQ; ++j) acc[i][j] = B(0.f);
  for (std::size_t c = 0; c < nv; c += W) {
    B y[RQ];
    for (int j = 0; j < RQ; ++j) y[j] = B::load_unaligned(Q + (b + j) * ld + c);
    for (int i = 0; i < RP; ++i) {
      const B x = B::load_unaligned(P + (a + i) * ld + c);
      for (int j = 0; j < RQ; ++j) acc[i][j] += x * y[j];
    }
  }
  for (int i = 0; i < RP; ++i)
    for (int j = 0; j < RQ; ++j) {
      float s = xsimd::hadd(acc[i][j]);
      const float* pa = P + (a + i) * ld;
      const float* qb = Q + (b + j) * ld;
      for (std::size_t c = nv; c < len; ++c) s += pa[c] * qb[c];
      Out[(a + i) * ldo + b + j] += s;
    }
}

template <int RP>
void dot_rows(const float* P, const float* Q, float* Out, std::size_t ldo, std::size_t q,
              std::size_t len, std::size_t ld, std::size_t a) {
  // RQ·RP accumulators + RQ + 1 registers within 16: 4 columns for 1 or 2 rows, 2 for 5.
  constexpr int RQ = RP >= 5 ? 2 : 4;
  std::size_t b = 0;
  for (; b + RQ <= q; b += RQ) dot_block<RP, RQ>(P, Q, Out, ldo, len, ld, a, b);
  for (; b < q; ++b) dot_block<RP, 1>(P, Q, Out, ldo, len, ld, a, b);
}
}  // namespace

void rows_combine(const float* A, std::size_t lda, const float* bias, const float* X, float* Out,
                  std::size_t r, std::size_t k, std::size_t len, std::size_t ld) {
  // Blocks of 4 rows; a rest of 5 (the toy's m = 5) as one block of 5 (10 accumulators and the
  // two sample registers fit SSE's and wasm SIMD's 16 registers), of 2 or 3 likewise, so no row
  // reloads X on its own.
  std::size_t row = 0;
  for (; row + 4 <= r && r - row != 5; row += 4) combine_rows<4>(A, lda, bias, X, Out, k, len, ld, row);
  switch (r - row) {
    case 5: combine_rows<5>(A, lda, bias, X, Out, k, len, ld, row); break;
    case 3: combine_rows<3>(A, lda, bias, X, Out, k, len, ld, row); break;
    case 2: combine_rows<2>(A, lda, bias, X, Out, k, len, ld, row); break;
    case 1: combine_rows<1>(A, lda, bias, X, Out, k, len, ld, row); break;
    default: break;
  }
}

void rows_combine_ref(const float* A, std::size_t lda, const float* bias, const float* X,
                      float* Out, std::size_t r, std::size_t k, std::size_t len, std::size_t ld) {
  for (std::size_t row = 0; row < r; ++row)
    for (std::size_t c = 0; c < len; ++c) {
      float acc = bias ? bias[row] : 0.f;
      for (std::size_t j = 0; j < k; ++j) acc += A[row * lda + j] * X[j * ld + c];
      Out[row * ld + c] = acc;
    }
}

void rows_dot_add(const float* P, const float* Q, float* Out, std::size_t ldo, std::size_t p,
                  std::size_t q, std::size_t len, std::size_t ld) {
  // Blocks of 2 rows; a p of 5 (the toy's m) as one block of 5, which loads each Q row once.
  std::size_t a = 0;
  if (p == 5) {
    dot_rows<5>(P, Q, Out, ldo, q, len, ld, 0);
    return;
  }
  for (; a + 2 <= p; a += 2) dot_rows<2>(P, Q, Out, ldo, q, len, ld, a);
  for (; a < p; ++a) dot_rows<1>(P, Q, Out, ldo, q, len, ld, a);
}

void rows_dot_add_ref(const float* P, const float* Q, float* Out, std::size_t ldo, std::size_t p,
                      std::size_t q, std::size_t len, std::size_t ld) {
  for (std::size_t a = 0; a < p; ++a)
    for (std::size_t b = 0; b < q; ++b) {
      float s = 0.f;
      for (std::size_t c = 0; c < len; ++c) s += P[a * ld + c] * Q[b * ld + c];
      Out[a * ldo + b] += s;
    }
}

namespace {
// R rows of decode_loss_rows: per pair of sample registers, O for R rows in registers (bias, then
// j = 0..m-1), then the loss, the gradient (stored) and the row sums, all while O is live.
template <int R>
void decode_loss_block(const float* D, const float* bias, const float* w, const float* H,
                       const float* Y, float* G, float* gsum, std::size_t m, std::size_t len,
                       std::size_t ld, float scale, bool relu, std::size_t row, float* row_loss) {
  const std::size_t nv = len - len % W;
  const B zero(0.f), two_scale(2.f * scale);
  B loss[R], sum[R], wv[R], bv[R];
  for (int r = 0; r < R; ++r) {
    loss[r] = zero;
    sum[r] = zero;
    wv[r] = B(w[row + r]);
    bv[r] = B(bias[row + r]);
  }
  // One register of samples: O, then the fused loss and gradient.
  auto finish = [&](int r, const B& o, std::size_t c) {
    const B yh = relu ? xsimd::max(o, zero) : o;
    const B d = yh - B::load_unaligned(Y + (row + r) * ld + c);
    const B wd = wv[r] * d;
    loss[r] += wd * d;
    B g = two_scale * wd;
    if (relu) g = xsimd::select(o > zero, g, zero);
    g.store_unaligned(G + (row + r) * ld + c);
    sum[r] += g;
  };
  std::size_t c = 0;
  for (; c + 2 * W <= nv; c += 2 * W) {
    B acc[R][2];
    for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = bv[r];
    for (std::size_t j = 0; j < m; ++j) {
      const B h0 = B::load_unaligned(H + j * ld + c), h1 = B::load_unaligned(H + j * ld + c + W);
      for (int r = 0; r < R; ++r) {
        const B a(D[(row + r) * m + j]);
        acc[r][0] += a * h0;
        acc[r][1] += a * h1;
      }
    }
    for (int r = 0; r < R; ++r) {
      finish(r, acc[r][0], c);
      finish(r, acc[r][1], c + W);
    }
  }
  for (; c < nv; c += W) {
    B acc[R];
    for (int r = 0; r < R; ++r) acc[r] = bv[r];
    for (std::size_t j = 0; j < m; ++j) {
      const B h0 = B::load_unaligned(H + j * ld + c);
      for (int r = 0; r < R; ++r) acc[r] += B(D[(row + r) * m + j]) * h0;
    }
    for (int r = 0; r < R; ++r) finish(r, acc[r], c);
  }
  for (int r = 0; r < R; ++r) {
    const std::size_t i = row + r;
    float l = xsimd::hadd(loss[r]), s = xsimd::hadd(sum[r]);
    for (std::size_t t = nv; t < len; ++t) {
      float o = bias[i];
      for (std::size_t j = 0; j < m; ++j) o += D[i * m + j] * H[j * ld + t];
      const float yh = relu ? std::max(o, 0.f) : o;
      const float d = yh - Y[i * ld + t];
      const float wd = w[i] * d;
      l += wd * d;
      const float g = (relu && !(o > 0.f)) ? 0.f : 2.f * scale * wd;
      G[i * ld + t] = g;
      s += g;
    }
    row_loss[r] = l;
    if (gsum) gsum[i] += s;
  }
}
}  // namespace

float decode_loss_rows(const float* D, const float* bias, const float* w, const float* H,
                       const float* Y, float* G, float* gsum, std::size_t n, std::size_t m,
                       std::size_t len, std::size_t ld, float scale, bool relu, float loss) {
  float row_loss[4];
  std::size_t row = 0;
  for (; row + 4 <= n; row += 4) {
    decode_loss_block<4>(D, bias, w, H, Y, G, gsum, m, len, ld, scale, relu, row, row_loss);
    for (int r = 0; r < 4; ++r) loss += row_loss[r];
  }
  for (; row < n; ++row) {
    decode_loss_block<1>(D, bias, w, H, Y, G, gsum, m, len, ld, scale, relu, row, row_loss);
    loss += row_loss[0];
  }
  return loss;
}

float decode_loss_rows_ref(const float* D, const float* bias, const float* w, const float* H,
                           const float* Y, float* G, float* gsum, std::size_t n, std::size_t m,
                           std::size_t len, std::size_t ld, float scale, bool relu, float loss) {
  for (std::size_t i = 0; i < n; ++i) {
    float s = 0.f;
    for (std::size_t c = 0; c < len; ++c) {
      float o = bias[i];
      for (std::size_t j = 0; j < m; ++j) o += D[i * m + j] * H[j * ld + c];
      const float yh = relu ? (o > 0.f ? o : 0.f) : o;
      const float d = yh - Y[i * ld + c];
      loss += w[i] * d * d;
      G[i * ld + c] = (relu && o <= 0.f) ? 0.f : 2.f * scale * w[i] * d;
      s += G[i * ld + c];
    }
    if (gsum) gsum[i] += s;
  }
  return loss;
}

void axpy(float a, const float* x, float* y, std::size_t n) {
  const std::size_t nv = n - n % W;
  const B av(a);
  std::size_t i = 0;
  for (; i < nv; i += W) (B::load_unaligned(y + i) + av * B::load_unaligned(x + i)).store_unaligned(y + i);
  for (; i < n; ++i) y[i] += a * x[i];
}

void axpy_ref(float a, const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

bool all_finite(const float* x, std::size_t n) {
  const std::size_t nv = n - n % W;
  // x - x is 0 for finite x and NaN for inf/NaN; NaN propagates through the sum.
  B acc(0.f);
  std::size_t i = 0;
  for (; i < nv; i += W) {
    const B xv = B::load_unaligned(x + i);
    acc += xv - xv;
  }
  float tail = 0.f;
  for (; i < n; ++i) tail += x[i] - x[i];
  return std::isfinite(xsimd::hadd(acc) + tail) && xsimd::hadd(acc) + tail == 0.f;
}

bool all_finite_ref(const float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

}  // namespace superpose
