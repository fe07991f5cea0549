#include "lm/lm_trainer.hpp"

#include <cmath>
#include <string>

#include "core/check.hpp"
#include "core/divergence.hpp"
#include "core/kernels.hpp"

namespace superpose {

LmTrainer::LmTrainer(const LmConfig& config, int vocab_size)
    : model_(config, vocab_size), adam_(config.optimizer_config(), model_.n_params()) {}

double LmTrainer::step(const int32_t* x, const int32_t* y, int B, int T) {
  const LmConfig& c = model_.config();
  if (B == 0) B = c.batch_size;
  if (T == 0) T = c.context;
  undid_ = false;
  model_.zero_grad();
  const double loss = model_.forward(x, y, B, T);
  const int64_t taken = adam_.steps_taken();
  // The state of `taken` steps has a non-finite loss: step `taken` made it (step 0: the
  // initialisation, nothing to undo).
  if (!std::isfinite(loss)) diverge(taken, "the loss after it", /*undo=*/taken > 0);
  model_.backward();
  if (!all_finite(model_.grads().data(), model_.n_params()))
    diverge(taken + 1, "the gradient of the loss before it", false);
  before_last_.save(model_.params(), adam_);
  adam_.step(model_.params().data(), model_.grads().data());
  if (!all_finite(model_.params().data(), model_.n_params())) {
    before_last_.restore(model_.params(), adam_);
    diverge(taken + 1, "a parameter after it", false);
  }
  return loss;
}

void LmTrainer::diverge(int64_t bad_step, const char* what, bool undo) {
  if (undo && !before_last_.empty() && before_last_.step() == bad_step - 1) {
    before_last_.restore(model_.params(), adam_);
    undid_ = true;
  }
  throw Diverged(diverged_message(bad_step, what, model_.config().lr));
}

double LmTrainer::evaluate(const int32_t* x, const int32_t* y, int B, int T) {
  return model_.forward(x, y, B, T);
}

}  // namespace superpose
