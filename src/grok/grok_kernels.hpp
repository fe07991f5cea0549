// The hot loops of the grokking models that are not matrix products, each an xsimd batch loop plus
// a scalar tail, with a plain `_ref` twin (tests/unit/test_grok_kernels.cpp). With one-hot inputs
// a product W [1_a; 1_b] is a sum of two columns of W, and its backward adds each gradient column
// into those two columns: a gather and a scatter-add, never a product with one-hot matrices.
//
// Legend: r = rows of a column (width, d_model or p), N = pairs, T = tokens (p)
// Matrices are column-major with contiguous columns of r floats.
#pragma once
#include <cstddef>

namespace superpose {

// out[:, n] = A[:, a[n]] + B[:, b[n]]                  A, B: (r, T)   out: (r, N)
void pair_gather_add(const float* A, const float* B, const int* a, const int* b, float* out,
                     std::size_t r, std::size_t N);
void pair_gather_add_ref(const float* A, const float* B, const int* a, const int* b, float* out,
                         std::size_t r, std::size_t N);

// dA[:, a[n]] += G[:, n];  dB[:, b[n]] += G[:, n]      G: (r, N)   dA, dB: (r, T)
// (dA may equal dB when the two tokens share one table.)
void pair_scatter_add(const float* G, const int* a, const int* b, float* dA, float* dB,
                      std::size_t r, std::size_t N);
void pair_scatter_add_ref(const float* G, const int* a, const int* b, float* dA, float* dB,
                          std::size_t r, std::size_t N);

}  // namespace superpose
