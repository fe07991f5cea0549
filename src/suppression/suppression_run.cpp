#include "suppression/suppression_run.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/kernels.hpp"
#include "suppression/analytic.hpp"
#include "suppression/readouts.hpp"
#include "suppression/suppression_gated_encoder.hpp"
#include "suppression/suppression_relu_encoder.hpp"

namespace superpose {

namespace {
constexpr int kEvalBatch = 4096;
}  // namespace

SuppressionRun::SuppressionRun(const SuppressionConfig& config)
    : config_(validated(config)), fix_(config_.fix_kind()), data_(config_) {
  const int n = config_.n_features;
  if (fix_ == SuppressionFix::gated)
    encoder_ = std::make_unique<SuppressionGatedEncoder>(n, n, config_.decoder_bias, config_.l1);
  else
    encoder_ = std::make_unique<SuppressionReluEncoder>(n, n, config_.decoder_bias, config_.l1);
  grads_.assign(encoder_->params().size(), 0.f);
  Rng eval(static_cast<uint64_t>(config_.seed), rng_stream::eval);
  data_.sample(eval, eval_X_, kEvalBatch);
  reset();
}

void SuppressionRun::reset() {
  Rng init(static_cast<uint64_t>(config_.seed), rng_stream::init);
  encoder_->init(init);
  data_rng_ = Rng(static_cast<uint64_t>(config_.seed), rng_stream::data);
  step_ = 0;
  last_loss_ = 0;
  start_phase();
}

int64_t SuppressionRun::total_steps() const {
  return config_.steps + (fix_ == SuppressionFix::scale ? config_.scale_steps : 0);
}

SuppressionObjective SuppressionRun::objective() const {
  return step_ >= config_.steps ? SuppressionObjective::scale : SuppressionObjective::l1;
}

const char* SuppressionRun::phase() const {
  if (done()) return "done";
  if (fix_ == SuppressionFix::gated) return "gated";
  return objective() == SuppressionObjective::scale ? "scale" : "l1";
}

void SuppressionRun::start_phase() {
  const bool scale = objective() == SuppressionObjective::scale;
  adam_ = Adam(config_.optimizer_config(scale ? config_.scale_steps : config_.steps),
               encoder_->params().size());
}

void SuppressionRun::train(int64_t k) {
  std::vector<float>& params = encoder_->params();
  for (int64_t i = 0; i < k && !done(); ++i) {
    const SuppressionObjective obj = objective();
    data_.sample(data_rng_, X_, config_.batch_size);
    const double loss = encoder_->forward_backward(X_, grads_.data(), obj);
    encoder_->mask_gradient(grads_.data(), obj);
    encoder_->project_decoder_gradient(grads_.data());
    if (!std::isfinite(loss) || !all_finite(grads_.data(), grads_.size()))
      throw Diverged(diverged_message(step_ + 1, "the loss or its gradient", config_.lr));
    saved_.save(params, adam_);
    adam_.step(params.data(), grads_.data());
    encoder_->normalize_decoder();
    // exp(r_mag) of the gated encoder can overflow on a huge step: check what the model computes.
    probe_.setOnes(encoder_->dims(), 1);
    encoder_->latents(probe_, probe_latents_);
    if (!all_finite(params.data(), params.size()) || !probe_latents_.allFinite()) {
      saved_.restore(params, adam_);
      throw Diverged(diverged_message(step_ + 1, "a parameter", config_.lr));
    }
    last_loss_ = loss;
    ++step_;
    if (step_ == config_.steps && !done()) start_phase();  // the scale fit starts afresh
  }
}

const char* to_string(FixOutcome o) {
  switch (o) {
    case FixOutcome::none: return "none";
    case FixOutcome::restored: return "restored";
    case FixOutcome::dead: return "dead";
    case FixOutcome::mixed: return "mixed";
    case FixOutcome::short_of: return "short_of";
  }
  return "none";
}

namespace {
}  // namespace

double SuppressionRun::analytic_activation() const {
  return superpose::analytic_activation(config_.l1, config_.feature_probability,
                                        config_.n_features, config_.decoder_bias,
                                        config_.magnitude_kind() == SuppressionMagnitude::uniform);
}

double SuppressionRun::monosemantic_activation() const {
  return superpose::monosemantic_activation(
      config_.l1, config_.feature_probability, config_.n_features, config_.decoder_bias,
      config_.magnitude_kind() == SuppressionMagnitude::uniform);
}

double SuppressionRun::expected_loss() const {
  if (config_.magnitude_kind() != SuppressionMagnitude::binary) return kNaN;
  return superpose::expected_loss(*encoder_, config_.l1, config_.feature_probability);
}

double SuppressionRun::monosemantic_loss() const {
  if (config_.magnitude_kind() != SuppressionMagnitude::binary) return kNaN;
  return superpose::monosemantic_loss(config_.l1, config_.feature_probability, config_.n_features,
                                      config_.decoder_bias);
}

double SuppressionRun::loss_lower_bound() const {
  if (config_.magnitude_kind() != SuppressionMagnitude::binary || config_.decoder_bias) return kNaN;
  return superpose::loss_lower_bound(config_.l1, config_.feature_probability, config_.n_features);
}

double SuppressionRun::decoder_mixing() const { return superpose::decoder_mixing(*encoder_); }

bool SuppressionRun::dead() const { return superpose::dead(*encoder_, eval_X_); }

FixOutcome SuppressionRun::fix_outcome() const {
  if (fix_ == SuppressionFix::none) return FixOutcome::none;
  const Vec e = effective_activations();
  if ((e.array() - 1.f).abs().maxCoeff() < 0.05f) return FixOutcome::restored;
  if (e.maxCoeff() == 0.f) return FixOutcome::dead;
  if (decoder_mixing() > 0.05) return FixOutcome::mixed;
  return FixOutcome::short_of;
}

Vec SuppressionRun::trained_activations() const { return feature_activations(*encoder_, false); }
Vec SuppressionRun::effective_activations() const { return feature_activations(*encoder_, true); }

Vec SuppressionRun::transfer_curve(int points, int feature) const {
  return superpose::transfer_curve(*encoder_, feature, points, true);
}

double SuppressionRun::relative_reconstruction_bias() const {
  Mat F, Y;
  encoder_->latents(eval_X_, F);
  if (!(F.array() != 0.f).any()) return kNaN;  // dead: b_dec alone is no reconstruction of x
  encoder_->decode(F, Y);
  return superpose::relative_reconstruction_bias(Y, eval_X_);
}

}  // namespace superpose
