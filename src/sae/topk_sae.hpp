// The TopK sparse autoencoder (Gao et al. 2024, "Scaling and evaluating sparse autoencoders",
// sections 2.3 and A.2): f = TopK(ReLU(W_enc (x − b_dec) + b_enc)), the k largest
// pre-activations of each sample (only positive ones), no sparsity penalty: L0 ≤ k by
// construction. Loss ‖x − x̂‖² + α · aux-k, where aux-k reconstructs the residual e = x − x̂
// (stop-gradient) with the top aux_k latents among the dead ones: ‖e − W_dec z_dead‖². It gives
// dead latents a gradient, so TopK needs no resampling. Unit-norm decoder.
// Code entries: value f = z, extra z.
#pragma once
#include "sae/sae.hpp"

namespace superpose {

class TopKSae : public Sae {
 public:
  TopKSae(const SaeConfig& config, int d) : Sae(config, d, 0) {}
  SaeLoss loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) override;

 protected:
  void activate(SparseCode& code, bool training) override;
  bool update_statistics_ = false;  // set by loss() for training steps (BatchTopK's θ)
  std::vector<float> z_, sel_;      // (L) one sample's pre-activations; selection scratch
  std::vector<int> top_;            // (≤ k) the selected positions

  // The aux-k term of the batch: adds its loss (returned) and gradient.
  double aux_k(const Eigen::Ref<const Mat>& X, float* grad, const std::vector<uint8_t>& dead);

 private:
  SparseCode aux_code_;
  std::vector<int> dead_list_;
  std::vector<float> daux_;
  Vec r_;  // (d)
};

// The positions of the k largest values of v[0..n) that are > 0 (fewer when fewer are
// positive), ascending; ties are broken towards lower positions. scratch is reused.
void top_k_positive(const float* v, int n, int k, std::vector<float>& scratch, std::vector<int>& out);

}  // namespace superpose
