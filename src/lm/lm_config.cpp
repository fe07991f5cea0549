#include "lm/lm_config.hpp"

#include <algorithm>

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

void LmConfig::validate() const {
  check_fields(*this);
  if (d_model % n_heads != 0)
    fail_config("n_heads must divide d_model=" + std::to_string(d_model) + " (got n_heads=" +
                std::to_string(n_heads) + ")");
  optimizer_config().validate();
  // A training step keeps every block's activations for the backward pass, and as many floats
  // again for their gradients (lm/transformer.hpp, LmActivations). Per token and block that is
  // 18·d_model floats (LayerNorms, qkv, attention output, residuals, MLP hidden before and after
  // GELU) plus 2·n_heads·context (the scores before and after softmax): twice a tab's buffer.
  const double per_token = 18.0 * d_model + 2.0 * n_heads * context;
  require_fits_browser(
      "batch_size × context × n_layers × (18·d_model + 2·n_heads·context)",
      double(batch_size) * context * n_layers * per_token, 2 * kBrowserTabFloats, 2);
}

OptimizerConfig LmConfig::optimizer_config() const {
  OptimizerConfig o;
  o.kind = "adamw";
  o.lr = lr;
  o.beta1 = 0.9;
  o.beta2 = 0.999;
  o.eps = 1e-8;
  o.weight_decay = weight_decay;
  o.schedule.kind = "cosine";
  o.schedule.warmup_steps = std::min(warmup_steps, steps);  // a short run warms up over all of it
  o.schedule.total_steps = steps;
  o.schedule.min_lr_fraction = 0.0;
  return o;
}

}  // namespace superpose
