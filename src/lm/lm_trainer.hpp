// Training of the transformer language model (lm/transformer.hpp): one AdamW step (Loshchilov &
// Hutter 2019, decoupled weight decay on every parameter, as llm.c) on a given batch of token
// windows, with the config's linear warm-up and cosine decay (core/optim.hpp), and the loss of a
// batch without a step (held-out evaluation).
//
// Not here: where batches come from (lm/corpus.hpp), sampling, saving, the session.
// Reference: karpathy/llm.c train_gpt2.c (gpt2_zero_grad, gpt2_backward, gpt2_update).
#pragma once
#include <cstdint>

#include "core/divergence.hpp"
#include "core/optim.hpp"
#include "lm/lm_config.hpp"
#include "lm/transformer.hpp"

namespace superpose {

class LmTrainer {
 public:
  // The model initialised from config.seed, AdamW from config.optimizer_config().
  LmTrainer(const LmConfig& config, int vocab_size);

  // One step on x (inputs) and y (next tokens), each (B, T) token ids; B, T default to the
  // config's batch_size and context. Returns the batch's mean cross-entropy before the update.
  // Divergence (core/divergence.hpp) throws Diverged naming the bad step and keeps the last
  // finite state: a non-finite loss at the current parameters means the previous step made
  // them, so that step is undone (parameters and AdamW state as before it); a non-finite
  // gradient, or parameters the update would make non-finite, leave the state as it was.
  double step(const int32_t* x, const int32_t* y, int B = 0, int T = 0);
  // The mean cross-entropy of a batch under the current parameters (no update, no gradient).
  double evaluate(const int32_t* x, const int32_t* y, int B, int T);

  Transformer& model() { return model_; }
  const Transformer& model() const { return model_; }
  Adam& optimizer() { return adam_; }
  const Adam& optimizer() const { return adam_; }
  int64_t steps_taken() const { return adam_.steps_taken(); }
  // The learning rate of the next step.
  double lr() const { return adam_.current_lr(); }
  // Whether the last step() that threw undid the step before it.
  bool undid_last_step() const { return undid_; }

 private:
  Transformer model_;
  Adam adam_;
  StepSnapshot before_last_;  // the state before the latest step
  bool undid_ = false;
  [[noreturn]] void diverge(int64_t bad_step, const char* what, bool undo);
};

}  // namespace superpose
