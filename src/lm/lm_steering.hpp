// Steering the language model (issue 16): add a vector to a hook's value at chosen positions of
// every forward and compare what the model predicts and writes with and without it
// (Turner et al. 2023, "Activation Addition"; Templeton et al. 2024, "Scaling Monosemanticity",
// feature steering):   x'[t] = x[t] + strength · scale · direction   at the steered positions t
// The direction and its scale:
//   SAE latent i        W_dec[:, i] (its decoder column) · its max activation on an activation
//                       set (so strength 1 adds what the latent's strongest firing writes)
//   mean difference     mean over prompt set A of the hook's value at each prompt's last token
//                       minus the same mean over set B, scale 1
//   unit direction      a given direction normalised to unit length, times a given scale
// Positions, in the sequence read (the prompt, then the generated tokens): the prompt's last token
// (from = -1), or every position ≥ from, generated ones included. A forward reads the last
// `context` tokens (lm/sampler.hpp's sliding window); a steered position that has slid out of the
// window is no longer edited.
// Strength 0 builds no edit at all: the "after" run is the clean forward, bit for bit.
//
// Legend: D the hook's width (lm/lm_hooks.hpp: C for the residual stream, attn_out, mlp_out;
// 4C for mlp.hook_post), V the vocabulary, T the window's length.
// Not here: which latent to steer (lm/feature_dashboard.hpp: best_latent_for_label, the max
// activation from latent_list), hook edits themselves (lm/lm_hooks.hpp), sampling (lm/sampler.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lm/lm_hooks.hpp"
#include "lm/sampler.hpp"
#include "lm/transformer.hpp"
#include "sae/sae.hpp"

namespace superpose {

struct SteeringVector {
  std::string hook;              // an SAE-readable hook (lm/lm_activations.hpp: sae_hook_dim)
  std::vector<float> direction;  // (D)
  double scale = 1;              // multiplies the direction (a latent: its max activation)
};

// W_dec[:, latent], scale max_activation (≥ 0, finite). Throws std::invalid_argument naming a
// latent outside [0, L), a bad max_activation, or an SAE whose d is not the hook's D.
SteeringVector latent_steering(const Sae& sae, const Transformer& model, const std::string& hook,
                               int latent, double max_activation);

// mean_a − mean_b of the hook's value at the last token of each prompt (its last `context`
// tokens), scale 1. Each set needs at least one non-empty prompt. Runs forwards.
SteeringVector mean_difference_steering(Transformer& model, const std::string& hook,
                                        const std::vector<std::vector<int32_t>>& prompts_a,
                                        const std::vector<std::vector<int32_t>>& prompts_b);

// The prompt set of a mean-difference direction as text: prompts separated by ';' (blank ones
// skipped), each encoded by `encode`. Throws std::invalid_argument starting with `key` for more
// than kMaxPromptListBytes, no prompt, more than kMaxPrompts prompts, or a prompt `encode` refuses.
constexpr std::size_t kMaxPromptListBytes = 4096;
constexpr std::size_t kMaxPrompts = 64;
std::vector<std::vector<int32_t>> read_prompt_list(
    const std::string& text, const std::string& key,
    const std::function<std::vector<int32_t>(const std::string&)>& encode);

// direction / ‖direction‖, scale. Throws for a length other than the hook's D, a zero or
// non-finite direction, a non-finite scale.
SteeringVector unit_steering(const Transformer& model, const std::string& hook,
                             std::vector<float> direction, double scale = 1);

struct Steering {
  SteeringVector vector;
  double strength = 0;  // in [-1000, 1000]
  int from = -1;        // -1: the prompt's last token; p ≥ 0: every position ≥ p (in [-1, 1000])
};

// The hook spec of the forward that reads a sequence of `length` tokens whose first
// prompt_length are the prompt (its window: the last min(length, context) tokens): one add edit
// at the hook on the steered positions inside the window, or no edit at all when strength is 0 or
// none of them is inside.
HookSpec steering_spec(const Steering& steering, int prompt_length, int length, int context);

// Greedy continuation of the prompt by n_tokens, each forward steered by `steering` (none: the
// clean model; the same tokens as lm/sampler.hpp's generate at temperature 0).
std::vector<int32_t> steered_greedy(Transformer& model, const std::vector<int32_t>& prompt,
                                    const Steering* steering, int n_tokens);

struct SteeringResult {
  std::vector<float> probs_before, probs_after;  // (V) the next token after the prompt
  std::vector<TokenProb> top_before, top_after;  // (top_k) most probable first
  std::vector<int32_t> text_before, text_after;  // (n_tokens) greedy continuations
};

// Before (clean) and after (steered): the next-token distribution after the prompt, its top_k
// (in [1, V]) and greedy continuations of n_tokens (in [0, 1000]). Throws std::invalid_argument
// naming a bad argument (the steering's hook, vector length, strength, from).
SteeringResult steer_lm(Transformer& model, const std::vector<int32_t>& prompt,
                        const Steering& steering, int top_k, int n_tokens);

}  // namespace superpose
