#include "lm/lm_trainer.hpp"

#include <cmath>
#include <string>

#include "core/check.hpp"
#include "core/kernels.hpp"

namespace superpose {

LmTrainer::LmTrainer(const LmConfig& config, int vocab_size)
    : model_(config, vocab_size), adam_(config.optimizer_config(), model_.n_params()) {}

double LmTrainer::step(const int32_t* x, const int32_t* y, int B, int T) {
  const LmConfig& c = model_.config();
  if (B == 0) B = c.batch_size;
  if (T == 0) T = c.context;
  model_.zero_grad();
  const double loss = model_.forward(x, y, B, T);
  if (!std::isfinite(loss))
    throw Diverged("the language model's loss is " + format_number(loss) + " at step " +
                   std::to_string(adam_.steps_taken()));
  model_.backward();
  if (!all_finite(model_.grads().data(), model_.n_params()))
    throw Diverged("the language model's gradient is not finite at step " +
                   std::to_string(adam_.steps_taken()));
  adam_.step(model_.params().data(), model_.grads().data());
  return loss;
}

double LmTrainer::evaluate(const int32_t* x, const int32_t* y, int B, int T) {
  return model_.forward(x, y, B, T);
}

}  // namespace superpose
