#include "interp/interventions.hpp"

#include "core/check.hpp"

namespace superpose {

Interventions::Interventions(const ToyModel& toy, int instance, std::optional<SaeView> sae_in,
                             uint64_t seed, int reference_batch, int eval_batch)
    : config_(toy.config()),
      instance_(instance),
      seed_(seed),
      model_(SplitToyModel::from(toy, instance)),
      sae_(std::move(sae_in)) {
  require_in_range("reference_batch", reference_batch, 1, 1 << 20);
  require_in_range("eval_batch", eval_batch, 1, 1 << 20);
  if (sae_) {
    sae_->check(model_.n_hidden());
    match_ = match_latents(sae_->W_dec, model_.feature_directions());
  }
  const InterpBatch ref = draw_interp_batch(config_, instance_, reference_batch, seed_, kInterpReferenceStream);
  stats_ = activation_stats(model_, sae(), ref.X);
  eval_ = draw_interp_batch(config_, instance_, eval_batch, seed_, kInterpEvalStream);
}

Vec Interventions::input(const std::string& which) const {
  return steering_input(config_, instance_, which, seed_);
}

Vec Interventions::steering_vector(const SteerTarget& target) const {
  return superpose::steering_vector(model_, sae(), stats_, target);
}

SteerResult Interventions::steer(const SteerTarget& target, double strength,
                                 const Eigen::Ref<const Vec>& x) const {
  return superpose::steer(model_, x, steering_vector(target), strength);
}

Vec Interventions::loss_change(AblationTarget target, int index, AblationMode mode) const {
  return ablation_loss_change(model_, sae(), stats_, target, index, mode, eval_.X, eval_.Y, seed_);
}

Mat Interventions::effects(AblationTarget target, AblationMode mode) const {
  return effects_matrix(model_, sae(), stats_, target, mode, eval_.X, eval_.Y, seed_);
}

Vec Interventions::clean_loss(AblationTarget target) const {
  return model_.loss_per_feature(clean_output(model_, sae(), target, eval_.X), eval_.Y);
}

}  // namespace superpose
