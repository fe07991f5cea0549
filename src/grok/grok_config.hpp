// Configuration of a grokking run: modular addition (a + b) mod p learned by a two-layer network
// with a quadratic activation (Gromov 2023, "Grokking modular arithmetic"), or by the same MLP
// written as a residual block over token embeddings (the residual-stream picture of Elhage et al.
// 2021, "A Mathematical Framework for Transformer Circuits"). Full-batch AdamW: one step is one
// epoch over the training pairs. fields() is the one description of every field (JSON key,
// range, help, CLI flag; core/schema.hpp); docs/wasm-api.md, kind "grok".
#pragma once
#include <cstdint>
#include <string>

#include "core/json_config.hpp"
#include "core/optim.hpp"
#include "core/schema.hpp"

namespace superpose {

// The choice fields' values, in the order of their choices in fields() (choice_kind).
enum class GrokModelKind {
  mlp,      // h = (W₁[1_a; 1_b])², logits = W₂ h                       (Gromov 2023)
  residual  // x₀ = E_a[a] + E_b[b], x₁ = x₀ + W_out (W_in x₀)², logits = U x₁
};

enum class GrokLossKind {
  mse,  // mean over pairs and classes of (logit − onehot)²  (Gromov 2023)
  ce    // softmax cross-entropy, mean over pairs
};

struct GrokConfig : SchemaConfig<GrokConfig> {
  int p = 97;                   // the modulus: a, b, (a + b) mod p ∈ Z_p
  int width = 500;              // hidden units of the MLP
  int d_model = 128;            // residual stream width (residual model only)
  double train_fraction = 0.3;  // share of the p² pairs trained on; the rest is the test set
  double lr = 1e-3;             // AdamW learning rate
  double weight_decay = 1.0;    // AdamW decoupled weight decay
  int64_t epochs = 1000;        // the run's length (CLI)
  std::string model = "mlp";    // mlp | residual
  std::string loss = "mse";     // mse | ce
  int64_t seed = 0;             // init and train/test split
  int eval_every = 1;           // test metrics (a history point) every k epochs

  // The one description of every field (core/schema.hpp); C is GrokConfig or const GrokConfig.
  template <class C, class V> static void fields(C& c, V& v) {
    v(c.p, Field("p", "the modulus").flag("p", "P").range(2, 257));
    v(c.width, Field("width", "hidden units").flag("width", "W").range(1, 4096));
    v(c.train_fraction, Field("train_fraction", "share of the p² pairs trained on")
                            .flag("train-fraction", "F").range(0, 1, Bounds::open));
    v(c.lr, lr_field("AdamW learning rate"));
    v(c.weight_decay, weight_decay_field("AdamW decoupled weight decay"));
    v(c.epochs, Field("epochs", "full-batch epochs").flag("epochs", "E").range(1, 1e6).unit("epochs"));
    v(c.model, Field("model", "mlp: h = (W₁[1_a; 1_b])², logits = W₂h; residual: x₁ = x₀ + W_out(W_in x₀)²")
                   .flag("model").one_of({"mlp", "residual"}));
    v(c.loss, Field("loss", "mean squared error on one-hot targets, or cross-entropy").flag("loss")
                  .one_of({"mse", "ce"}));
    v(c.seed, seed_field("seed of the initialisation and the train/test split"));
    v(c.d_model, Field("d_model", "residual stream width (residual model)").flag("d-model", "D")
                     .range(1, 1024));
    v(c.eval_every, Field("eval_every", "a history point (test forward) every K epochs")
                        .flag("eval-every", "K").range(1, 1e6).unit("epochs"));
  }

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;

  GrokModelKind model_kind() const;
  GrokLossKind loss_kind() const;
  int n_train() const;  // round(train_fraction · p²)
  OptimizerConfig optimizer_config() const;
};

}  // namespace superpose
