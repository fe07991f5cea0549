// The matrix products of the grokking models, C (m, n) = op(A) · op(B) (or += with accumulate),
// in one place so each target uses its fastest GEMM: natively Eigen's (vectorised), in wasm, where
// Eigen runs without SIMD (EIGEN_DONT_VECTORIZE, toolchain notes item 4), the blocked xsimd GEMM
// of core/gemm.hpp. C must already have its shape.
#pragma once
#include "core/eigen.hpp"

namespace superpose {

void grok_product(Eigen::Ref<Mat> C, const Eigen::Ref<const Mat>& A, bool transpose_a,
                  const Eigen::Ref<const Mat>& B, bool transpose_b, bool accumulate = false);

}  // namespace superpose
