// The lm session's second stage (issue 16): once the language model has trained, a sparse
// autoencoder learns its activations at one hook (the residual stream after block 0 by default).
// The activations are collected once, when the stage's first step runs (lm/lm_activations.hpp:
// sae_windows training windows, kHeldoutWindows held-out ones); each step is one SaeTrainer step
// on a batch of them; every kEvalEvery steps a history point records the loss since the previous
// point and L0 / FVE on the held-out activations.
// Defaults: the feasibility paragraph (a ReLU SAE, 256 latents, unit-norm decoder, on
// blocks.0.hook_resid_post, 61,440 activations = 2,560 windows of 24 tokens, 3,000 steps); the
// session's sae_steps is 0 (no stage) unless a driver asks for one, so a plain language-model
// run answers as it did before the stage existed.
// Not here: what is read off the trained SAE (lm/lm_sae_splice, lm/feature_dashboard,
// lm/lm_steering: the session asks them), the model's own training (lm/lm_run).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "core/schema.hpp"
#include "lm/corpus.hpp"
#include "lm/lm_activations.hpp"
#include "lm/lm_sae_splice.hpp"
#include "lm/transformer.hpp"
#include "sae/sae_config.hpp"
#include "sae/sae_trainer.hpp"

namespace superpose {

// What trains the SAE: a change of any of these starts the stage again (the model is kept).
struct LmSaeConfig {
  int64_t steps = 0;                           // 0: no SAE stage
  std::string hook = "blocks.0.hook_resid_post";
  std::string arch = "relu";
  int n_latents = 256;
  double l1 = 2.0;                             // λ (relu, gated: L1; jumprelu: L0): tests/unit/test_lm_sae_trained.cpp
  int k = 16;                                  // topk, batchtopk, matryoshka
  int windows = 2560;                          // training windows (× context activations)
  int batch_size = 1024;
  double lr = 3e-3;
  int64_t seed = 0;

  template <class C, class V> static void fields(C& c, V& v) {
    v(c.steps, Field("sae_steps", "SAE training steps after the model's (0: no SAE)").range(0, 1e6).unit("steps"));
    v(c.hook, Field("sae_hook", "the hook the SAE reads: blocks.{l}.hook_resid_pre|hook_resid_mid|"
                                "hook_resid_post|hook_attn_out|hook_mlp_out or blocks.{l}.mlp.hook_post"));
    v(c.arch, Field("sae_arch", "the SAE's architecture").one_of(kSaeArchNames));
    v(c.n_latents, Field("sae_latents", "SAE latents").range(1, 4096));
    v(c.l1, Field("sae_l1", "sparsity coefficient λ (relu, gated: L1; jumprelu: L0)").range(0, 100));
    v(c.k, Field("sae_k", "active latents per activation (topk, batchtopk, matryoshka: at most sae_latents)")
               .range(1, 4096));
    v(c.windows, Field("sae_windows", "training windows whose activations the SAE learns (× context each)")
                     .range(1, 20000));
    v(c.batch_size, Field("sae_batch", "activations per SAE step").range(1, 8192));
    v(c.lr, Field("sae_lr", "the SAE's Adam learning rate").range(0, 10, Bounds::open_min));
    v(c.seed, Field("sae_seed", "seed of the SAE, its windows and batches").range(0, kMaxSeed));
  }

  // The SaeConfig the trainer runs (warm-ups scaled to short runs, as the sae page's are not:
  // a 300-step run still gets its whole schedule).
  SaeConfig sae_config() const;
};

class LmSaeStage {
 public:
  static constexpr int kHeldoutWindows = 256;  // held-out windows: metrics, latent list, dashboards
  static constexpr int kEvalEvery = 100;       // SAE steps between history points
  static constexpr int kEvalActivations = 2048;
  static constexpr int kSpliceWindows = 16;    // held-out windows of ce_loss_score and KL

  struct HistoryPoint {
    int64_t step = 0;
    double loss = 0;  // mean training loss since the previous point (step 0: NaN)
    double l0 = 0, fve = 0;
  };

  // config validated (steps > 0) and its hook checked against the model.
  LmSaeStage(const LmSaeConfig& config, const LmConfig& model);

  const LmSaeConfig& config() const { return config_; }
  // A loaded SAE (load) is complete: its step is the stage's last.
  int64_t step() const { return loaded_ ? total_steps() : trainer_ ? trainer_->step() : 0; }
  int64_t total_steps() const { return config_.steps; }
  bool done() const { return step() >= total_steps(); }
  bool collected() const { return trainer_ != nullptr; }
  double last_loss() const { return last_loss_; }

  // Collects the activations on the first call (model: the trained model, not changed after),
  // then trains min(k, steps left) steps. Throws Diverged as SaeTrainer does.
  void train(Transformer& model, const Corpus& corpus, int64_t k);
  // The activations and the splice windows, once (train calls it).
  void collect(Transformer& model, const Corpus& corpus);
  // A trained SAE (a SAELens file's, its config saelens_sae_config's) in place of training: the
  // stage collects its activations and is complete.
  void load(Transformer& model, const Corpus& corpus, const Sae& sae);
  bool loaded() const { return loaded_; }
  // ce_loss_score and KL of the SAE spliced in, on kSpliceWindows held-out windows.
  SpliceMetrics splice(Transformer& model);
  const LmWindows& splice_windows() const { return splice_windows_; }
  // The trainer and its data once collected (throws std::logic_error before).
  SaeTrainer& trainer();
  const LmActivationData& data() const;
  const std::vector<HistoryPoint>& history() const { return history_; }

 private:
  LmSaeConfig config_;
  std::shared_ptr<LmActivationData> data_;
  std::unique_ptr<SaeTrainer> trainer_;
  std::vector<HistoryPoint> history_;
  double loss_sum_ = 0;
  int64_t loss_n_ = 0;
  double last_loss_ = NAN;
  bool loaded_ = false;
  LmWindows splice_windows_;
  void record_point();
};

}  // namespace superpose
