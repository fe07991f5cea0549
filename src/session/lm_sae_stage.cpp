#include "session/lm_sae_stage.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/check.hpp"
#include "sae/sae_metrics.hpp"

namespace superpose {

SaeConfig LmSaeConfig::sae_config() const {
  SaeConfig c;
  c.arch = arch;
  c.n_latents = n_latents;
  c.l1 = l1;
  c.k = k;
  c.aux_k = std::min(c.aux_k, n_latents);
  c.batch_size = batch_size;
  c.lr = lr;
  c.steps = std::max<int64_t>(steps, 1);
  c.seed = seed;
  // The sae page's warm-ups (100 lr, 300 λ steps of 3,000) and resampling windows, as fractions
  // of this run's length.
  c.warmup_steps = std::min<int64_t>(c.warmup_steps, c.steps / 10);
  c.l1_warmup_steps = std::min<int64_t>(c.l1_warmup_steps, c.steps / 10);
  c.dead_window = std::min<int64_t>(c.dead_window, std::max<int64_t>(c.steps / 6, 1));
  c.resample_every = std::min<int64_t>(c.resample_every, std::max<int64_t>(c.steps / 3, 1));
  return c;
}

LmSaeStage::LmSaeStage(const LmSaeConfig& config, const LmConfig& model) : config_(config) {
  require_in_range("sae_steps", config.steps, 1, 1e6, false, false, nullptr, nullptr);
  sae_hook_dim(config.hook, model);  // names the hook and the allowed ones
  if (sae_arch_uses_k(config.arch))
    require_in_range("sae_k", config.k, 1, config.n_latents, false, false, nullptr, "sae_latents");
  SaeConfig c = config.sae_config();
  c.input_dim = sae_hook_dim(config.hook, model);
  try {
    c.validate();
  } catch (const std::invalid_argument& e) {
    fail_config(std::string("sae: ") + e.what());
  }
}

void LmSaeStage::collect(Transformer& model, const Corpus& corpus) {
  if (trainer_) return;
  const uint64_t seed = static_cast<uint64_t>(config_.seed);
  LmActivationSet train = collect_activations(model, corpus, config_.hook, Split::train, config_.windows, seed);
  LmActivationSet held = collect_activations(model, corpus, config_.hook, Split::heldout, kHeldoutWindows, seed);
  data_ = std::make_shared<LmActivationData>(std::move(train), std::move(held), seed);
  splice_windows_ = heldout_windows(corpus, model.config().context, kSpliceWindows, seed);
  trainer_ = std::make_unique<SaeTrainer>(config_.sae_config(), data_);
  record_point();
}

void LmSaeStage::load(Transformer& model, const Corpus& corpus, const Sae& sae) {
  collect(model, corpus);
  if (trainer_->sae().params().size() != sae.params().size())
    throw std::logic_error("LmSaeStage::load: the SAE's size is not the stage's config");
  trainer_->sae().params() = sae.params();
  loaded_ = true;
  history_.clear();
  record_point();
}

SpliceMetrics LmSaeStage::splice(Transformer& model) {
  const LmWindows& w = splice_windows_;
  return splice_metrics(model, trainer().sae(), config_.hook, w.x.data(), w.y.data(), w.B, w.T);
}

void LmSaeStage::train(Transformer& model, const Corpus& corpus, int64_t k) {
  collect(model, corpus);
  const int64_t n = std::min(k, total_steps() - step());
  for (int64_t i = 0; i < n; ++i) {
    trainer_->train(1);
    last_loss_ = trainer_->last_loss().total;
    loss_sum_ += last_loss_;
    ++loss_n_;
    if (step() % kEvalEvery == 0 || done()) record_point();
  }
}

void LmSaeStage::record_point() {
  HistoryPoint p;
  p.step = step();
  p.loss = loss_n_ ? loss_sum_ / loss_n_ : NAN;
  const Mat X = data_->held_out(std::min(kEvalActivations, data_->heldout_set().size()));
  const SaeMetrics m = compute_sae_metrics(trainer_->sae(), X, Mat());
  p.l0 = m.l0;
  p.fve = m.fve;
  history_.push_back(p);
  loss_sum_ = 0;
  loss_n_ = 0;
}

SaeTrainer& LmSaeStage::trainer() {
  if (!trainer_) throw std::logic_error("the SAE stage has not collected its activations yet");
  return *trainer_;
}

const LmActivationData& LmSaeStage::data() const {
  if (!data_) throw std::logic_error("the SAE stage has not collected its activations yet");
  return *data_;
}

}  // namespace superpose
