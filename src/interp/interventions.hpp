// A trained toy model (one instance) + an SAE, ready for interventions: the reference statistics
// (max/mean activations, resample pool) and the evaluation batch are drawn once, seeded, so every
// steering and ablation query after that is cheap (the page's slider) and reproducible (the CLI).
// What the CLI commands `steer`/`ablate` and the "steer" session share.
//
// Legend:  n = n_features, m = n_hidden, L = n_latents
// Not here: training (toy/, sae/); the interventions themselves (steering.hpp, ablation.hpp).
#pragma once
#include <cstdint>
#include <optional>

#include "interp/ablation.hpp"
#include "interp/activation_stats.hpp"
#include "interp/interp_data.hpp"
#include "interp/latent_matching.hpp"
#include "interp/sae_view.hpp"
#include "interp/split_model.hpp"
#include "interp/steering.hpp"

namespace superpose {

class Interventions {
 public:
  // Throws std::invalid_argument when the SAE's shape does not fit the model's hidden state.
  Interventions(const ToyModel& toy, int instance, std::optional<SaeView> sae, uint64_t seed,
                int reference_batch = 4096, int eval_batch = 4096);

  const SplitToyModel& model() const { return model_; }
  const SaeView* sae() const { return sae_ ? &*sae_ : nullptr; }
  const ActivationStats& stats() const { return stats_; }
  const LatentMatch& match() const { return match_; }  // empty without an SAE

  Vec input(const std::string& which) const;  // "zero" | "sample" (n)
  SteerResult steer(const SteerTarget& target, double strength, const Eigen::Ref<const Vec>& x) const;
  Vec steering_vector(const SteerTarget& target) const;  // (m)
  Vec loss_change(AblationTarget target, int index, AblationMode mode) const;  // (n)
  Mat effects(AblationTarget target, AblationMode mode) const;  // (rows, n)
  Vec clean_loss(AblationTarget target) const;  // (n)

 private:
  ToyConfig config_;
  int instance_;
  uint64_t seed_;
  SplitToyModel model_;
  std::optional<SaeView> sae_;
  ActivationStats stats_;
  InterpBatch eval_;
  LatentMatch match_;
};

}  // namespace superpose
