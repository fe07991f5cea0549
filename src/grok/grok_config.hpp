// Configuration of a grokking run: modular addition (a + b) mod p learned by a two-layer network
// with a quadratic activation (Gromov 2023, "Grokking modular arithmetic"), or by the same MLP
// written as a residual block over token embeddings (the residual-stream picture of Elhage et al.
// 2021, "A Mathematical Framework for Transformer Circuits"). Full-batch AdamW: one step is one
// epoch over the training pairs. JSON keys are the field names (docs/wasm-api.md, kind "grok").
#pragma once
#include <cstdint>
#include <string>

#include "core/json_config.hpp"
#include "core/optim.hpp"

namespace superpose {

enum class GrokModelKind {
  mlp,      // h = (W₁[1_a; 1_b])², logits = W₂ h                       (Gromov 2023)
  residual  // x₀ = E_a[a] + E_b[b], x₁ = x₀ + W_out (W_in x₀)², logits = U x₁
};

enum class GrokLossKind {
  mse,  // mean over pairs and classes of (logit − onehot)²  (Gromov 2023)
  ce    // softmax cross-entropy, mean over pairs
};

struct GrokConfig {
  int p = 97;                   // the modulus: a, b, (a + b) mod p ∈ Z_p, in [2, 257]
  int width = 500;              // hidden units of the MLP, in [1, 4096]
  int d_model = 128;            // residual stream width (residual model only), in [1, 1024]
  double train_fraction = 0.3;  // share of the p² pairs trained on, (0, 1); the rest is the test set
  double lr = 1e-3;             // AdamW learning rate, (0, 10]
  double weight_decay = 1.0;    // AdamW decoupled weight decay, [0, 10]
  int64_t epochs = 1000;        // the run's length (CLI), [1, 10^6]
  std::string model = "mlp";    // mlp | residual
  std::string loss = "mse";     // mse | ce
  int64_t seed = 0;             // init and train/test split, [0, 2^32-1]
  int eval_every = 1;           // test metrics (a history point) every k epochs, [1, 10^6]

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;
  static GrokConfig from_json(const Json& j);  // validates
  Json to_json() const;

  GrokModelKind model_kind() const;
  GrokLossKind loss_kind() const;
  int n_train() const;  // round(train_fraction · p²)
  OptimizerConfig optimizer_config() const;
};

}  // namespace superpose
