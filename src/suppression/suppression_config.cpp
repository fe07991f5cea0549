#include "suppression/suppression_config.hpp"

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

void SuppressionConfig::validate() const {
  check_fields(*this);
  require_fits_browser("n_features × batch_size", double(n_features) * batch_size, kBrowserTabFloats);
}

SuppressionMagnitude SuppressionConfig::magnitude_kind() const {
  return choice_kind<SuppressionMagnitude>(*this, magnitude);
}

SuppressionFix SuppressionConfig::fix_kind() const { return choice_kind<SuppressionFix>(*this, fix); }

OptimizerConfig SuppressionConfig::optimizer_config(int64_t total) const {
  OptimizerConfig o;
  o.kind = "adam";
  o.lr = lr;
  o.schedule.kind = "cosine";
  o.schedule.total_steps = total;
  return o;
}

}  // namespace superpose
