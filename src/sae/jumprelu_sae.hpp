// The JumpReLU sparse autoencoder (Rajamanoharan et al. 2024b, "Jumping Ahead: Improving
// Reconstruction Fidelity with JumpReLU Sparse Autoencoders", sections 2–4):
//   z = W_enc (x − b_dec) + b_enc,   f = z ⊙ H(z − θ),   θ = exp(log θ) per latent
//   loss = ‖x − x̂‖² + λ ‖f‖₀ = ‖x − x̂‖² + λ Σ_i H(z_i − θ_i)
// H has no useful derivative, so θ learns through straight-through pseudo-derivatives with a
// rectangle kernel K(u) = 1[|u| < 1/2] of bandwidth ε (the paper's equations 11–12):
//   ð f_i/ð θ_i = −(θ_i/ε) K((z_i − θ_i)/ε),    ð H(z_i − θ_i)/ð θ_i = −(1/ε) K((z_i − θ_i)/ε)
// and z gets the ordinary gradient of z·H (∂f/∂z = H; none through the step). Unit-norm decoder.
// The training code also carries the latents just below their threshold (z > θ − ε/2, f = 0):
// the kernel is non-zero there too. Extras: log θ (L). Code entries: value f, extra z.
#pragma once
#include "sae/sae.hpp"

namespace superpose {

class JumpReluSae : public Sae {
 public:
  JumpReluSae(const SaeConfig& config, int d) : Sae(config, d, std::size_t(config.n_latents)) {}
  SaeLoss loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) override;
  VecMap log_theta() { return VecMap(params_.data() + off_extra(), L_); }
  Vec theta() const;
  void resample_latent(int i, const Eigen::Ref<const Vec>& direction, float encoder_scale) override;
  std::vector<std::size_t> extra_indices(int i) const override;

 protected:
  void initialise_extras() override;
  void activate(SparseCode& code, bool training) override;

 private:
  Vec theta_, threshold_;  // (L)
};

}  // namespace superpose
