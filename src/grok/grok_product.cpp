#include "grok/grok_product.hpp"

#include <cassert>

#include "core/gemm.hpp"

namespace superpose {

void grok_product(Eigen::Ref<Mat> C, const Eigen::Ref<const Mat>& A, bool transpose_a,
                  const Eigen::Ref<const Mat>& B, bool transpose_b, bool accumulate) {
  const Eigen::Index k = transpose_a ? A.rows() : A.cols();
  assert(C.rows() == (transpose_a ? A.cols() : A.rows()));
  assert(C.cols() == (transpose_b ? B.rows() : B.cols()));
  assert(k == (transpose_b ? B.cols() : B.rows()));
#ifdef EIGEN_DONT_VECTORIZE
  if (!accumulate) C.setZero();
  gemm(transpose_a ? Trans::Yes : Trans::No, transpose_b ? Trans::Yes : Trans::No, C.rows(),
       C.cols(), k, A.data(), A.outerStride(), B.data(), B.outerStride(), C.data(),
       C.outerStride());
#else
  (void)k;
  if (!transpose_a && !transpose_b) {
    if (accumulate) C.noalias() += A * B; else C.noalias() = A * B;
  } else if (!transpose_a) {
    if (accumulate) C.noalias() += A * B.transpose(); else C.noalias() = A * B.transpose();
  } else if (!transpose_b) {
    if (accumulate) C.noalias() += A.transpose() * B; else C.noalias() = A.transpose() * B;
  } else {
    if (accumulate) C.noalias() += A.transpose() * B.transpose();
    else C.noalias() = A.transpose() * B.transpose();
  }
#endif
}

}  // namespace superpose
