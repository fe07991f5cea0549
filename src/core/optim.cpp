#include "core/optim.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/kernels.hpp"

namespace superpose {

void ScheduleConfig::validate() const {
  if (kind != "constant" && kind != "warmup" && kind != "cosine")
    fail_config("schedule must be one of constant, warmup, cosine (got \"" + kind + "\")");
  require_in_range("steps", static_cast<double>(total_steps), 1, 1e8);
  require_in_range("warmup_steps", static_cast<double>(warmup_steps), 0,
                   static_cast<double>(total_steps), false, false, nullptr, "steps");
  require_in_range("min_lr_fraction", min_lr_fraction, 0, 1);
}

double ScheduleConfig::factor(int64_t t) const {
  double f = 1.0;
  if (kind != "constant" && warmup_steps > 0 && t < warmup_steps)
    f = static_cast<double>(t + 1) / static_cast<double>(warmup_steps);
  if (kind == "cosine" && t >= warmup_steps) {
    const double span = static_cast<double>(std::max<int64_t>(1, total_steps - warmup_steps));
    const double progress = std::min(1.0, static_cast<double>(t - warmup_steps) / span);
    f = min_lr_fraction + (1.0 - min_lr_fraction) * 0.5 * (1.0 + std::cos(M_PI * progress));
  }
  return f;
}

void OptimizerConfig::validate() const {
  if (kind != "adam" && kind != "adamw")
    fail_config("optimizer must be one of adam, adamw (got \"" + kind + "\")");
  require_in_range("lr", lr, 0, 10, true);
  require_in_range("beta1", beta1, 0, 1, false, true);
  require_in_range("beta2", beta2, 0, 1, false, true);
  require_in_range("eps", eps, 0, 1, true);
  require_in_range("weight_decay", weight_decay, 0, 10);
  schedule.validate();
}

Adam::Adam(const OptimizerConfig& config, std::size_t n_params)
    : config_(config), m_(n_params, 0.f), v_(n_params, 0.f) {
  config_.validate();
}

void Adam::reset() {
  std::fill(m_.begin(), m_.end(), 0.f);
  std::fill(v_.begin(), v_.end(), 0.f);
  t_ = 0;
}

double Adam::current_lr() const { return config_.lr * config_.schedule.factor(t_); }

void Adam::step(float* params, const float* grads) {
  const double lr = current_lr();
  ++t_;
  AdamStep s;
  s.lr = static_cast<float>(lr);
  s.beta1 = static_cast<float>(config_.beta1);
  s.beta2 = static_cast<float>(config_.beta2);
  s.eps = static_cast<float>(config_.eps);
  s.bc1 = static_cast<float>(1.0 - std::pow(config_.beta1, static_cast<double>(t_)));
  s.bc2 = static_cast<float>(1.0 - std::pow(config_.beta2, static_cast<double>(t_)));
  s.decay = config_.kind == "adamw" ? static_cast<float>(config_.weight_decay) : 0.f;
  adam_update(params, grads, m_.data(), v_.data(), m_.size(), s);
}

void Adam::restore(const std::vector<float>& m, const std::vector<float>& v, int64_t t) {
  m_ = m;
  v_ = v;
  t_ = t;
}

}  // namespace superpose
