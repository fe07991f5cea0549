#include "lm/lm_ops.hpp"

#include <algorithm>
#include <cmath>
#include <vector>
#include <xsimd/xsimd.hpp>

#include "core/gemm.hpp"

namespace superpose {

namespace {
using Batch = xsimd::batch<float>;
constexpr std::size_t kWidth = Batch::size;

// y += a x over n floats (xsimd batch loop + scalar tail).
inline void axpy_n(float a, const float* x, float* y, int n) {
  std::size_t i = 0;
  const Batch av(a);
  for (; i + kWidth <= static_cast<std::size_t>(n); i += kWidth)
    (Batch::load_unaligned(y + i) + av * Batch::load_unaligned(x + i)).store_unaligned(y + i);
  for (; i < static_cast<std::size_t>(n); ++i) y[i] += a * x[i];
}

const float kGeluScale = std::sqrt(2.0f / static_cast<float>(M_PI));
constexpr float kGeluCubic = 0.044715f;
}  // namespace

// ---- encoder: token + position embeddings --------------------------------------------------

void encoder_forward(float* out, const int32_t* tokens, const float* wte, const float* wpe, int B,
                     int T, int C) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      float* out_bt = out + (std::size_t(b) * T + t) * C;       // (C)
      const float* wte_ix = wte + std::size_t(tokens[b * T + t]) * C;  // (C)
      const float* wpe_t = wpe + std::size_t(t) * C;             // (C)
      for (int i = 0; i < C; ++i) out_bt[i] = wte_ix[i] + wpe_t[i];
    }
}

void encoder_backward(float* dwte, float* dwpe, const float* dout, const int32_t* tokens, int B,
                      int T, int C) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const float* dout_bt = dout + (std::size_t(b) * T + t) * C;
      float* dwte_ix = dwte + std::size_t(tokens[b * T + t]) * C;
      float* dwpe_t = dwpe + std::size_t(t) * C;
      for (int i = 0; i < C; ++i) {
        dwte_ix[i] += dout_bt[i];
        dwpe_t[i] += dout_bt[i];
      }
    }
}

// ---- LayerNorm -----------------------------------------------------------------------------

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + std::size_t(n) * C;  // (C)
    float m = 0.f;
    for (int i = 0; i < C; ++i) m += x[i];
    m /= static_cast<float>(C);
    float v = 0.f;
    for (int i = 0; i < C; ++i) v += (x[i] - m) * (x[i] - m);
    v /= static_cast<float>(C);  // biased variance, as PyTorch's LayerNorm
    const float s = 1.f / std::sqrt(v + kLayerNormEps);
    float* o = out + std::size_t(n) * C;
    for (int i = 0; i < C; ++i) o[i] = (x[i] - m) * s * weight[i] + bias[i];
    mean[n] = m;
    rstd[n] = s;
  }
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean, const float* rstd,
                        int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* dout_n = dout + std::size_t(n) * C;
    const float* x = inp + std::size_t(n) * C;
    float* dx = dinp + std::size_t(n) * C;
    const float m = mean[n], s = rstd[n];
    // dnorm = weight · dout; dx = s · (dnorm - mean(dnorm) - norm · mean(dnorm · norm))
    float dnorm_mean = 0.f, dnorm_norm_mean = 0.f;
    for (int i = 0; i < C; ++i) {
      const float norm = (x[i] - m) * s;
      const float dnorm = weight[i] * dout_n[i];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * norm;
    }
    dnorm_mean /= static_cast<float>(C);
    dnorm_norm_mean /= static_cast<float>(C);
    for (int i = 0; i < C; ++i) {
      const float norm = (x[i] - m) * s;
      const float dnorm = weight[i] * dout_n[i];
      dbias[i] += dout_n[i];
      dweight[i] += norm * dout_n[i];
      dx[i] += s * (dnorm - dnorm_mean - norm * dnorm_norm_mean);
    }
  }
}

// ---- linear (Conv1D layout) ----------------------------------------------------------------
// Row-major (N, C) is column-major (C, N); weight (C, OC) row-major is column-major (OC, C).

