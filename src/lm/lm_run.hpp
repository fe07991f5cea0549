// One language-model training run (issue 15): a corpus, the transformer and its AdamW trainer
// (lm/lm_trainer.hpp), seeded batches, and the loss history: the mean training loss since the
// last record and the held-out loss on a fixed set of windows, recorded at step 0, every
// `eval_every` steps and at the end. This is what the session (kind "lm") and the CLI's
// `superpose lm train` drive, one chunk of steps at a time.
//
// Seeds: the model's initialisation from model.seed (LmTrainer), the training windows from
// Rng(model.seed, 3), the held-out windows from Rng(model.seed, 4): the same config and corpus
// give the same bits.
// Not here: the data sources (lm/toy_world.hpp, lm/text_corpus.hpp), what is read off the
// trained model (lm/sampler.hpp, lm/lm_probe.hpp, lm/lm_ablation.hpp, lm/logit_lens.hpp).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/rng.hpp"
#include "core/schema.hpp"
#include "lm/corpus.hpp"
#include "lm/lm_config.hpp"
#include "lm/lm_trainer.hpp"
#include "lm/toy_world.hpp"

namespace superpose {

struct LmRunConfig {
  LmConfig model;
  ToyWorldConfig world;  // read with data toy
  int eval_every = 50;   // steps between two held-out evaluations
  int eval_batch = 32;   // held-out windows of `context` tokens, drawn once

  template <class C, class V> static void fields(C& c, V& v) {
    LmConfig::fields(c.model, v);
    ToyWorldConfig::fields(c.world, v);
    v(c.eval_every, Field("eval_every", "steps between two held-out evaluations").range(1, 100000)
                        .unit("steps"));
    v(c.eval_batch, Field("eval_batch", "held-out windows of context tokens for the eval loss")
                        .flag("eval-batch", "N").range(1, 1024));
  }
  void validate() const;
};

struct LmHistoryPoint {
  int64_t step = 0;
  double train_loss = 0;  // mean over the steps since the previous point (step 0: one batch's loss)
  double eval_loss = 0;   // held-out loss at `step`
};

class LmRun {
 public:
  // Validates; corpus must hold at least context + 1 tokens in each split.
  LmRun(const LmRunConfig& config, std::shared_ptr<const Corpus> corpus);

  // Trains min(k, steps − step) steps. A diverging step throws Diverged and the run keeps its
  // last finite state (lm/lm_trainer.hpp), its batch stream, losses and history with it: training
  // on from there gives the bits of a run that never took the bad step.
  void train(int64_t k);
  // Back to step 0 with the same config and corpus (the same bits as a new run).
  void reset();
  // Back to step 0 with these parameters (a loaded model: lm/lm_checkpoint.hpp) in place of the
  // initialisation; the optimiser starts afresh and the history restarts from their held-out
  // loss. Throws std::invalid_argument if the count is not the model's.
  void load_parameters(const std::vector<float>& params);

  int64_t step() const { return trainer_->steps_taken(); }
  int64_t total_steps() const { return config_.model.steps; }
  bool done() const { return step() >= total_steps(); }
  // The last step's training loss (NaN before the first step).
  double last_train_loss() const { return last_train_loss_; }
  // The held-out loss now (one forward over the fixed held-out windows).
  double eval_loss();
  const std::vector<LmHistoryPoint>& history() const { return history_; }

  const LmRunConfig& config() const { return config_; }
  const Corpus& corpus() const { return *corpus_; }
  std::shared_ptr<const Corpus> corpus_ptr() const { return corpus_; }
  Transformer& model() { return trainer_->model(); }
  const Transformer& model() const { return trainer_->model(); }
  // The fixed held-out windows: x, y (eval_batch, T) with T = min(context, held-out length − 1).
  const std::vector<int32_t>& eval_x() const { return eval_x_; }
  const std::vector<int32_t>& eval_y() const { return eval_y_; }
  int eval_T() const { return eval_T_; }

 private:
  void record();
  // What a step changes besides the trainer, to be put back when the trainer undoes a step.
  struct Bookkeeping {
    Rng batch_rng{};  // {}: Rng() is explicit, and clang then refuses before_last_{}
    double last_train_loss;
    double loss_sum;
    int64_t loss_count;
    std::size_t history_size;
  };
  Bookkeeping bookkeeping() const;
  void restore(const Bookkeeping& b);
  Bookkeeping before_last_{};  // before the latest step

  LmRunConfig config_;
  std::shared_ptr<const Corpus> corpus_;
  std::unique_ptr<LmTrainer> trainer_;
  Rng batch_rng_;
  std::vector<int32_t> x_, y_;            // (B, T) the current training batch
  std::vector<int32_t> eval_x_, eval_y_;  // (eval_batch, eval_T)
  int eval_T_ = 0;
  std::vector<LmHistoryPoint> history_;
  double last_train_loss_;
  double loss_sum_ = 0;  // training losses since the last history point
  int64_t loss_count_ = 0;
};

}  // namespace superpose
