// The hot loops of the sparse autoencoders, each an xsimd batch loop plus a scalar tail with a
// plain `_ref` twin (tests/unit/test_sae_kernels.cpp holds them together). The SAE step is a
// dense encoder GEMM (Eigen) followed by per-sample loops over the few active latents; these
// kernels are those loops: gathering the active latents of a column, and the d-long dot/residual
// operations around the core axpy (core/kernels.hpp).
#pragma once
#include <cstddef>

namespace superpose {

// Indices i (ascending) with x_i + bias_i > threshold_i, written to out (room for n);
// returns how many. bias may be null (0).
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