void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int C, int OC) {
  for (int n = 0; n < N; ++n) {
    float* o = out + std::size_t(n) * OC;
    if (bias)
      std::copy(bias, bias + OC, o);
    else
      std::fill(o, o + OC, 0.f);
  }
  // out (OC, N) += W (OC, C) · inp (C, N)   [column-major]
  gemm(Trans::No, Trans::No, OC, N, C, weight, OC, inp, C, out, OC);
}

void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  // dinp (C, N) += Wᵀ (C, OC) · dout (OC, N)
  if (dinp) gemm(Trans::Yes, Trans::No, C, N, OC, weight, OC, dout, OC, dinp, C);
  // dW (OC, C) += dout (OC, N) · inpᵀ (N, C)
  gemm(Trans::No, Trans::Yes, OC, C, N, dout, OC, inp, C, dweight, OC);
  if (dbias)
    for (int n = 0; n < N; ++n) {
      const float* d = dout + std::size_t(n) * OC;
      for (int o = 0; o < OC; ++o) dbias[o] += d[o];
    }
}

// ---- causal multi-head attention -----------------------------------------------------------

namespace {
// S[r, t2] = A_r · B_t2 for every t2 ≤ r < R (the causal half of A·Bᵀ; entries t2 > r within the
// same SIMD block of a row are written too). A and B are R rows of n floats at strides lda, ldb;
// S is (R, ldS) with ldS ≥ R rounded up to the SIMD width. Four rows of A at a time against a
// transposed copy of B (bt, n × ldS): each load of B serves four rows, and the sums run over n
// in each lane without a horizontal add.
void causal_dots(float* S, std::size_t ldS, const float* A, std::size_t lda, const float* B,
                 std::size_t ldb, int R, int n, std::vector<float>& bt) {
  bt.assign(std::size_t(n) * ldS, 0.f);
  for (int t2 = 0; t2 < R; ++t2)
    for (int i = 0; i < n; ++i) bt[std::size_t(i) * ldS + t2] = B[t2 * ldb + i];
  for (int r0 = 0; r0 < R; r0 += 4) {
    const int nr = std::min(4, R - r0);
    const float* a0 = A + std::size_t(r0) * lda;  // rows past R repeat the last (not stored)
    const float* a1 = A + std::size_t(std::min(r0 + 1, R - 1)) * lda;
    const float* a2 = A + std::size_t(std::min(r0 + 2, R - 1)) * lda;
    const float* a3 = A + std::size_t(std::min(r0 + 3, R - 1)) * lda;
    for (std::size_t kb = 0; kb < std::size_t(r0 + nr); kb += kWidth) {
      Batch s0(0.f), s1(0.f), s2(0.f), s3(0.f);
      for (int i = 0; i < n; ++i) {
        const Batch k = Batch::load_unaligned(bt.data() + std::size_t(i) * ldS + kb);
        s0 += Batch(a0[i]) * k;
        s1 += Batch(a1[i]) * k;
        s2 += Batch(a2[i]) * k;
        s3 += Batch(a3[i]) * k;
      }
      float* row = S + std::size_t(r0) * ldS + kb;
      s0.store_unaligned(row);
      if (nr > 1) s1.store_unaligned(row + ldS);
      if (nr > 2) s2.store_unaligned(row + 2 * ldS);
      if (nr > 3) s3.store_unaligned(row + 3 * ldS);
    }
  }
}

std::size_t round_up_to_width(int n) { return (std::size_t(n) + kWidth - 1) / kWidth * kWidth; }
}  // namespace

void attention_pattern_forward(float* att, const float* qkv, int B, int T, int C, int H) {
  const int C3 = 3 * C, hs = C / H;
  const float scale = 1.f / std::sqrt(static_cast<float>(hs));
  const std::size_t ldS = round_up_to_width(T);
  std::vector<float> scores(T * ldS), bt;  // (T, ldS) one head's q · k
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const float* q = qkv + std::size_t(b) * T * C3 + h * hs;  // (T, hs) at stride 3C
      causal_dots(scores.data(), ldS, q, C3, q + C, C3, T, hs, bt);
      for (int t = 0; t < T; ++t) {
        const float* s = scores.data() + t * ldS;
        float* att_row = att + ((std::size_t(b) * H + h) * T + t) * T;  // (T)
        float maxval = -INFINITY;
        for (int t2 = 0; t2 <= t; ++t2) maxval = std::max(maxval, s[t2] * scale);
        float sum = 0.f;
        for (int t2 = 0; t2 <= t; ++t2) sum += att_row[t2] = std::exp(s[t2] * scale - maxval);
        const float inv = 1.f / sum;  // sum ≥ 1: the maximum contributes exp(0)
        for (int t2 = 0; t2 <= t; ++t2) att_row[t2] *= inv;
        for (int t2 = t + 1; t2 < T; ++t2) att_row[t2] = 0.f;  // the causal mask
      }
    }
}

