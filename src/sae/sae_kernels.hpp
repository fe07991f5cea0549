// The hot loops of the sparse autoencoders, each an xsimd batch loop plus a scalar tail with a
// plain `_ref` twin (tests/unit/test_sae_kernels.cpp holds them together). The SAE step is a
// dense encoder GEMM (Eigen) followed by per-sample loops over the few active latents; these
// kernels are those loops: gathering the active latents of a column, and the d-long dot/residual
// operations around the core axpy (core/kernels.hpp).
#pragma once
#include <cstddef>

namespace superpose {

// Indices i (ascending) with x_i + bias_i > threshold_i, written to out (room for n + 4: the
// fast version writes four at a time, up to three past the count); returns how many. bias may be
// null (0).
std::size_t collect_above(const float* x, const float* bias, const float* threshold, int* out,
                          std::size_t n);
std::size_t collect_above_ref(const float* x, const float* bias, const float* threshold,
                              int* out, std::size_t n);

// Σ_i a_i b_i
float dot(const float* a, const float* b, std::size_t n);
float dot_ref(const float* a, const float* b, std::size_t n);

// The reconstruction error of one sample and its gradient, fused:
//   g_i = scale · (x_hat_i − x_i);   returns Σ_i (x_hat_i − x_i)²
float residual_grad(const float* x_hat, const float* x, float* g, std::size_t n, float scale);
float residual_grad_ref(const float* x_hat, const float* x, float* g, std::size_t n,
                        float scale);

}  // namespace superpose

namespace superpose {

// The per-sample sparse passes over the active latents' columns of a column-major (d, L)
// matrix M (column i at M + i·ld). Each keeps a block of the d-long vector in registers while it
// walks the entries, instead of one load/store round trip per entry.
//   gather_combine: out = base + Σ_e coef_e M[:, idx_e]          (decode)
//   gather_dots:    out_e = M[:, idx_e] · g                        (∂L/∂f)
//   scatter_axpy:   M[:, idx_e] += coef_e x   for every e          (weight gradients)
void gather_combine(const float* M, std::size_t ld, const int* idx, const float* coef,
                    std::size_t n_idx, const float* base, float* out, std::size_t d);
void gather_combine_ref(const float* M, std::size_t ld, const int* idx, const float* coef,
                        std::size_t n_idx, const float* base, float* out, std::size_t d);
void gather_dots(const float* M, std::size_t ld, const int* idx, std::size_t n_idx,
                 const float* g, float* out, std::size_t d);
void gather_dots_ref(const float* M, std::size_t ld, const int* idx, std::size_t n_idx,
                     const float* g, float* out, std::size_t d);
void scatter_axpy(float* M, std::size_t ld, const int* idx, const float* coef, std::size_t n_idx,
                  const float* x, std::size_t d);
void scatter_axpy_ref(float* M, std::size_t ld, const int* idx, const float* coef,
                      std::size_t n_idx, const float* x, std::size_t d);

}  // namespace superpose

namespace superpose {

// Out (m, n) = A (m, k) · X (k, n), all column-major (leading dimensions lda, ldx, ldo): the
// encoder's π = W_enc (X − b_dec) where Eigen has no SIMD (wasm: Eigen 3.4.0's SSE path does not
// compile under emcc, toolchain notes item 4). Register blocks of 2 SIMD rows × 4 columns
// accumulate over k in outer-product form (broadcast X, load A), so there are no horizontal sums.
void gemm_nn(const float* A, std::size_t lda, const float* X, std::size_t ldx, float* Out,
             std::size_t ldo, std::size_t m, std::size_t k, std::size_t n);
void gemm_nn_ref(const float* A, std::size_t lda, const float* X, std::size_t ldx, float* Out,
                 std::size_t ldo, std::size_t m, std::size_t k, std::size_t n);

}  // namespace superpose
