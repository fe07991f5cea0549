#include "interp/activation_stats.hpp"

namespace superpose {

RowStats row_stats(const Eigen::Ref<const Mat>& A, bool max_abs) {
  RowStats s;
  s.reference = A;
  if (A.cols() == 0) {
    s.max = s.mean = Vec::Zero(A.rows());
    return s;
  }
  s.max = max_abs ? Vec(A.cwiseAbs().rowwise().maxCoeff()) : Vec(A.rowwise().maxCoeff());
  s.mean = A.rowwise().mean();
  return s;
}

ActivationStats activation_stats(const SplitToyModel& model, const SaeView* sae,
                                 const Eigen::Ref<const Mat>& X) {
  ActivationStats stats;
  const Mat H = model.hidden(X);  // (m, R)
  stats.units = row_stats(H, true);
  if (sae) stats.latents = row_stats(sae->encode(H), false);
  return stats;
}

}  // namespace superpose
