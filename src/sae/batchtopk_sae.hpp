// The BatchTopK sparse autoencoder (Bussmann et al. 2024, "BatchTopK Sparse Autoencoders"):
// training keeps the k·B largest positive pre-activations of the whole batch (so samples share
// a budget of k latents on average), and aux-k as TopK. At inference there is no batch: a
// latent fires when its pre-activation exceeds θ, an exponential moving average of the batch
// thresholds (the smallest kept value) seen in training.
#pragma once
#include "sae/topk_sae.hpp"

namespace superpose {

class BatchTopKSae : public TopKSae {
 public:
  BatchTopKSae(const SaeConfig& config, int d) : TopKSae(config, d) {}
  float inference_threshold() const { return theta_; }

 protected:
  void activate(SparseCode& code, bool training) override;

 private:
  float theta_ = -1.f;  // < 0: no training batch seen yet (inference then uses per-sample TopK)
  std::vector<float> all_;
  Vec threshold_;  // (L)
};

}  // namespace superpose
