// Configuration of a toy-models-of-superposition run (Elhage et al. 2022, "Toy Models of
// Superposition"), with documented defaults and one validate() that every front end goes
// through. fields() is the one description of every field (JSON key, range, help, CLI flag;
// core/schema.hpp) that JSON, validation, the CLI and the pages' schema read.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "core/optim.hpp"
#include "core/schema.hpp"

namespace superpose {

// The choice fields' values, in the order of their choices in fields() (choice_kind).
enum class ToyModelKind {
  relu,         // h = W x, x' = ReLU(Wᵀh + b)            (the paper's ReLU-output model)
  linear,       // x' = WᵀW x + b
  relu_hidden,  // h = ReLU(W x), x' = ReLU(Wᵀh + b)      (privileged basis)
  abs           // h = ReLU(W₁ x), y = ReLU(W₂ h + b), x ~ U[-1,1] when active, target |x|
};

enum class Correlation {
  none,            // every feature independent
  correlated,      // consecutive pairs (0,1), (2,3), ...: both active together, probability p
  anticorrelated   // consecutive pairs: never together; each member active with probability p
};

struct ToyConfig : SchemaConfig<ToyConfig> {
  int n_features = 5;                            // n
  int n_hidden = 2;                              // m, in [1, n]
  int n_instances = 1;                           // K independent models trained side by side
  std::vector<double> feature_probability{0.05}; // one value for all, or one per instance
  double importance_decay = 1.0;                 // importance I_i = importance_decay^i
  std::string model = "relu";                    // relu | linear | relu-hidden | abs
  std::string correlation = "none";              // none | correlated | anticorrelated
  int batch_size = 1024;
  double lr = 1e-3;
  std::string optimizer = "adam";                // adam | adamw
  double weight_decay = 0.01;                    // AdamW only
  std::string schedule = "constant";             // constant | warmup | cosine
  int64_t warmup_steps = 0;
  int64_t steps = 10000;                         // the run's length; schedules are laid over it
  int64_t seed = 0;

  // The one description of every field (core/schema.hpp); C is ToyConfig or const ToyConfig.
  template <class C, class V> static void fields(C& c, V& v) {
    v(c.n_features, Field("n_features", "number of features n").flag("features", "N").range(1, 512));
    v(c.n_hidden, Field("n_hidden", "hidden dimensions m").flag("hidden", "M")
                      .range_to(1, "n_features", c.n_features));
    v(c.n_instances, Field("n_instances", "models trained side by side").flag("instances", "K")
                         .range(1, 256));
    v(c.feature_probability,
      Field("feature_probability", "feature probability; or P1,P2,... one value per instance")
          .flag("feature-prob", "P").range(0, 1, Bounds::open_min));
    v(c.importance_decay, Field("importance_decay", "importance of feature i is R^i")
                              .flag("importance-decay", "R").range(0, 1, Bounds::open_min));
    v(c.model, Field("model", "the toy model").flag("model").one_of({"relu", "linear", "relu-hidden", "abs"}));
    v(c.correlation, Field("correlation", "features in consecutive pairs").flag("correlation")
                         .one_of({"none", "correlated", "anticorrelated"}));
    v(c.batch_size, batch_field());
    v(c.lr, lr_field("learning rate"));
    v(c.optimizer, Field("optimizer", "the optimiser").flag("optimizer").one_of({"adam", "adamw"}));
    v(c.weight_decay, weight_decay_field("decoupled weight decay (adamw)"));
    v(c.schedule, Field("schedule", "learning-rate schedule").flag("schedule")
                      .one_of({"constant", "warmup", "cosine"}));
    v(c.warmup_steps, Field("warmup_steps", "linear lr warmup (warmup, cosine)").flag("warmup", "W")
                          .range_to(0, "steps", static_cast<double>(c.steps)).unit("steps"));
    v(c.steps, steps_field());
    v(c.seed, seed_field());
  }

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;
  Json to_json() const;  // feature_probability with one value per instance

  ToyModelKind model_kind() const;
  Correlation correlation_kind() const;
  double probability(int instance) const;  // feature probability of one instance
  std::vector<float> importance() const;   // (n_features)
  OptimizerConfig optimizer_config() const;
};

// Feature probabilities log-spaced from `high` down to `low` over k instances (the paper's
// sparsity sweeps), e.g. log_spaced(1, 0.001, 7).
std::vector<double> log_spaced(double high, double low, int k);

}  // namespace superpose
