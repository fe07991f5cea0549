// The intervention half of a steering/ablation experiment's config (the "steer" session; the CLI
// reads the same fields from flags): which direction, how strong, on which input, what to ablate.
// fields() is the one description of every field (core/schema.hpp; docs/wasm-api.md, kind "steer").
// Not here: the toy model's and the SAE's configs (they train first).
#pragma once
#include <cstdint>
#include <string>

#include "core/json_config.hpp"
#include "core/schema.hpp"
#include "interp/ablation.hpp"
#include "interp/interp_data.hpp"
#include "toy/toy_config.hpp"

namespace superpose {

struct InterventionConfig {
  int instance = 0;                    // which toy instance (< n_instances: checked with the model)
  std::string direction = "latent:0";  // latent:I | feature:I | unit:J
  double strength = 1.0;
  std::string input = "zero";          // zero | sample
  std::string target = "latent";       // what the effects matrix ablates: latent | unit
  std::string mode = "zero";           // zero | mean | resample
  int eval_batch = 4096;               // reference statistics and loss changes
  int64_t seed = 0;                    // data of the interventions, resample draws
                                       // (intervention_defaults: the toy model's seed)

  // The one description of every field (core/schema.hpp); C is InterventionConfig or const.
  template <class C, class V> static void fields(C& c, V& v) {
    v(c.instance, Field("instance", "which toy instance to intervene on (< n_instances)").flag("instance", "K")
                      .range(0, 255));
    v(c.direction, Field("direction", "latent:I, feature:I or unit:J (I < n_latents, n_features; J < n_hidden)")
                       .flag("direction", "latent:I|feature:I|unit:J"));
    v(c.strength, Field("strength", "h' = h + strength · direction · scale (negative steers the other way)")
                      .flag("strength", "S").range(-100, 100));
    v(c.input, Field("input", "the all-zero input, or a seeded sample with an active feature").flag("input")
                   .one_of(kSteeringInputNames));
    v(c.target, Field("target", "the rows of the effects matrix: SAE latents (in the reconstruction) or hidden units h_j")
                    .flag("target").one_of(kAblationTargetNames));
    v(c.mode, Field("mode", "what an ablated activation is replaced by").flag("mode")
                  .one_of(kAblationModeNames));
    v(c.eval_batch, Field("eval_batch", "inputs for the statistics (max/mean activations) and the loss changes")
                        .flag("eval-batch", "B").range(1, 65536));
    v(c.seed, Field("seed", "seed of the interventions' data and resample draws").range(0, kMaxSeed));
  }

  // Throws std::invalid_argument naming the field (index ranges need the model: checked later).
  void validate() const;
  // Validates; keys the JSON lacks keep defaults' values.
  static InterventionConfig from_json(const Json& j, const InterventionConfig& defaults);
  static InterventionConfig from_json(const Json& j);  // over InterventionConfig{}
  Json to_json() const;
};

// The defaults on a toy model: seed = toy.seed, as the SAE's (interp_sae_defaults), so one seed
// (the page's, the CLI's --seed) seeds the whole steering experiment unless a key says otherwise.
InterventionConfig intervention_defaults(const ToyConfig& toy);

}  // namespace superpose
