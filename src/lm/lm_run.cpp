#include "lm/lm_run.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"

namespace superpose {

namespace {
constexpr uint64_t kLmTrainStream = 3, kLmEvalStream = 4, kLmStartStream = 6;
}  // namespace

void LmRunConfig::validate() const {
  model.validate();
  world.validate();
  check_fields(*this);
}

LmRun::LmRun(const LmRunConfig& config, std::shared_ptr<const Corpus> corpus)
    : config_(config), corpus_(std::move(corpus)), last_train_loss_(kNaN) {
  config_.validate();
  if (!corpus_) fail_config("the language model needs a corpus");
  const int T = config_.model.context;
  if (static_cast<int64_t>(corpus_->train.size()) < T + 1)
    fail_config("the training text has " + std::to_string(corpus_->train.size()) +
                " tokens: context " + std::to_string(T) + " needs at least " + std::to_string(T + 1));
  if (corpus_->heldout.size() < 2) fail_config("the held-out text needs at least 2 tokens");
  reset();
}

void LmRun::reset() {
  const LmConfig& m = config_.model;
  trainer_ = std::make_unique<LmTrainer>(m, corpus_->vocab_size());
  batch_rng_ = Rng(static_cast<uint64_t>(m.seed), kLmTrainStream);
  x_.assign(static_cast<std::size_t>(m.batch_size) * m.context, 0);
  y_.assign(x_.size(), 0);
  // The held-out windows, drawn once: a held-out text shorter than context + 1 tokens gets
  // shorter windows.
  eval_T_ = std::min<int>(m.context, static_cast<int>(corpus_->heldout.size()) - 1);
  eval_x_.assign(static_cast<std::size_t>(config_.eval_batch) * eval_T_, 0);
  eval_y_.assign(eval_x_.size(), 0);
  Rng eval_rng(static_cast<uint64_t>(m.seed), kLmEvalStream);
  corpus_->sample_batch(eval_rng, config_.eval_batch, eval_T_, eval_x_.data(), eval_y_.data(),
                        Split::heldout);
  history_.clear();
  last_train_loss_ = kNaN;
  loss_sum_ = 0;
  loss_count_ = 0;
  record();
  before_last_ = bookkeeping();
}

void LmRun::load_parameters(const std::vector<float>& params) {
  if (params.size() != model().params().size())
    fail_config("the parameters are " + std::to_string(params.size()) + " numbers; this model has " +
                std::to_string(model().params().size()));
  reset();
  model().params() = params;
  history_.clear();
  record();
}

double LmRun::eval_loss() {
  return trainer_->evaluate(eval_x_.data(), eval_y_.data(), config_.eval_batch, eval_T_);
}

void LmRun::record() {
  double train = loss_count_ > 0 ? loss_sum_ / static_cast<double>(loss_count_) : kNaN;
  if (loss_count_ == 0 && step() == 0) {
    // Before any step: the untrained model's loss on one batch of training windows, drawn from
    // its own stream (the training batches stay those of a run without this point).
    const LmConfig& m = config_.model;
    Rng start(static_cast<uint64_t>(m.seed), kLmStartStream);
    corpus_->sample_batch(start, m.batch_size, m.context, x_.data(), y_.data(), Split::train);
    train = trainer_->evaluate(x_.data(), y_.data(), m.batch_size, m.context);
  }
  history_.push_back({step(), train, eval_loss()});
  loss_sum_ = 0;
  loss_count_ = 0;
}

void LmRun::train(int64_t k) {
  const LmConfig& m = config_.model;
  k = std::min(k, total_steps() - step());
  for (int64_t i = 0; i < k; ++i) {
    const Bookkeeping before = bookkeeping();
    corpus_->sample_batch(batch_rng_, m.batch_size, m.context, x_.data(), y_.data(), Split::train);
    try {
      last_train_loss_ = trainer_->step(x_.data(), y_.data());
    } catch (const Diverged&) {
      // The trainer kept its last finite state: this step's, or the one before it when it undid
      // the previous step. The batches, losses and history go back with it.
      restore(trainer_->undid_last_step() ? before_last_ : before);
      throw;
    }
    before_last_ = before;
    loss_sum_ += last_train_loss_;
    ++loss_count_;
    if (step() % config_.eval_every == 0 || step() == total_steps()) record();
  }
}

LmRun::Bookkeeping LmRun::bookkeeping() const {
  return {batch_rng_, last_train_loss_, loss_sum_, loss_count_, history_.size()};
}

void LmRun::restore(const Bookkeeping& b) {
  batch_rng_ = b.batch_rng;
  last_train_loss_ = b.last_train_loss;
  loss_sum_ = b.loss_sum;
  loss_count_ = b.loss_count;
  history_.resize(std::min(history_.size(), b.history_size));
}

}  // namespace superpose
