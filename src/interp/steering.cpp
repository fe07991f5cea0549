#include "interp/steering.hpp"

#include <cstdlib>

#include "core/check.hpp"

namespace superpose {

SteerTarget parse_steer_target(const std::string& text) {
  const auto colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  SteerTarget t;
  if (kind == "latent") t.kind = SteerKind::latent;
  else if (kind == "feature") t.kind = SteerKind::feature;
  else if (kind == "unit") t.kind = SteerKind::unit;
  else fail_config("direction must be latent:I, feature:I or unit:J (got \"" + text + "\")");
  const std::string index = colon == std::string::npos ? "" : text.substr(colon + 1);
  char* end = nullptr;
  const long v = index.empty() ? -1 : std::strtol(index.c_str(), &end, 10);
  if (index.empty() || *end != '\0' || v < 0 || v > 1000000)
    fail_config("direction must be latent:I, feature:I or unit:J with I ≥ 0 (got \"" + text + "\")");
  t.index = static_cast<int>(v);
  return t;
}

std::string to_string(const SteerTarget& t) {
  const char* kind = t.kind == SteerKind::latent ? "latent" : t.kind == SteerKind::feature ? "feature" : "unit";
  return std::string(kind) + ":" + std::to_string(t.index);
}

Vec steering_vector(const SplitToyModel& model, const SaeView* sae, const ActivationStats& stats,
                    const SteerTarget& target) {
  const int m = model.n_hidden();
  switch (target.kind) {
    case SteerKind::latent: {
      if (!sae) fail_config("steering along a latent needs an SAE");
      require_in_range("latent", target.index, 0, sae->n_latents() - 1, false, false, nullptr,
                       "n_latents-1");
      return sae->W_dec.col(target.index) * stats.latents.max[target.index];
    }
    case SteerKind::feature:
      require_in_range("feature", target.index, 0, model.n_features() - 1, false, false, nullptr,
                       "n_features-1");
      return model.feature_directions().col(target.index);
    case SteerKind::unit: {
      require_in_range("unit", target.index, 0, m - 1, false, false, nullptr, "n_hidden-1");
      Vec v = Vec::Zero(m);
      v[target.index] = stats.units.max[target.index];
      return v;
    }
  }
  return Vec::Zero(m);
}

SteerResult steer(const SplitToyModel& model, const Eigen::Ref<const Vec>& x,
                  const Eigen::Ref<const Vec>& v, double strength) {
  SteerResult r;
  r.h_before = model.hidden(x);
  r.h_after = r.h_before + static_cast<float>(strength) * v;
  r.before = model.output(r.h_before);
  r.after = model.output(r.h_after);
  return r;
}

}  // namespace superpose
