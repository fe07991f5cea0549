// Configuration of one feature-suppression run (issue 4): a sparse autoencoder trained with
// loss ‖y − x‖²/d + c·|f(x)|₁ on features that are each active with probability p, and the
// two fixes of its shrinkage (a scale vector fitted afterwards, a gated encoder). Documented
// defaults and one validate() that every front end goes through; fields() is the one description
// of every field (JSON key, range, help, CLI flag; core/schema.hpp; docs/wasm-api.md, kind
// "suppression").
// Not here: the model (suppression_encoder.hpp), the run and its phases (suppression_run.hpp).
#pragma once
#include <cstdint>
#include <string>

#include "core/json_config.hpp"
#include "core/optim.hpp"
#include "core/schema.hpp"

namespace superpose {

// The choice fields' values, in the order of their choices in fields() (choice_kind).
enum class SuppressionMagnitude {
  binary,  // an active feature has value 1 (the analytic case: a = 1 − c/2)
  uniform  // an active feature has value U[0, 1) (the transfer curve)
};

enum class SuppressionFix {
  none,   // the plain L1-trained ReLU encoder: suppressed activations
  scale,  // Wright & Sharkey 2024: after the L1 training, fit s in f_s = s ⊙ f on reconstruction
  gated   // Rajamanoharan et al. 2024: gate and magnitude paths, L1 on the gate only
};

struct SuppressionConfig : SchemaConfig<SuppressionConfig> {
  double l1 = 0.4;                   // c, the L1 coefficient
  double feature_probability = 0.5;  // p
  std::string magnitude = "binary";  // binary | uniform
  std::string fix = "none";          // none | scale | gated
  int n_features = 1;                // n = d: features (one per input dimension) and latents
  bool decoder_bias = false;         // train b_dec (the derivation has none; it moves the optimum)
  int64_t steps = 5000;              // training steps of the encoder (cosine decay to 0)
  int64_t scale_steps = 1000;        // fix = scale: steps fitting s afterwards (cosine decay)
  int batch_size = 1024;
  double lr = 1e-2;                  // Adam
  int64_t seed = 0;

  // The one description of every field (core/schema.hpp); C is SuppressionConfig or const.
  template <class C, class V> static void fields(C& c, V& v) {
    v(c.l1, Field("l1", "the L1 coefficient c").flag("l1", "C").range(0, 10));
    v(c.feature_probability, Field("feature_probability", "feature probability p")
                                 .flag("feature-prob", "P").range(0, 1, Bounds::open_min));
    v(c.magnitude, Field("magnitude", "an active feature is 1, or U[0,1) (the transfer curve)")
                       .flag("magnitude").one_of({"binary", "uniform"}));
    v(c.fix, Field("fix", "none; a scale vector s fitted afterwards on reconstruction alone (Wright & "
                          "Sharkey 2024); the gated encoder (Rajamanoharan et al. 2024)")
                 .flag("fix").one_of({"none", "scale", "gated"}));
    v(c.steps, steps_field("encoder training steps (Adam, cosine decay)", 1e7));
    v(c.lr, lr_field("Adam learning rate"));
    v(c.seed, seed_field());
    v(c.n_features, Field("n_features", "n features, one per input dimension (the L1 then weighs c·n)")
                        .flag("features", "N").range(1, 64));
    v(c.decoder_bias, Field("decoder_bias", "train a decoder bias (moves the optimum to 1 − c/(2(1 − p)))")
                          .flag("decoder-bias"));
    v(c.batch_size, batch_field());
    v(c.scale_steps, Field("scale_steps", "fix scale: steps fitting s").flag("scale-steps", "S")
                         .range(1, 1e7).unit("steps"));
  }

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;

  SuppressionMagnitude magnitude_kind() const;
  SuppressionFix fix_kind() const;
  // Adam with a cosine schedule over `total` steps (lr → 0, so the last steps settle).
  OptimizerConfig optimizer_config(int64_t total) const;
};

}  // namespace superpose
