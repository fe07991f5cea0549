// The hot loops, each an xsimd batch loop plus a scalar tail, with a plain `_ref` twin that the
// tests hold the fast version to (on lengths that are and are not multiples of the SIMD width).
// In wasm, xsimd runs through Emscripten's SSE -> SIMD128 emulation (-msimd128 -msse4.1).
// Kernels avoid rcp/rsqrt so native and wasm results stay close (toolchain notes, item 9).
#pragma once
#include <cstddef>

namespace superpose {

// Name of the SIMD architecture the kernels were compiled for (e.g. "avx512bw", "sse4.1").
const char* simd_arch_name();
// Floats per SIMD register for that architecture.
std::size_t simd_width();

// Importance-weighted squared error of one sample and its gradient, fused.
//   y_hat = relu ? max(o, 0) : o
//   returns Σ_i w_i (y_hat_i - y_i)²
//   grad_i = scale · 2 w_i (y_hat_i - y_i) · (relu ? [o_i > 0] : 1)
// o: pre-activation outputs (n), y: targets (n), w: importance (n), grad: out (n).
float weighted_sq_error_grad(const float* o, const float* y, const float* w, float* grad,
                             std::size_t n, float scale, bool relu);
float weighted_sq_error_grad_ref(const float* o, const float* y, const float* w, float* grad,
                                 std::size_t n, float scale, bool relu);

// Importance-weighted squared error only (evaluation, finite differences).
float weighted_sq_error(const float* o, const float* y, const float* w, std::size_t n, bool relu);
float weighted_sq_error_ref(const float* o, const float* y, const float* w, std::size_t n,
                            bool relu);

// Bernoulli draws to active indices (the toy data's sampling): appends base + i to idx for every
// i < n with u[i] < p, in order, and returns how many. idx needs room for n + 4 values (the fast
// version writes four at a time past the last one it keeps).
std::size_t append_below(const float* u, std::size_t n, float p, int base, int* idx);
std::size_t append_below_ref(const float* u, std::size_t n, float p, int base, int* idx);

// In place: x_i = max(x_i, 0).
void relu_inplace(float* x, std::size_t n);
void relu_inplace_ref(float* x, std::size_t n);

// In place: g_i = 0 where pre_i <= 0 (the ReLU's backward).
void relu_backward_inplace(const float* pre, float* g, std::size_t n);
void relu_backward_inplace_ref(const float* pre, float* g, std::size_t n);

// One Adam/AdamW update over a flat buffer (Kingma & Ba 2015; Loshchilov & Hutter 2019):
//   m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²
//   p -= lr · ( (m / bc1) / (sqrt(v / bc2) + eps) + decay · p )
// where bc1 = 1 - β1^t, bc2 = 1 - β2^t, and decay is the decoupled weight decay (0 for Adam).
struct AdamStep {
  float lr, beta1, beta2, eps, bc1, bc2, decay;
};
void adam_update(float* p, const float* g, float* m, float* v, std::size_t n, const AdamStep& s);
void adam_update_ref(float* p, const float* g, float* m, float* v, std::size_t n,
                     const AdamStep& s);

// Small matrix-vector products of a decoder D, stored as m columns of length n (column-major
// (n, m)), as used per sample by the toy models:
//   matvec_add:     o = b + D h                        o, b: (n)   h: (m)
//   matvec_t_outer: dh = Dᵀ g  and  dD += g hᵀ         g: (n)   dh: (m) (overwritten)   dD: (n, m)
void matvec_add(const float* D, const float* h, const float* b, float* o, std::size_t n,
                std::size_t m);
void matvec_add_ref(const float* D, const float* h, const float* b, float* o, std::size_t n,
                    std::size_t m);
void matvec_t_outer(const float* D, const float* g, const float* h, float* dD, float* dh,
                    std::size_t n, std::size_t m);
void matvec_t_outer_ref(const float* D, const float* g, const float* h, float* dD, float* dh,
                        std::size_t n, std::size_t m);

// The encoder side of the same layout, E (n, m) with contiguous columns:
//   matvec_t:  h = Eᵀ x           h: (m) (overwritten)   x: (n)
//   outer_add: dE += x dhᵀ        dE: (n, m)   x: (n)   dh: (m)
void matvec_t(const float* E, const float* x, float* h, std::size_t n, std::size_t m);
void matvec_t_ref(const float* E, const float* x, float* h, std::size_t n, std::size_t m);
void outer_add(float* dE, const float* x, const float* dh, std::size_t n, std::size_t m);
void outer_add_ref(float* dE, const float* x, const float* dh, std::size_t n, std::size_t m);

// Batch-major products for dense batches, rows contiguous over samples (row stride ld):
//   rows_combine: Out (r, len) = bias ⊕ A (r, k) · X (k, len)      A row-major with row stride
//                                                                  lda ≥ k, bias (r) or null
//   rows_dot_add: Out (p, q) += P (p, len) · Q (q, len)ᵀ            Out row-major, row stride ldo ≥ q
// The strides let a caller skip zero padding (the toy's n_pad rows past n): only the first k
// columns of A, and the first q columns of Out, are read or written.
void rows_combine(const float* A, std::size_t lda, const float* bias, const float* X, float* Out,
                  std::size_t r, std::size_t k, std::size_t len, std::size_t ld);
void rows_combine_ref(const float* A, std::size_t lda, const float* bias, const float* X,
                      float* Out, std::size_t r, std::size_t k, std::size_t len, std::size_t ld);
void rows_dot_add(const float* P, const float* Q, float* Out, std::size_t ldo, std::size_t p,
                  std::size_t q, std::size_t len, std::size_t ld);
void rows_dot_add_ref(const float* P, const float* Q, float* Out, std::size_t ldo, std::size_t p,
                      std::size_t q, std::size_t len, std::size_t ld);

// The decoder side of a dense batch fused with the loss (the toy models' batched strategy), rows
// contiguous over samples (row stride ld): for each output row i < n and sample c < len,
//   o = bias_i + Σ_j D[i, j] H[j, c]            D row-major (n, m), H (m, ld), summed bias first
//   G[i, c] = dL/do as weighted_sq_error_grad's (y = Y[i, c], weight w_i, scale, relu)
//   gsum_i += Σ_c G[i, c]                        (the bias gradient; gsum may be null)
// and returns loss + Σ_i Σ_c w_i (y_hat - y)², each row's sum formed as weighted_sq_error_grad
// forms it and added to `loss` row after row (the float a caller adding rows one by one gets).
// O never goes to memory; w is one weight per row.
float decode_loss_rows(const float* D, const float* bias, const float* w, const float* H,
                       const float* Y, float* G, float* gsum, std::size_t n, std::size_t m,
                       std::size_t len, std::size_t ld, float scale, bool relu, float loss);
float decode_loss_rows_ref(const float* D, const float* bias, const float* w, const float* H,
                           const float* Y, float* G, float* gsum, std::size_t n, std::size_t m,
                           std::size_t len, std::size_t ld, float scale, bool relu, float loss);

// y += a x
void axpy(float a, const float* x, float* y, std::size_t n);
void axpy_ref(float a, const float* x, float* y, std::size_t n);

// True when every value is finite.
bool all_finite(const float* x, std::size_t n);
bool all_finite_ref(const float* x, std::size_t n);

}  // namespace superpose
