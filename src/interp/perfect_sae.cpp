#include "interp/perfect_sae.hpp"

namespace superpose {

SaeView perfect_sae(const SplitToyModel& model) {
  const Mat& W = model.feature_directions();  // (m, n)
  const int n = model.n_features();
  SaeView sae;
  sae.W_dec = Mat::Zero(W.rows(), n);  // (m, n)
  for (int i = 0; i < n; ++i) {
    const float norm = W.col(i).norm();
    if (norm > 1e-6f) sae.W_dec.col(i) = W.col(i) / norm;
  }
  sae.b_dec = Vec::Zero(W.rows());
  // θ_i: the largest positive interference of another feature (values ≤ 1), plus a margin.
  Vec theta(n);  // (n)
  const Mat overlap = sae.W_dec.transpose() * W;  // (n, n): Ŵ_i·W_j
  for (int i = 0; i < n; ++i) {
    float worst = 0.f;
    for (int j = 0; j < n; ++j)
      if (j != i) worst = std::max(worst, overlap(i, j));
    theta[i] = worst + 1e-3f;
  }
  const Mat W_enc = sae.W_dec.transpose();  // (n, m)
  sae.encode = [W_enc, theta](const Eigen::Ref<const Mat>& H) -> Mat {
    Mat A = W_enc * H;  // (n, B)
    for (Eigen::Index b = 0; b < A.cols(); ++b)
      for (Eigen::Index i = 0; i < A.rows(); ++i)
        if (!(A(i, b) > theta[i])) A(i, b) = 0.f;
    return A;
  };
  return sae;
}

}  // namespace superpose
