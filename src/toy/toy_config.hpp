// Configuration of a toy-models-of-superposition run (Elhage et al. 2022, "Toy Models of
// Superposition"), with documented defaults and one validate() that every front end goes
// through. JSON keys are the field names (docs/wasm-api.md lists them with their ranges).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "core/optim.hpp"

namespace superpose {

enum class ToyModelKind {
  linear,       // x' = WᵀW x + b
  relu,         // h = W x, x' = ReLU(Wᵀh + b)            (the paper's ReLU-output model)
  relu_hidden,  // h = ReLU(W x), x' = ReLU(Wᵀh + b)      (privileged basis)
  abs           // h = ReLU(W₁ x), y = ReLU(W₂ h + b), x ~ U[-1,1] when active, target |x|
};

enum class Correlation {
  none,            // every feature independent
  correlated,      // consecutive pairs (0,1), (2,3), ...: both active together, probability p
  anticorrelated   // consecutive pairs: never together; each member active with probability p
};

struct ToyConfig {
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

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;
  static ToyConfig from_json(const Json& j);  // validates
  Json to_json() const;

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
