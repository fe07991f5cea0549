#include "toy/readouts.hpp"

namespace superpose {

ToyReadouts compute_readouts(const Eigen::Ref<const Mat>& W) {
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols());
  constexpr float kZeroNorm = 1e-6f;
  ToyReadouts r;
  r.WtW.noalias() = W.transpose() * W;
  r.feature_norms = r.WtW.diagonal().cwiseMax(0.f).cwiseSqrt();
  r.interference.setZero(n);
  r.dimensionality.setZero(n);
  for (int i = 0; i < n; ++i) {
    const float norm = r.feature_norms[i];
    if (norm < kZeroNorm) continue;
    // (Ŵ_i·W_j)² = (WᵀW)_ij² / ‖W_i‖²
    const float sum_sq = r.WtW.row(i).squaredNorm() / (norm * norm);
    r.interference[i] = sum_sq - norm * norm;
    if (r.interference[i] < 0.f) r.interference[i] = 0.f;  // rounding
    r.dimensionality[i] = norm * norm / sum_sq;
    if (norm > 0.5f) ++r.represented;
  }
  const float frob = W.squaredNorm();
  r.dims_per_feature = frob > 0.f ? static_cast<float>(m) / frob : 0.f;
  return r;
}

}  // namespace superpose
