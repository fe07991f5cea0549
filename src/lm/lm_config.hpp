// Configuration of a tiny decoder-only language model run (issue 15): the transformer's sizes
// (GPT-2's shape: pre-LayerNorm blocks, MLP 4×, learned positions, tied unembedding), the
// AdamW training schedule and the data source, with documented defaults and one validate()
// that every front end goes through. fields() is the one description of every field (JSON
// key, range, help, CLI flag; core/schema.hpp).
//
// Not here: vocab_size (the data's tokenizer decides it; the model is built from (config,
// vocab_size)), the data itself (lm/corpus.hpp), the model (lm/transformer.hpp).
// Reference: Radford et al. 2019 (GPT-2); karpathy/llm.c train_gpt2.c (GPT2Config).
#pragma once
#include <cstdint>
#include <string>

#include "core/json_config.hpp"
#include "core/optim.hpp"
#include "core/schema.hpp"

namespace superpose {

struct LmConfig : SchemaConfig<LmConfig> {
  // --- the transformer
  int n_layers = 2;       // L, transformer blocks
  int d_model = 64;       // C, width of the residual stream
  int n_heads = 4;        // H, attention heads per block; d_head = d_model / n_heads
  int context = 24;       // T, the longest sequence (learned positions wpe: (context, d_model))
  // The MLP's hidden width is fixed at 4 · d_model, as GPT-2's.
  static constexpr int kMlpRatio = 4;
  // --- training
  int batch_size = 64;    // B, sequences per step
  int64_t steps = 2000;   // the run's length; the cosine schedule is laid over it
  double lr = 3e-3;
  double weight_decay = 0.01;  // AdamW's decoupled decay (on every parameter, as llm.c)
  int64_t warmup_steps = 100;  // linear lr warm-up (over min(warmup_steps, steps)), then cosine decay to 0 at `steps`
  int64_t seed = 0;            // the initialisation and the data's order
  // --- data
  std::string data = "toy";    // toy (the generated toy world) | text (a text file's bytes)

  int d_head() const { return d_model / n_heads; }
  int d_mlp() const { return kMlpRatio * d_model; }

  // The one description of every field (core/schema.hpp); C is LmConfig or const LmConfig.
  template <class C, class V> static void fields(C& c, V& v) {
    v(c.n_layers, Field("n_layers", "transformer blocks").flag("layers", "L").range(1, 6));
    v(c.d_model, Field("d_model", "width of the residual stream").flag("d-model", "D").range(1, 256));
    v(c.n_heads, Field("n_heads", "attention heads per block (divides d_model)").flag("heads", "H")
                     .range_to(1, "d_model", c.d_model));
    v(c.context, Field("context", "context length in tokens").flag("context", "T").range(2, 128)
                     .unit("tokens"));
    v(c.batch_size, batch_field("sequences per step", 4096));
    v(c.steps, steps_field());
    v(c.lr, lr_field("AdamW learning rate"));
    v(c.weight_decay, weight_decay_field("AdamW decoupled weight decay"));
    v(c.warmup_steps, Field("warmup_steps", "linear lr warm-up before the cosine decay (at most steps)")
                          .flag("warmup", "S").range(0, 1e8).unit("steps"));
    v(c.seed, seed_field());
    v(c.data, Field("data", "the generated toy world, or a text file's bytes")
                  .custom_flag("data", "toy|FILE.txt").one_of({"toy", "text"}));
  }

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;

  // AdamW with a linear warm-up and a cosine decay to 0 at `steps` (core/optim.hpp).
  OptimizerConfig optimizer_config() const;
};

}  // namespace superpose
