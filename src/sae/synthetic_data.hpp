// Synthetic SAE data with ground truth (issue 5; the setup of Sharkey et al. 2022, "Taking
// features out of superposition with sparse autoencoders"): F unit feature directions in d
// dimensions (random Gaussian, or orthonormal when F ≤ d), x = Σ_i c_i u_i with c_i ~ U[0,1)
// when feature i is active, which happens independently with probability p_i (equal, or a power
// law p_i ∝ (i+1)^-α, scaled so Σ p_i = active). Correlated groups: consecutive features in
// groups of g are switched on together: the group is "on" with probability q = min(1, 2 max p_i)
// and each member then fires with probability p_i / q, so marginals stay p_i while members
// co-occur far more often than independent features would.
// Sampling skips geometric gaps, feature by feature, so a batch costs O(nnz · d), not O(F · B).
#pragma once
#include "core/rng.hpp"
#include "sae/sae_data.hpp"

namespace superpose {

class SyntheticData : public SeededSaeData {
 public:
  explicit SyntheticData(const SaeConfig& config);
  int dim() const override { return d_; }
  const std::vector<double>& probabilities() const { return p_; }

 private:
  int d_, F_, g_;
  std::vector<double> p_;   // (F) marginal probabilities
  std::vector<double> q_;   // (groups) group-on probabilities
  void fill(Rng& rng, Mat& X, int batch_size, TrueFiring* firing) const override;
};

}  // namespace superpose
