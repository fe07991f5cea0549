// Ablating the language model's components (lm/transformer.hpp): every attention head and every
// MLP, one at a time, replaced by zero or by its mean (Nanda 2022, "mean ablation"; TransformerLens
// get_act_name + hooks), and the effect on the loss of a batch and on one token's probability.
// A head is ablated at its z (attn.hook_z: its attention-weighted values, before c_proj), which
// removes exactly its term of attn_out (c_proj's bias stays); an MLP at hook_mlp_out.
//
// Not here: the hook machinery (lm/lm_hooks.hpp), path patching, attribution patching.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lm/lm_hooks.hpp"
#include "lm/transformer.hpp"

namespace superpose {

enum class LmAblationMode { zero, mean };

struct LmComponent {
  int layer = 0;
  int head = -1;  // a head, or -1: the layer's MLP
};

// Every component in forward order: per layer its heads, then its MLP. "L{l}H{h}", "L{l}.mlp".
std::vector<LmComponent> lm_components(const LmConfig& config);
std::string component_name(const LmComponent& c);

// The records mean ablation reads: every block's attn.hook_z and hook_mlp_out over a batch x
// (B, T) (their means over batch and positions are the replacement values).
HookRecords ablation_means(Transformer& model, const int32_t* x, int B, int T);

// The edit that ablates c: zero, or set to its mean over `means` (required for mean).
HookEdit ablation_edit(const LmComponent& c, LmAblationMode mode, const HookRecords* means);

struct AblationEffect {
  LmComponent component;
  std::string name;
  double loss = 0;     // the batch's mean cross-entropy with the component ablated
  double p_token = 0;  // p(token) at (sequence 0, position) with it ablated
};
struct AblationEffects {
  double loss = 0;     // without ablation
  double p_token = 0;
  std::vector<AblationEffect> components;  // lm_components' order
};

// The loss of (x, y) (B, T) and p(token) at (0, position), without and with each component
// ablated alone. Mean ablation takes its means from x itself.
AblationEffects ablation_effects(Transformer& model, const int32_t* x, const int32_t* y, int B,
                                 int T, LmAblationMode mode, int position, int token);

}  // namespace superpose
