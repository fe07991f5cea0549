#include "suppression/suppression_config.hpp"

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

namespace {
constexpr double kMaxBatchFloats = 16.0 * 1024 * 1024;  // a batch must fit a browser tab
}  // namespace

void SuppressionConfig::validate() const {
  check_fields(*this);
  require_fits_browser("n_features × batch_size", double(n_features) * batch_size, kMaxBatchFloats);
}

SuppressionMagnitude SuppressionConfig::magnitude_kind() const {
  if (magnitude == "binary") return SuppressionMagnitude::binary;
  if (magnitude == "uniform") return SuppressionMagnitude::uniform;
  fail_config("magnitude must be one of binary, uniform (got \"" + magnitude + "\")");
}

SuppressionFix SuppressionConfig::fix_kind() const {
  if (fix == "none") return SuppressionFix::none;
  if (fix == "scale") return SuppressionFix::scale;
  if (fix == "gated") return SuppressionFix::gated;
  fail_config("fix must be one of none, scale, gated (got \"" + fix + "\")");
}

OptimizerConfig SuppressionConfig::optimizer_config(int64_t total) const {
  OptimizerConfig o;
  o.kind = "adam";
  o.lr = lr;
  o.schedule.kind = "cosine";
  o.schedule.total_steps = total;
  return o;
}

SuppressionConfig SuppressionConfig::from_json(const Json& j) {
  return config_from_json<SuppressionConfig>(j);
}

Json SuppressionConfig::to_json() const { return fields_to_json(*this); }

}  // namespace superpose
