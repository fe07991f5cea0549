// The ReLU sparse autoencoder with an L1 penalty (Bricken et al. 2023, "Towards
// Monosemanticity"): f = ReLU(W_enc(x − b_dec) + b_enc), loss ‖x − x̂‖² + λ Σ_i f_i with unit-norm
// decoder columns; or, with decoder_norm = "weighted" (Anthropic's April 2024 update), a free
// decoder and the penalty λ Σ_i f_i ‖W_dec,i‖.
// Backward: ∂L/∂π_i = (W_dec,iᵀ ∂L/∂x̂ + λ‖W_dec,i‖) · [π_i > 0]; the weighted penalty also adds
// λ f_i W_dec,i/‖W_dec,i‖ to ∂L/∂W_dec,i.
#pragma once
#include "sae/sae.hpp"

namespace superpose {

class ReluSae : public Sae {
 public:
  ReluSae(const SaeConfig& config, int d) : Sae(config, d, 0) {}
  SaeLoss loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) override;

 protected:
  void activate(SparseCode& code, bool training) override;

 private:
  Vec norms_, f_sum_;  // (L)
};

}  // namespace superpose
