#include "suppression/suppression_config.hpp"

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

namespace {
constexpr double kMaxBatchFloats = 16.0 * 1024 * 1024;  // a batch must fit a browser tab
}  // namespace

void SuppressionConfig::validate() const {
  require_in_range("l1", l1, 0, 10);
  require_in_range("feature_probability", feature_probability, 0, 1, true);
  magnitude_kind();
  fix_kind();
  require_in_range("n_features", n_features, 1, 64);
  require_in_range("steps", static_cast<double>(steps), 1, 1e7);
  require_in_range("scale_steps", static_cast<double>(scale_steps), 1, 1e7);
  require_in_range("batch_size", batch_size, 1, 65536);
  require_in_range("lr", lr, 0, 10, true);
  require_in_range("seed", static_cast<double>(seed), 0, 4294967295.0);
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
  SuppressionConfig c;
  JsonConfigReader r(j);
  r.read("l1", c.l1);
  r.read("feature_probability", c.feature_probability);
  r.read("magnitude", c.magnitude);
  r.read("fix", c.fix);
  r.read("n_features", c.n_features);
  r.read("decoder_bias", c.decoder_bias);
  r.read("steps", c.steps);
  r.read("scale_steps", c.scale_steps);
  r.read("batch_size", c.batch_size);
  r.read("lr", c.lr);
  r.read("seed", c.seed);
  r.finish();
  c.validate();
  return c;
}

Json SuppressionConfig::to_json() const {
  return Json{{"l1", l1},
              {"feature_probability", feature_probability},
              {"magnitude", magnitude},
              {"fix", fix},
              {"n_features", n_features},
              {"decoder_bias", decoder_bias},
              {"steps", steps},
              {"scale_steps", scale_steps},
              {"batch_size", batch_size},
              {"lr", lr},
              {"seed", seed}};
}

}  // namespace superpose
