#include "interp/intervention_config.hpp"

#include "core/check.hpp"
#include "interp/steering.hpp"

namespace superpose {

void InterventionConfig::validate() const {
  check_fields(*this);
  parse_steer_target(direction);
}

InterventionConfig intervention_defaults(const ToyConfig& toy) {
  InterventionConfig c;
  c.seed = toy.seed;
  return c;
}

InterventionConfig InterventionConfig::from_json(const Json& j, const InterventionConfig& defaults) {
  return config_from_json<InterventionConfig>(j, defaults);
}

InterventionConfig InterventionConfig::from_json(const Json& j) { return from_json(j, InterventionConfig()); }

Json InterventionConfig::to_json() const { return fields_to_json(*this); }

}  // namespace superpose
