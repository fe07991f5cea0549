// The gated sparse autoencoder (Rajamanoharan et al. 2024, "Improving Dictionary Learning with
// Gated Sparse Autoencoders", section 3): which latents fire and how strongly are estimated by
// two paths sharing one matrix (weight sharing via r_mag):
//   π_gate = W_gate (x − b_dec) + b_gate               W_gate = W_enc, b_gate = b_enc
//   π_mag  = W_mag (x − b_dec) + b_mag                 W_mag = exp(r_mag) ⊙ W_gate (row-wise)
//   f      = 1[π_gate > 0] ⊙ ReLU(π_mag)
//   loss   = ‖x − x̂‖² + λ ‖ReLU(π_gate)‖₁ + ‖x − x̂_frozen(ReLU(π_gate))‖²
// where x̂_frozen decodes with stop-gradient copies of W_dec and b_dec: the L1 acts on the gate
// only, so the magnitudes are not shrunk (the paper's fix of feature suppression). Unit-norm
// decoder columns.
// Extras: r_mag (L), b_mag (L). Code entries: value f, extra π_gate (only gate-open latents).
#pragma once
#include "sae/sae.hpp"

namespace superpose {

class GatedSae : public Sae {
 public:
  GatedSae(const SaeConfig& config, int d) : Sae(config, d, 2 * std::size_t(config.n_latents)) {}
  SaeLoss loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) override;
  VecMap r_mag() { return VecMap(params_.data() + off_extra(), L_); }
  VecMap b_mag() { return VecMap(params_.data() + off_extra() + L_, L_); }
  void resample_latent(int i, const Eigen::Ref<const Vec>& direction, float encoder_scale) override;
  std::vector<std::size_t> extra_indices(int i) const override;

 protected:
  void activate(SparseCode& code, bool training) override;

 private:
  Vec exp_r_, x_aux_;      // (L), (d)
  std::vector<float> dgate_;  // (nnz)
};

}  // namespace superpose
