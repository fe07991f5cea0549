// The intervention half of a steering/ablation experiment's config (the "steer" session; the CLI
// reads the same fields from flags): which direction, how strong, on which input, what to ablate.
// JSON keys are the field names (docs/wasm-api.md, kind "steer").
// Not here: the toy model's and the SAE's configs (they train first).
#pragma once
#include <cstdint>
#include <string>

#include "core/json_config.hpp"
#include "toy/toy_config.hpp"

namespace superpose {

struct InterventionConfig {
  int instance = 0;                 // which toy instance, in [0, n_instances)
  std::string direction = "latent:0";  // latent:I | feature:I | unit:J
  double strength = 1.0;            // in [-100, 100]
  std::string input = "zero";       // zero | sample
  std::string target = "latent";    // what the effects matrix ablates: latent | unit
  std::string mode = "zero";        // zero | mean | resample
  int eval_batch = 4096;            // [1, 65536]: reference statistics and loss changes
  int64_t seed = 0;                 // [0, 2^32-1]: data of the interventions, resample draws
                                    // (intervention_defaults: the toy model's seed)

  // Throws std::invalid_argument naming the field (index ranges need the model: checked later).
  void validate() const;
  // Reads the keys it knows from r (the session's reader, which also holds toy/sae keys).
  void read(JsonConfigReader& r);
  void write(Json& j) const;
};

// The defaults on a toy model: seed = toy.seed, as the SAE's (interp_sae_defaults), so one seed
// (the page's, the CLI's --seed) seeds the whole steering experiment unless a key says otherwise.
InterventionConfig intervention_defaults(const ToyConfig& toy);

}  // namespace superpose
