#include "toy/toy_config.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

namespace {
// Memory bound: the batch for all instances (and WᵀW readouts) must fit a browser tab.
constexpr double kMaxBatchFloats = 16.0 * 1024 * 1024;
}  // namespace

void ToyConfig::validate() const {
  require_in_range("n_features", n_features, 1, 512);
  require_in_range("n_hidden", n_hidden, 1, n_features, false, false, nullptr, "n_features");
  require_in_range("n_instances", n_instances, 1, 256);
  if (feature_probability.size() != 1 &&
      feature_probability.size() != static_cast<std::size_t>(n_instances))
    fail_config("feature_probability must have 1 or n_instances=" + std::to_string(n_instances) +
                " values (got " + std::to_string(feature_probability.size()) + ")");
  for (double p : feature_probability) require_in_range("feature_probability", p, 0, 1, true);
  require_in_range("importance_decay", importance_decay, 0, 1, true);
  model_kind();
  correlation_kind();
  require_in_range("batch_size", batch_size, 1, 65536);
  require_in_range("steps", static_cast<double>(steps), 1, 1e8);
  require_in_range("seed", static_cast<double>(seed), 0, 4294967295.0);
  optimizer_config().validate();
  // The batch, its output and its gradient (3 copies); the WᵀW readouts.
  require_fits_browser("n_instances × n_features × batch_size",
                       double(n_instances) * n_features * batch_size, kMaxBatchFloats, 3);
  require_fits_browser("n_instances × n_features²", double(n_instances) * n_features * n_features,
                       kMaxBatchFloats);
}

ToyModelKind ToyConfig::model_kind() const {
  if (model == "relu") return ToyModelKind::relu;
  if (model == "linear") return ToyModelKind::linear;
  if (model == "relu-hidden") return ToyModelKind::relu_hidden;
  if (model == "abs") return ToyModelKind::abs;
  fail_config("model must be one of relu, linear, relu-hidden, abs (got \"" + model + "\")");
}

Correlation ToyConfig::correlation_kind() const {
  if (correlation == "none") return Correlation::none;
  if (correlation == "correlated") return Correlation::correlated;
  if (correlation == "anticorrelated") return Correlation::anticorrelated;
  fail_config("correlation must be one of none, correlated, anticorrelated (got \"" + correlation +
              "\")");
}

double ToyConfig::probability(int instance) const {
  return feature_probability.size() == 1 ? feature_probability[0] : feature_probability[instance];
}

std::vector<float> ToyConfig::importance() const {
  std::vector<float> imp(n_features);
  for (int i = 0; i < n_features; ++i) imp[i] = static_cast<float>(std::pow(importance_decay, i));
  return imp;
}

OptimizerConfig ToyConfig::optimizer_config() const {
  OptimizerConfig o;
  o.kind = optimizer;
  o.lr = lr;
  o.weight_decay = weight_decay;
  o.schedule.kind = schedule;
  o.schedule.warmup_steps = warmup_steps;
  o.schedule.total_steps = steps;
  return o;
}

ToyConfig ToyConfig::from_json(const Json& j) {
  ToyConfig c;
  JsonConfigReader r(j);
  r.read("n_features", c.n_features);
  r.read("n_hidden", c.n_hidden);
  r.read("n_instances", c.n_instances);
  r.read("feature_probability", c.feature_probability);
  r.read("importance_decay", c.importance_decay);
  r.read("model", c.model);
  r.read("correlation", c.correlation);
  r.read("batch_size", c.batch_size);
  r.read("lr", c.lr);
  r.read("optimizer", c.optimizer);
  r.read("weight_decay", c.weight_decay);
  r.read("schedule", c.schedule);
  r.read("warmup_steps", c.warmup_steps);
  r.read("steps", c.steps);
  r.read("seed", c.seed);
  r.finish();
  c.validate();
  return c;
}

Json ToyConfig::to_json() const {
  Json fp = Json::array();
  for (int k = 0; k < n_instances; ++k) fp.push_back(probability(k));
  return Json{{"n_features", n_features},   {"n_hidden", n_hidden},
              {"n_instances", n_instances}, {"feature_probability", fp},
              {"importance_decay", importance_decay}, {"model", model},
              {"correlation", correlation}, {"batch_size", batch_size},
              {"lr", lr},                   {"optimizer", optimizer},
              {"weight_decay", weight_decay}, {"schedule", schedule},
              {"warmup_steps", warmup_steps}, {"steps", steps},
              {"seed", seed}};
}

std::vector<double> log_spaced(double high, double low, int k) {
  std::vector<double> v(k);
  for (int i = 0; i < k; ++i) {
    const double t = k == 1 ? 0.0 : static_cast<double>(i) / (k - 1);
    v[i] = std::exp(std::log(high) + t * (std::log(low) - std::log(high)));
  }
  return v;
}

}  // namespace superpose
