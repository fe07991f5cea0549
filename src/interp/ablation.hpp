// Ablation: knock out one hidden unit h_j or one SAE latent f_i and measure how much each output
// feature's loss rises (Bricken et al. 2023, "Towards Monosemanticity", feature ablations;
// Chan et al. 2022, resampling ablation). Modes:
//   zero      the value is replaced by 0
//   mean      by its mean over the reference data
//   resample  by its value on another input, drawn (seeded) from the reference data
// A unit is ablated in h = W x before the output x' = ReLU(Wᵀh + b); a latent is ablated in the
// SAE's reconstruction h_hat = W_dec f + b_dec, and the output is computed from h_hat. The loss
// change of a latent is measured against the unablated reconstruction (the SAE spliced in), so it
// is the latent's own effect, not the SAE's reconstruction error.
//
// Legend:  n = n_features, m = n_hidden, L = n_latents, B = evaluation batch
// Not here: reading the effects matrix (interp/effects.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "interp/activation_stats.hpp"
#include "interp/sae_view.hpp"
#include "interp/split_model.hpp"

namespace superpose {

enum class AblationMode { zero, mean, resample };
enum class AblationTarget { latent, unit };
// Their names, in the enums' order: the one place for them (the steer config's choices, the
// page's menus through the schema, the CLI's --mode and --target and their help).
inline const std::vector<std::string> kAblationModeNames = {"zero", "mean", "resample"};
inline const std::vector<std::string> kAblationTargetNames = {"latent", "unit"};

// A name of the lists above as its enum; another is refused naming the field and the choices.
AblationMode parse_ablation_mode(const std::string& text);
AblationTarget parse_ablation_target(const std::string& text);
const char* to_string(AblationMode mode);
const char* to_string(AblationTarget target);

// Replaces row `row` of A (rows, B) in place. Resample draws, for each column, a column of
// stats.reference uniformly with Rng(seed, kInterpResampleStream + row): reproducible, and the
// same whether one row or every row is ablated.
void ablate_row(Mat& A, int row, AblationMode mode, const RowStats& stats, uint64_t seed);

// The toy model's outputs (n, B) for inputs X (n, B) with `index` ablated (sae may be null for
// units). Throws std::invalid_argument for an index out of range or a latent without an SAE.
Mat ablated_output(const SplitToyModel& model, const SaeView* sae, const ActivationStats& stats,
                   AblationTarget target, int index, AblationMode mode,
                   const Eigen::Ref<const Mat>& X, uint64_t seed);
// The outputs without ablation: the model's own for units, through the SAE's reconstruction for
// latents.
Mat clean_output(const SplitToyModel& model, const SaeView* sae, AblationTarget target,
                 const Eigen::Ref<const Mat>& X);

// Loss change per output feature (n): loss_per_feature(ablated) − loss_per_feature(clean).
Vec ablation_loss_change(const SplitToyModel& model, const SaeView* sae,
                         const ActivationStats& stats, AblationTarget target, int index,
                         AblationMode mode, const Eigen::Ref<const Mat>& X,
                         const Eigen::Ref<const Mat>& Y, uint64_t seed);

// The effects matrix: one row per unit (m) or latent (L), one column per output feature (n),
// cell = that row's loss change.
Mat effects_matrix(const SplitToyModel& model, const SaeView* sae, const ActivationStats& stats,
                   AblationTarget target, AblationMode mode, const Eigen::Ref<const Mat>& X,
                   const Eigen::Ref<const Mat>& Y, uint64_t seed);

}  // namespace superpose