void attention_mix_forward(float* out, const float* att, const float* qkv, int B, int T, int C,
                           int H) {
  const int C3 = 3 * C, hs = C / H;
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int h = 0; h < H; ++h) {
        const float* att_row = att + ((std::size_t(b) * H + h) * T + t) * T;  // (T)
        float* o = out + (std::size_t(b) * T + t) * C + h * hs;              // (hs)
        std::fill(o, o + hs, 0.f);
        for (int t2 = 0; t2 <= t; ++t2) {
          const float* v = qkv + (std::size_t(b) * T + t2) * C3 + 2 * C + h * hs;  // (hs)
          axpy_n(att_row[t2], v, o, hs);
        }
      }
}

void attention_backward(float* dqkv, const float* dout, const float* qkv, const float* att, int B,
                        int T, int C, int H) {
  const int C3 = 3 * C, hs = C / H;
  const float scale = 1.f / std::sqrt(static_cast<float>(hs));
  const std::size_t ldS = round_up_to_width(T);
  std::vector<float> datt(T * ldS), dpre(T), bt;  // (T, ldS) one head's dout · v; (T) one row's
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const std::size_t base = std::size_t(b) * T * C3 + h * hs;
      const float* dout_h = dout + std::size_t(b) * T * C + h * hs;  // (T, hs) at stride C
      // out_t = Σ_t2 att[t, t2] v_t2:  datt[t, t2] = dout_t · v_t2
      causal_dots(datt.data(), ldS, dout_h, C, qkv + base + 2 * C, C3, T, hs, bt);
      for (int t = 0; t < T; ++t) {
        const float* att_row = att + ((std::size_t(b) * H + h) * T + t) * T;
        const float* datt_row = datt.data() + t * ldS;
        const float* dout_t = dout_h + std::size_t(t) * C;
        const float* q = qkv + base + std::size_t(t) * C3;
        float* dq = dqkv + base + std::size_t(t) * C3;
        // softmax: dpre[t2] = att[t2] (datt[t2] - Σ_t3 att[t3] datt[t3]), times the scale of
        // pre[t2] = scale · q · k[t2]
        float inner = 0.f;
        for (int t2 = 0; t2 <= t; ++t2) inner += att_row[t2] * datt_row[t2];
        for (int t2 = 0; t2 <= t; ++t2) dpre[t2] = att_row[t2] * (datt_row[t2] - inner) * scale;
        for (int t2 = 0; t2 <= t; ++t2) {
          const std::size_t row = base + std::size_t(t2) * C3;
          axpy_n(att_row[t2], dout_t, dqkv + row + 2 * C, hs);  // dv[t2] += att[t2] dout_t
          axpy_n(dpre[t2], qkv + row + C, dq, hs);             // dq += dpre[t2] k[t2]
          axpy_n(dpre[t2], q, dqkv + row + C, hs);             // dk[t2] += dpre[t2] q
        }
      }
    }
}

// ---- GELU (tanh approximation) -------------------------------------------------------------

void gelu_forward(float* out, const float* inp, std::size_t n) {
  const Batch half(0.5f), one(1.f), s(kGeluScale), c(kGeluCubic);
  std::size_t i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    const Batch x = Batch::load_unaligned(inp + i);
    const Batch th = xsimd::tanh(s * (x + c * x * x * x));
    (half * x * (one + th)).store_unaligned(out + i);
  }
  for (; i < n; ++i) {
    const float x = inp[i];
    out[i] = 0.5f * x * (1.f + std::tanh(kGeluScale * (x + kGeluCubic * x * x * x)));
  }
}

