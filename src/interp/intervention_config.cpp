#include "interp/intervention_config.hpp"

#include "core/check.hpp"
#include "interp/steering.hpp"

namespace superpose {

void InterventionConfig::validate() const {
  check_fields(*this);
  parse_steer_target(direction);
}

InterventionConfig InterventionConfig::from_json(const Json& j) {
  return config_from_json<InterventionConfig>(j);
}

Json InterventionConfig::to_json() const { return fields_to_json(*this); }

}  // namespace superpose
