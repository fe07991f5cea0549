// One feature-suppression run: an encoder of the configured kind, its data and optimiser, trained
// in phases, and the readouts the CLI and the page show.
//   fix = none   `steps` of the L1 objective
//   fix = scale  the same, then `scale_steps` fitting s on reconstruction alone (fresh Adam;
//                encoder and decoder frozen)
//   fix = gated  `steps` of the gated objective
// Each phase is Adam with a cosine decay to 0 over its length, so a run ends settled; after the
// last phase train() does nothing (done()).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/optim.hpp"
#include "core/rng.hpp"
#include "suppression/suppression_config.hpp"
#include "suppression/suppression_data.hpp"
#include "suppression/suppression_encoder.hpp"

namespace superpose {

class SuppressionRun {
 public:
  explicit SuppressionRun(const SuppressionConfig& config);  // validates, initialises from the seed
  SuppressionRun(const SuppressionRun&) = delete;
  SuppressionRun& operator=(const SuppressionRun&) = delete;

  const SuppressionConfig& config() const { return config_; }
  const SuppressionEncoder& encoder() const { return *encoder_; }
  SuppressionEncoder& encoder() { return *encoder_; }

  // Trains up to k more steps (fewer if the run ends). Throws Diverged on a non-finite loss,
  // gradient or parameter, leaving the state as it was before that step.
  void train(int64_t k);
  void train_to_end() { train(total_steps() - step()); }
  int64_t step() const { return step_; }          // over all phases
  int64_t total_steps() const;
  bool done() const { return step_ >= total_steps(); }
  const char* phase() const;                      // "l1", "scale", "gated" or "done"
  double last_loss() const { return last_loss_; }  // of the latest step's batch (0 before)
  void reset();

  // ---- readouts (readouts.hpp), feature 0 unless said otherwise ----
  double analytic_activation() const;   // analytic.hpp; NaN where there is no closed form
  Vec trained_activations() const;      // (n) the L1-penalised activation of each feature at 1
  Vec effective_activations() const;    // (n) what gets decoded: s·f, f_gate·f_mag, or f
  double trained_activation() const { return trained_activations().mean(); }
  double effective_activation() const { return effective_activations().mean(); }
  Vec transfer_curve(int points, int feature = 0) const;  // effective, t ∈ [0, 1]
  // γ on a fixed evaluation batch (the same every call).
  double relative_reconstruction_bias() const;

 private:
  SuppressionConfig config_;
  SuppressionFix fix_;
  std::unique_ptr<SuppressionEncoder> encoder_;
  SuppressionData data_;
  Rng data_rng_;
  Adam adam_;
  int64_t step_ = 0;
  double last_loss_ = 0;
  Mat X_;                                  // (d, B)
  Mat probe_, probe_latents_;              // (d, 1), (n, 1): the divergence check's probe
  std::vector<float> grads_, saved_params_, saved_m_, saved_v_;
  SuppressionObjective objective() const;
  void start_phase();
};

}  // namespace superpose
