// Adam and AdamW over one flat parameter buffer, with learning-rate schedules.
// Written once and shared by every model: a model lays its parameters out in one float buffer
// (and its gradients in a twin buffer) and calls step(). Not: per-tensor hyper-parameters,
// gradient clipping (not needed by these small models).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace superpose {

struct ScheduleConfig {
  std::string kind = "constant";  // constant | warmup | cosine
  int64_t warmup_steps = 0;       // linear warmup from lr/warmup to lr (warmup, cosine)
  int64_t total_steps = 10000;    // cosine decays to min_lr_fraction·lr at total_steps
  double min_lr_fraction = 0.0;
  void validate() const;
  // Multiplier of the base learning rate at (0-based) step t.
  double factor(int64_t t) const;
};

struct OptimizerConfig {
  std::string kind = "adam";  // adam | adamw
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0.01;  // decoupled, AdamW only
  ScheduleConfig schedule;
  void validate() const;
};

class Adam {
 public:
  Adam() = default;
  Adam(const OptimizerConfig& config, std::size_t n_params);
  // One update of params from grads (both n_params long).
  void step(float* params, const float* grads);
  int64_t steps_taken() const { return t_; }
  double current_lr() const;
  void reset();
  // Optimiser state, for snapshot/restore (divergence recovery).
  const std::vector<float>& m() const { return m_; }
  const std::vector<float>& v() const { return v_; }
  void restore(const std::vector<float>& m, const std::vector<float>& v, int64_t t);

 private:
  OptimizerConfig config_;
  std::vector<float> m_, v_;
  int64_t t_ = 0;
};

}  // namespace superpose
