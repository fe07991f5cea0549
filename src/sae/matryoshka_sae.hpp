// The Matryoshka BatchTopK sparse autoencoder (Bussmann et al. 2025, "Learning Multi-Level
// Features with Matryoshka Sparse Autoencoders", arXiv 2503.17547; SAELens 6.x
// sae_lens/saes/matryoshka_batchtopk_sae.py): BatchTopK's activation, threshold θ and aux-k,
// and a loss that adds to the full reconstruction error the errors of nested prefixes of the
// dictionary, each decoding with latents 0..w_m only:
//   L = Σ_m ‖x − (W_dec[:, 0:w_m] f[0:w_m] + b_dec)‖² + α · aux-k,   w_0 < w_1 < … < w_M = L
// (means over the batch). Early latents must reconstruct x on their own, so they learn the
// general (parent) features instead of leaving them to be absorbed into later, specific ones.
// The widths are config.matryoshka_widths() (the prefixes field, then n_latents).
//
// Forward and backward per sample, over its active latents only: the entries come sorted by
// latent (collect_column), so prefix m's entries are a prefix of them; x̂_m is built
// cumulatively (one gather_combine per group of entries between two widths) and an entry in
// group m receives the suffix sum S_m = Σ_{m' ≥ m} g_m' of the levels' residual gradients
// g_m = 2(x̂_m − x)/B: cost nnz·d + M·d per sample, not M times the decoder.
// At inference a Matryoshka SAE is a BatchTopK SAE (z > θ); SAELens saves it as JumpReLU.
// Not here: BatchTopK's selection and θ (batchtopk_sae), aux-k (topk_sae).
#pragma once
#include <vector>

#include "sae/batchtopk_sae.hpp"

namespace superpose {

class MatryoshkaSae : public BatchTopKSae {
 public:
  MatryoshkaSae(const SaeConfig& config, int d);
  SaeLoss loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) override;
  // w_0 < … < w_M = n_latents: the prefixes' widths, the whole dictionary last.
  const std::vector<int>& widths() const { return widths_; }

 private:
  std::vector<int> widths_;
  std::vector<double> level_mse_;  // (M + 1) this batch's mean ‖x − x̂_m‖² per level
  Mat G_;                          // (d, M + 1) one sample's g_m, then the suffix sums S_m
  std::vector<int> group_;         // (M + 2) one sample's entry boundaries between levels

  // Decodes code_ level by level into X_hat_ (the whole dictionary's reconstruction), fills
  // level_mse_; with grad: df_ and ∂/∂W_dec, ∂/∂b_dec of Σ_m mse_m.
  void nested_reconstruction_backward(const Eigen::Ref<const Mat>& X, float* grad);
};

}  // namespace superpose
