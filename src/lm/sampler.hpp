// Reading predictions off the language model (lm/transformer.hpp): the next-token distribution
// after a prompt (softmax of the last position's logits over a temperature), its top tokens, and
// autoregressive generation, greedy (temperature 0) or sampled with a seeded Rng. A prompt longer
// than the context is read through its last `context` tokens (a sliding window), as GPT-2's
// generation does. An optional hook spec (lm/lm_hooks.hpp) edits every forward: ablation and
// steering change what the model predicts and writes (its positions index the window read).
//
// Not here: tokenizing text (lm/tokenizer.hpp), beam search, top-k/top-p truncation.
// Reference: Holtzman et al. 2020 (temperature sampling); karpathy/llm.c (sample_mult).
#pragma once
#include <cstdint>
#include <vector>

#include "lm/transformer.hpp"

namespace superpose {

struct TokenProb {
  int32_t token;
  float p;
};

// softmax(logits / temperature) of the next token after tokens (n ≥ 1 ids in [0, V)): (V).
// temperature 0 puts all mass on the argmax (the lowest id among equal maxima).
// Throws std::invalid_argument for an empty prompt, a bad id or a temperature outside [0, 100].
std::vector<float> next_token_probs(Transformer& model, const int32_t* tokens, int n,
                                    double temperature = 1.0, const HookSpec* spec = nullptr);

// The k most probable tokens, most probable first (ties: lower id first); k ≤ V.
std::vector<TokenProb> top_tokens(const std::vector<float>& probs, int k);

// The token whose cumulative probability first exceeds u ∈ [0, 1) (inverse-CDF sampling); the
// last token with p > 0 if rounding leaves u above the total.
int32_t sample_token(const std::vector<float>& probs, double u);

// n_new tokens after prompt, each from next_token_probs at `temperature` (0: greedy), sampled
// with Rng(seed). Returns the new tokens only. The same arguments give the same tokens.
std::vector<int32_t> generate(Transformer& model, const std::vector<int32_t>& prompt, int n_new,
                              double temperature, uint64_t seed, const HookSpec* spec = nullptr);

}  // namespace superpose
