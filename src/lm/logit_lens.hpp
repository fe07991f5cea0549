// Reading the residual stream in vocabulary space (lm/transformer.hpp, one sequence at a time):
//   logit lens (nostalgebraist 2020): the final LayerNorm and the unembedding applied to the
//     stream at every point, each point with its own LayerNorm statistics; the last point is the
//     model's own logits.
//   direct logit attribution (Elhage et al. 2021, "A Mathematical Framework for Transformer
//     Circuits"; TransformerLens' residual-stack decomposition): the final stream at position t is
//     the sum of the components that wrote to it (token and position embeddings, each head's
//     output, each attention output bias b_O, each MLP's output). With the final LayerNorm's scale
//     frozen at that position (rstd from the whole stream), ln_f is linear in the stream, so
//         logit[v] = Σ_i ((c_i − mean(c_i)) · rstd ⊙ γ) · W_U[v]  +  β · W_U[v]
//     and each component's term is its direct contribution; β · W_U[v] (the LayerNorm bias
//     through the unembedding) is the bias term. W_U[v] is wte's row v (tied unembedding).
//
// Not here: paths through later layers (indirect effects: ablation, lm/lm_hooks.hpp), logit
// differences (subtract two attributions), sampling.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lm/transformer.hpp"

namespace superpose {

struct LogitLens {
  std::vector<std::string> points;  // (P) hook names: blocks.{l}.hook_resid_pre, blocks.{l}.hook_resid_mid
                                    // for every block, then the last block's hook_resid_post
  int T = 0, V = 0;
  std::vector<float> logits;        // (P, T, V)
  const float* at(int point, int t) const { return logits.data() + (std::size_t(point) * T + t) * V; }
};

// The stream points the logit lens reads, in LogitLens::points' order.
std::vector<std::string> logit_lens_points(int n_layers);

// ln_f and the unembedding applied to n residual vectors resid (n, C): logits (n, V), each
// vector normalised with its own statistics (the logit lens' readout).
std::vector<float> lens_logits(const Transformer& model, const float* resid, int n);

// The logit lens of one sequence tokens (T), T ≤ context. Runs a forward (model's last
// activations change).
LogitLens logit_lens(Transformer& model, const int32_t* tokens, int T);

struct DlaComponent {
  std::string name;  // "embed", "pos_embed", "L{l}H{h}" (a head), "L{l}.b_O", "L{l}.mlp"
  int layer = -1;    // -1 for the embeddings
  int head = -1;     // the head of a head's term, else -1
  double value = 0;  // the direct contribution to the logit
};
struct DirectLogitAttribution {
  int position = 0, token = 0;
  std::vector<DlaComponent> components;  // embed, pos_embed, then per layer heads, b_O, mlp
  double bias_term = 0;  // β · W_U[token], the final LayerNorm's bias through the unembedding
  double logit = 0;      // the model's logit of `token` at `position`: Σ components + bias_term
};

// The names of direct_logit_attribution's components, in its order (embed, pos_embed, then per
// layer L{l}H{h} for each head, L{l}.b_O, L{l}.mlp).
std::vector<std::string> dla_component_names(int n_layers, int n_heads);

// The direct logit attribution of `token` at `position` of one sequence tokens (T). Runs a
// forward with hooks (model's last activations change). Throws std::invalid_argument for a
// position outside [0, T) or a token outside [0, V).
DirectLogitAttribution direct_logit_attribution(Transformer& model, const int32_t* tokens, int T,
                                                int position, int token);

}  // namespace superpose
