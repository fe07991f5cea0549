#include "interp/intervention_config.hpp"

#include "core/check.hpp"
#include "interp/ablation.hpp"
#include "interp/steering.hpp"

namespace superpose {

void InterventionConfig::validate() const {
  require_in_range("instance", instance, 0, 255);
  parse_steer_target(direction);
  require_in_range("strength", strength, -100, 100);
  if (input != "zero" && input != "sample")
    fail_config("input must be one of zero|sample (got \"" + input + "\")");
  parse_ablation_target(target);
  parse_ablation_mode(mode);
  require_in_range("eval_batch", eval_batch, 1, 65536);
  require_in_range("seed", static_cast<double>(seed), 0, 4294967295.0);
}

InterventionConfig intervention_defaults(const ToyConfig& toy) {
  InterventionConfig c;
  c.seed = toy.seed;
  return c;
}

void InterventionConfig::read(JsonConfigReader& r) {
  r.read("instance", instance);
  r.read("direction", direction);
  r.read("strength", strength);
  r.read("input", input);
  r.read("target", target);
  r.read("mode", mode);
  r.read("eval_batch", eval_batch);
  r.read("seed", seed);
}

void InterventionConfig::write(Json& j) const {
  j["instance"] = instance;
  j["direction"] = direction;
  j["strength"] = strength;
  j["input"] = input;
  j["target"] = target;
  j["mode"] = mode;
  j["eval_batch"] = eval_batch;
  j["seed"] = seed;
}

}  // namespace superpose
