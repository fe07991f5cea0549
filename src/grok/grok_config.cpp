#include "grok/grok_config.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

namespace {
// Memory bound: the activations of all p² pairs, (max(width, d_model), p²) floats a few times over,
// must fit a browser tab.
constexpr double kMaxActivationFloats = 16.0 * 1024 * 1024;
}  // namespace

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
  // pre, h and dh of every pair, with the logits and their gradient: about four copies
  require_fits_browser("p² × width", floats, kMaxActivationFloats, 4);
}

GrokModelKind GrokConfig::model_kind() const {
  if (model == "mlp") return GrokModelKind::mlp;
  if (model == "residual") return GrokModelKind::residual;
  fail_config("model must be one of mlp, residual (got \"" + model + "\")");
}

GrokLossKind GrokConfig::loss_kind() const {
  if (loss == "mse") return GrokLossKind::mse;
  if (loss == "ce") return GrokLossKind::ce;
  fail_config("loss must be one of mse, ce (got \"" + loss + "\")");
}

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

GrokConfig GrokConfig::from_json(const Json& j) { return config_from_json<GrokConfig>(j); }

Json GrokConfig::to_json() const { return fields_to_json(*this); }

}  // namespace superpose
