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
  require_in_range("p", p, 2, 257);
  require_in_range("width", width, 1, 4096);
  require_in_range("d_model", d_model, 1, 1024);
  require_in_range("train_fraction", train_fraction, 0, 1, true, true);
  const int n = n_train(), pairs = p * p;
  if (n < 1 || n > pairs - 1)
    fail_config("train_fraction × p² must round to a count in [1, p²−1=" + std::to_string(pairs - 1) +
                "] (got " + format_number(train_fraction) + " × " + std::to_string(pairs) + " → " +
                std::to_string(n) + ")");
  require_in_range("epochs", static_cast<double>(epochs), 1, 1e6);
  model_kind();
  loss_kind();
  require_in_range("seed", static_cast<double>(seed), 0, 4294967295.0);
  require_in_range("eval_every", eval_every, 1, 1e6);
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

GrokConfig GrokConfig::from_json(const Json& j) {
  GrokConfig c;
  JsonConfigReader r(j);
  r.read("p", c.p);
  r.read("width", c.width);
  r.read("d_model", c.d_model);
  r.read("train_fraction", c.train_fraction);
  r.read("lr", c.lr);
  r.read("weight_decay", c.weight_decay);
  r.read("epochs", c.epochs);
  r.read("model", c.model);
  r.read("loss", c.loss);
  r.read("seed", c.seed);
  r.read("eval_every", c.eval_every);
  r.finish();
  c.validate();
  return c;
}

Json GrokConfig::to_json() const {
  return Json{{"p", p},
              {"width", width},
              {"d_model", d_model},
              {"train_fraction", train_fraction},
              {"lr", lr},
              {"weight_decay", weight_decay},
              {"epochs", epochs},
              {"model", model},
              {"loss", loss},
              {"seed", seed},
              {"eval_every", eval_every}};
}

}  // namespace superpose