void gelu_backward(float* dinp, const float* inp, const float* dout, std::size_t n) {
  // d/dx: 0.5 (1 + th) + 0.5 x (1 - th²) · s (1 + 3·0.044715 x²)
  const Batch half(0.5f), one(1.f), s(kGeluScale), c(kGeluCubic), c3(3.f * kGeluCubic);
  std::size_t i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    const Batch x = Batch::load_unaligned(inp + i);
    const Batch th = xsimd::tanh(s * (x + c * x * x * x));
    const Batch local = half * (one + th) + half * x * (one - th * th) * s * (one + c3 * x * x);
    (local * Batch::load_unaligned(dout + i)).store_unaligned(dinp + i);
  }
  for (; i < n; ++i) {
    const float x = inp[i];
    const float th = std::tanh(kGeluScale * (x + kGeluCubic * x * x * x));
    const float local = 0.5f * (1.f + th) +
                        0.5f * x * (1.f - th * th) * kGeluScale * (1.f + 3.f * kGeluCubic * x * x);
    dinp[i] = local * dout[i];
  }
}

// ---- residual ------------------------------------------------------------------------------

void residual_forward(float* out, const float* a, const float* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

void residual_backward(float* da, float* db, const float* dout, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    da[i] += dout[i];
    db[i] += dout[i];
  }
}

// ---- tied unembedding ----------------------------------------------------------------------
// wte (V, C) row-major is column-major (C, V); x (N, C) is (C, N); logits (N, V) is (V, N).

void unembed_forward(float* logits, const float* x, const float* wte, int N, int C, int V) {
  std::fill(logits, logits + std::size_t(N) * V, 0.f);
  // logits (V, N) = wteᵀ (V, C) · x (C, N)
  gemm(Trans::Yes, Trans::No, V, N, C, wte, C, x, C, logits, V);
}

void unembed_backward(float* dx, float* dwte, const float* dlogits, const float* x,
                      const float* wte, int N, int C, int V) {
  // dx (C, N) += wte (C, V) · dlogits (V, N)
  gemm(Trans::No, Trans::No, C, N, V, wte, C, dlogits, V, dx, C);
  // dwte (C, V) += x (C, N) · dlogitsᵀ (N, V)
  gemm(Trans::No, Trans::Yes, C, V, N, x, C, dlogits, V, dwte, C);
}

// ---- softmax + cross-entropy ---------------------------------------------------------------

namespace {
// p (V) = softmax(l); returns log Σ exp(l - max), and max in maxval.
float softmax_row(float* p, const float* l, int V, float& maxval) {
  maxval = *std::max_element(l, l + V);
  float sum = 0.f;
  for (int i = 0; i < V; ++i) sum += p[i] = std::exp(l[i] - maxval);
  const float inv = 1.f / sum;  // sum ≥ 1: the maximum contributes exp(0)
  for (int i = 0; i < V; ++i) p[i] *= inv;
  return std::log(sum);
}
}  // namespace

void softmax_forward(float* probs, const float* logits, int N, int V) {
  float maxval;
  for (int n = 0; n < N; ++n)
    softmax_row(probs + std::size_t(n) * V, logits + std::size_t(n) * V, V, maxval);
}

double softmax_crossentropy_forward(float* probs, float* losses, const float* logits,
                                    const int32_t* targets, int N, int V) {
  double total = 0;
  for (int n = 0; n < N; ++n) {
    const float* l = logits + std::size_t(n) * V;  // (V)
    float maxval;
    const float log_sum = softmax_row(probs + std::size_t(n) * V, l, V, maxval);
    // -log softmax[target] from the logits (log of a tiny p would underflow to -inf)
    losses[n] = log_sum - (l[targets[n]] - maxval);
    total += losses[n];
  }
  return total / N;
}

void softmax_crossentropy_backward(float* dlogits, const float* probs, const int32_t* targets,
                                   int N, int V, float dloss) {
  const float scale = dloss / static_cast<float>(N);
  for (int n = 0; n < N; ++n) {
    const float* p = probs + std::size_t(n) * V;
    float* d = dlogits + std::size_t(n) * V;
    for (int i = 0; i < V; ++i) d[i] += scale * p[i];
    d[targets[n]] -= scale;
  }
}

}  // namespace superpose
