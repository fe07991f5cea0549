#include "grok/grok_run.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/kernels.hpp"
#include "grok/grok_fourier.hpp"
#include "grok/grok_loss.hpp"
#include "grok/grok_mlp.hpp"
#include "grok/grok_residual.hpp"

namespace superpose {

namespace {
constexpr uint64_t kGrokInitStream = 0;  // (1: the split, 2: resample ablations)

std::unique_ptr<GrokNet> make_net(const GrokConfig& c) {
  if (c.model_kind() == GrokModelKind::residual)
    return std::make_unique<GrokResidual>(c.p, c.d_model, c.width);
  return std::make_unique<GrokMlp>(c.p, c.width);
}

}  // namespace

GrokRun::GrokRun(const GrokConfig& config)
    : config_(validated(config)),
      loss_kind_(config_.loss_kind()),
      split_(make_split(config_)),
      net_(make_net(config_)) {
  params_.assign(net_->n_params(), 0.f);
  grads_.assign(params_.size(), 0.f);
  reset();
}

void GrokRun::reset() {
  Rng init(static_cast<uint64_t>(config_.seed), kGrokInitStream);
  net_->init(params_.data(), init);
  adam_ = Adam(config_.optimizer_config(), params_.size());
  history_.clear();
  saved_.clear();
}

GrokScore GrokRun::evaluate(const PairSet& data, float* grad) {
  net_->forward(params_.data(), data, logits_);
  const GrokScore s = score_logits(loss_kind_, logits_, data.y.data(), grad ? &G_ : nullptr);
  if (grad) net_->backward(params_.data(), data, G_, grad);
  return s;
}

void GrokRun::train(int64_t k) {
  for (int64_t i = 0; i < k; ++i) {
    const int64_t t = epoch();
    const GrokScore train = evaluate(split_.train, grads_.data());
    if (!std::isfinite(train.loss) || !all_finite(grads_.data(), grads_.size())) {
      // The current state's loss is not finite: the epoch that made it was the bad one, so go
      // back to the state before it, the last whose loss was finite (right after reset: stay).
      const int64_t bad = saved_.empty() ? t + 1 : saved_.step() + 1;
      undo_last_epoch();
      // One step is one epoch; the message names both (drivers look for "step N").
      throw Diverged(diverged_message(bad, "the loss or its gradient after it", config_.lr, "epoch"));
    }
    if (t % config_.eval_every == 0 && (history_.empty() || history_.back().epoch != t)) {
      // The test forward reuses the net's workspace: the backward above is already done.
      net_->forward(params_.data(), split_.test, logits_);
      const GrokScore test = score_logits(loss_kind_, logits_, split_.test.y.data(), nullptr);
      history_.push_back({t, train.accuracy, test.accuracy, train.loss, test.loss, weight_norm()});
    }
    // Snapshot (buffers sized once, no allocation) so an update that overflows can be undone.
    saved_.save(params_, adam_);
    adam_.step(params_.data(), grads_.data());
    if (!all_finite(params_.data(), params_.size())) {
      undo_last_epoch();
      throw Diverged(diverged_message(t + 1, "a parameter", config_.lr, "epoch"));
    }
  }
}

void GrokRun::undo_last_epoch() {
  if (saved_.empty()) return;
  const int64_t t = saved_.step();
  saved_.restore(params_, adam_);
  // The history points of the undone epoch (recorded at its start) and later go with it.
  while (!history_.empty() && history_.back().epoch >= t) history_.pop_back();
}

void GrokRun::record() {
  const int64_t t = epoch();
  if (!history_.empty() && history_.back().epoch == t) return;
  const GrokScore train = evaluate(split_.train);
  const GrokScore test = evaluate(split_.test);
  history_.push_back({t, train.accuracy, test.accuracy, train.loss, test.loss, weight_norm()});
}

std::optional<int64_t> GrokRun::first_epoch(double GrokPoint::*field, double at_least) const {
  for (const GrokPoint& h : history_)
    if (h.*field >= at_least) return h.epoch;
  return std::nullopt;
}

std::optional<int64_t> GrokRun::epoch_train_100() const {
  return first_epoch(&GrokPoint::train_acc, 1.0);
}
std::optional<int64_t> GrokRun::epoch_test_50() const {
  return first_epoch(&GrokPoint::test_acc, 0.5);
}
std::optional<int64_t> GrokRun::epoch_test_99() const {
  return first_epoch(&GrokPoint::test_acc, 0.99);
}

double GrokRun::weight_norm() const {
  double sum = 0;
  for (float v : params_) sum += double(v) * v;
  return std::sqrt(sum);
}

Mat GrokRun::fourier_power() const {
  return superpose::fourier_power(net_->embedding(params_.data()), config_.p);
}

std::optional<GrokPathReadout> GrokRun::paths() {
  auto* residual = dynamic_cast<GrokResidual*>(net_.get());
  if (!residual) return std::nullopt;
  residual->forward(params_.data(), split_.test, logits_);
  return read_paths(loss_kind_, residual->direct_logits(), residual->mlp_logits(),
                    split_.test.y.data(), static_cast<uint64_t>(config_.seed));
}

}  // namespace superpose
