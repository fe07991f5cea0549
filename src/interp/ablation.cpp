#include "interp/ablation.hpp"

#include "core/check.hpp"
#include "core/rng.hpp"
#include "core/schema.hpp"
#include "interp/interp_data.hpp"

namespace superpose {

namespace {
// The position of text in names, or fail_config("<field> must be one of a|b|c (got \"x\")").
int name_index(const std::vector<std::string>& names, const std::string& text, const char* field) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<int>(i);
  fail_config(std::string(field) + " must be one of " + join_choices(names, "|") + " (got \"" + text + "\")");
}
}  // namespace

AblationMode parse_ablation_mode(const std::string& text) {
  return static_cast<AblationMode>(name_index(kAblationModeNames, text, "mode"));
}

AblationTarget parse_ablation_target(const std::string& text) {
  return static_cast<AblationTarget>(name_index(kAblationTargetNames, text, "target"));
}

const char* to_string(AblationMode mode) { return kAblationModeNames[static_cast<int>(mode)].c_str(); }
const char* to_string(AblationTarget target) { return kAblationTargetNames[static_cast<int>(target)].c_str(); }

void ablate_row(Mat& A, int row, AblationMode mode, const RowStats& stats, uint64_t seed) {
  switch (mode) {
    case AblationMode::zero:
      A.row(row).setZero();
      return;
    case AblationMode::mean:
      A.row(row).setConstant(stats.mean[row]);
      return;
    case AblationMode::resample: {
      const auto R = static_cast<uint32_t>(stats.reference.cols());
      if (R == 0) fail_config("resample ablation needs reference activations");
      Rng rng(seed, kInterpResampleStream + static_cast<uint64_t>(row));
      for (Eigen::Index b = 0; b < A.cols(); ++b) A(row, b) = stats.reference(row, rng.below(R));
      return;
    }
  }
}

namespace {
void check_index(const SplitToyModel& model, const SaeView* sae, AblationTarget target, int index) {
  if (target == AblationTarget::unit) {
    require_in_range("unit", index, 0, model.n_hidden() - 1, false, false, nullptr, "n_hidden-1");
    return;
  }
  if (!sae) fail_config("ablating a latent needs an SAE");
  require_in_range("latent", index, 0, sae->n_latents() - 1, false, false, nullptr, "n_latents-1");
}
}  // namespace

Mat clean_output(const SplitToyModel& model, const SaeView* sae, AblationTarget target,
                 const Eigen::Ref<const Mat>& X) {
  const Mat H = model.hidden(X);  // (m, B)
  if (target == AblationTarget::unit) return model.output(H);
  if (!sae) fail_config("ablating a latent needs an SAE");
  return model.output(sae->decode(sae->encode(H)));
}

Mat ablated_output(const SplitToyModel& model, const SaeView* sae, const ActivationStats& stats,
                   AblationTarget target, int index, AblationMode mode,
                   const Eigen::Ref<const Mat>& X, uint64_t seed) {
  check_index(model, sae, target, index);
  Mat H = model.hidden(X);  // (m, B)
  if (target == AblationTarget::unit) {
    ablate_row(H, index, mode, stats.units, seed);
    return model.output(H);
  }
  Mat F = sae->encode(H);  // (L, B)
  ablate_row(F, index, mode, stats.latents, seed);
  return model.output(sae->decode(F));
}

Vec ablation_loss_change(const SplitToyModel& model, const SaeView* sae,
                         const ActivationStats& stats, AblationTarget target, int index,
                         AblationMode mode, const Eigen::Ref<const Mat>& X,
                         const Eigen::Ref<const Mat>& Y, uint64_t seed) {
  const Mat after = ablated_output(model, sae, stats, target, index, mode, X, seed);
  return model.loss_per_feature(after, Y) -
         model.loss_per_feature(clean_output(model, sae, target, X), Y);
}

Mat effects_matrix(const SplitToyModel& model, const SaeView* sae, const ActivationStats& stats,
                   AblationTarget target, AblationMode mode, const Eigen::Ref<const Mat>& X,
                   const Eigen::Ref<const Mat>& Y, uint64_t seed) {
  const int rows = target == AblationTarget::unit ? model.n_hidden() : (sae ? sae->n_latents() : 0);
  if (target == AblationTarget::latent && !sae) fail_config("ablating a latent needs an SAE");
  const Vec clean = model.loss_per_feature(clean_output(model, sae, target, X), Y);  // (n)
  Mat E(rows, model.n_features());  // (rows, n)
  for (int r = 0; r < rows; ++r)
    E.row(r) = (model.loss_per_feature(ablated_output(model, sae, stats, target, r, mode, X, seed), Y) -
                clean).transpose();
  return E;
}

}  // namespace superpose
