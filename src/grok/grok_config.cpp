#include "grok/grok_config.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

void GrokConfig::validate() const {
  check_fields(*this);
  const int n = n_train(), pairs = p * p;
  if (n < 1 || n > pairs - 1)
    fail_config("train_fraction × p² must round to a count in [1, p²−1=" + std::to_string(pairs - 1) +
                "] (got " + format_number(train_fraction) + " × " + std::to_string(pairs) + " → " +
                std::to_string(n) + ")");
  optimizer_config().validate();
  const int rows = model_kind() == GrokModelKind::residual ? std::max(width, d_model) : width;
  const double floats = double(pairs) * std::max(rows, p);
  // The activations of all p² pairs, (max(width, d_model), p²) floats: pre, h and dh of every
  // pair, with the logits and their gradient, about four copies.
  require_fits_browser("p² × width", floats, kBrowserTabFloats, 4);
}

GrokModelKind GrokConfig::model_kind() const { return choice_kind<GrokModelKind>(*this, model); }

GrokLossKind GrokConfig::loss_kind() const { return choice_kind<GrokLossKind>(*this, loss); }

int GrokConfig::n_train() const {
  return static_cast<int>(std::lround(train_fraction * double(p) * double(p)));
}

OptimizerConfig GrokConfig::optimizer_config() const {
  OptimizerConfig o;
  o.kind = "adamw";
  o.lr = lr;
  o.weight_decay = weight_decay;
  o.schedule.total_steps = epochs;
  return o;
}

}  // namespace superpose
