// Steering: add a direction to the hidden state and watch the toy model's output change
// (Templeton et al. 2024, "Scaling Monosemanticity", feature steering; Turner et al. 2023,
// activation addition):   h' = h + strength · direction · scale
//   latent i     direction W_dec[:, i] (SAE latent i's decoder column), scale max_activation_i
//                (its largest activation on the reference data)
//   feature i    direction W_i (the toy model's column for true feature i), scale 1 (a feature's
//                largest value is 1, so strength 1 adds what x_i = 1 alone puts in h)
//   unit j       direction e_j (hidden unit j), scale max |h_j| on the reference data
// Legend:  n = n_features, m = n_hidden, L = n_latents
// Not here: ablation (interp/ablation.hpp).
#pragma once
#include <string>

#include "interp/activation_stats.hpp"
#include "interp/sae_view.hpp"
#include "interp/split_model.hpp"

namespace superpose {

enum class SteerKind { latent, feature, unit };

struct SteerTarget {
  SteerKind kind = SteerKind::latent;
  int index = 0;
};

// "latent:I", "feature:I", "unit:J" (the CLI's --direction and the session's "direction").
SteerTarget parse_steer_target(const std::string& text);
std::string to_string(const SteerTarget& t);

// direction · scale, (m). Throws std::invalid_argument naming the index and its range (a latent
// without an SAE is an error too).
Vec steering_vector(const SplitToyModel& model, const SaeView* sae, const ActivationStats& stats,
                    const SteerTarget& target);

struct SteerResult {
  Vec h_before, h_after;  // (m)
  Vec before, after;      // (n): the toy model's outputs
};

// x: (n) the input; v: (m) the steering vector.
SteerResult steer(const SplitToyModel& model, const Eigen::Ref<const Vec>& x,
                  const Eigen::Ref<const Vec>& v, double strength);

}  // namespace superpose
