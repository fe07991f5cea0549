// Training one sparse autoencoder (issue 5, "Training"): Adam (core/optim) with a warmup and
// cosine-decay learning-rate schedule, λ warmed up linearly from 0, tied initialisation with
// b_dec = the data mean, the unit-norm decoder constraint (gradient projected before the step,
// columns renormalised after it), and dead-latent bookkeeping: a latent that has not fired for
// dead_window steps is dead; ReLU and Gated SAEs resample their dead latents every
// resample_every steps (Bricken et al. 2023, "Towards Monosemanticity", appendix "Neuron
// Resampling": a new decoder direction drawn from the inputs with probability ∝ their squared
// reconstruction error, the encoder row the same direction scaled to 0.2 × the mean live
// encoder norm, b_enc = 0, and the latent's Adam moments reset; each further latent of the same
// check draws with the weights of inputs along the directions already chosen scaled by sin², so
// two dead latents do not become twins of one feature); TopK/BatchTopK hand their dead
// latents to aux-k instead. All seeded: the same config gives the same run, natively and in wasm
// up to float rounding.
// Not here: the architectures (sae/*_sae), the data (sae_data), the metrics (sae_metrics).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/optim.hpp"
#include "core/rng.hpp"
#include "sae/sae.hpp"
#include "sae/sae_data.hpp"

namespace superpose {

class SaeTrainer {
 public:
  // Initialises the SAE from config.seed and data's mean (config validated with the data's d).
  SaeTrainer(const SaeConfig& config, std::shared_ptr<SaeData> data);

  const SaeConfig& config() const { return config_; }
  Sae& sae() { return *sae_; }
  const Sae& sae() const { return *sae_; }
  SaeData& data() { return *data_; }

  // k steps on batches from the data's training stream.
  void train(int64_t k);
  // One step on a given batch X (d, B) (the session shares one batch among several SAEs).
  // Throws Diverged on a non-finite loss or gradient, leaving everything as before the step.
  void train_on(const Eigen::Ref<const Mat>& X);

  int64_t step() const { return adam_.steps_taken(); }
  const SaeLoss& last_loss() const { return last_; }
  // Steps since each latent last fired (L); dead when ≥ dead_window.
  const std::vector<int64_t>& steps_since_fired() const { return since_fired_; }
  double dead_fraction() const;
  int64_t resampled_total() const { return resampled_; }

  // Re-initialise the SAE, the optimiser, the statistics and the data stream from the seed.
  void reset();

 private:
  SaeConfig config_;
  std::shared_ptr<SaeData> data_;
  std::unique_ptr<Sae> sae_;
  Adam adam_;
  Vec data_mean_;
  Mat batch_;
  std::vector<float> grad_;
  std::vector<int64_t> since_fired_;
  std::vector<uint8_t> dead_;
  SaeLoss last_;
  int64_t resampled_ = 0;
  Rng resample_rng_;

  void resample_dead(const Eigen::Ref<const Mat>& X);
};

}  // namespace superpose
