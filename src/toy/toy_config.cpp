#include "toy/toy_config.hpp"

#include <cmath>

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

void ToyConfig::validate() const {
  check_fields(*this);
  if (feature_probability.size() != 1 &&
      feature_probability.size() != static_cast<std::size_t>(n_instances))
    fail_config("feature_probability must have 1 or n_instances=" + std::to_string(n_instances) +
                " values (got " + std::to_string(feature_probability.size()) + ")");
  optimizer_config().validate();
  // The batch for all instances, its output and its gradient (3 copies); the WᵀW readouts.
  require_fits_browser("n_instances × n_features × batch_size",
                       double(n_instances) * n_features * batch_size, kBrowserTabFloats, 3);
  require_fits_browser("n_instances × n_features²", double(n_instances) * n_features * n_features,
                       kBrowserTabFloats);
}

ToyModelKind ToyConfig::model_kind() const { return choice_kind<ToyModelKind>(*this, model); }

Correlation ToyConfig::correlation_kind() const {
  return choice_kind<Correlation>(*this, correlation);
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

Json ToyConfig::to_json() const {
  Json j = fields_to_json(*this);
  Json fp = Json::array();  // one value per instance, also when one was given for all
  for (int k = 0; k < n_instances; ++k) fp.push_back(probability(k));
  j["feature_probability"] = std::move(fp);
  return j;
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
