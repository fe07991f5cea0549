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

#include "core/divergence.hpp"
#include "core/optim.hpp"
#include "core/rng.hpp"
#include "suppression/suppression_config.hpp"
#include "suppression/suppression_data.hpp"
#include "suppression/suppression_encoder.hpp"

namespace superpose {

// What a fix (scale or gated) did to the feature activation at x = 1 (the numbers are the page's
// buffer codes, docs/wasm-api.md).
enum class FixOutcome {
  none = 0,      // the run has no fix (fix = none)
  restored = 1,  // each feature alone decodes to 1 ± 0.05
  dead = 2,      // no latent fires for a feature alone: nothing to rescale or gate
  mixed = 3,     // latents mix features (decoder_mixing > 0.05): one scale per latent cannot undo it
  short_of = 4   // neither of those, and still off 1 (e.g. too few steps)
};
const char* to_string(FixOutcome o);

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
  double analytic_activation() const;   // analytic.hpp; NaN where there is no closed form (n ≥ 2)
  double monosemantic_activation() const;  // one latent per feature: 1 − c·n/2 (not the optimum, n ≥ 2)
  // Exact expected losses (binary magnitudes; NaN for uniform ones): of this run's L1-penalised
  // latents (readouts.hpp: the L1 encoder with s = 1, or the gate), of the monosemantic optimum,
  // and the lower bound of any dictionary (NaN with a decoder bias). trained < monosemantic: the
  // optimum of the trained loss is not one latent per feature.
  double expected_loss() const;
  double monosemantic_loss() const;
  double loss_lower_bound() const;
  double decoder_mixing() const;        // 0: every latent writes one feature
  Vec trained_activations() const;      // (n) the L1-penalised activation of each feature at 1
  Vec effective_activations() const;    // (n) what gets decoded: s·f, f_gate·f_mag, or f
  double trained_activation() const { return trained_activations().mean(); }
  double effective_activation() const { return effective_activations().mean(); }
  Vec transfer_curve(int points, int feature = 0) const;  // effective, t ∈ [0, 1]
  // γ on a fixed evaluation batch (the same every call); NaN when the encoder is dead there.
  double relative_reconstruction_bias() const;
  // No latent fires on the evaluation batch: the encoder outputs all zeros (γ is undefined).
  bool dead() const;
  // Whether a fix returns each feature alone to 1 (|effective − 1| < 0.05), and if not, why.
  FixOutcome fix_outcome() const;

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
  Mat eval_X_;                             // (d, kEvalBatch) the fixed evaluation batch
  Mat probe_, probe_latents_;              // (d, 1), (n, 1): the divergence check's probe
  std::vector<float> grads_;
  StepSnapshot saved_;  // the state before the latest step (divergence recovery)
  SuppressionObjective objective() const;
  void start_phase();
};

}  // namespace superpose
