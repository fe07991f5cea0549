// The temperature probe (issue 15): does the model know the toy world's climates? Every prompt
// of temperature_probe() ("in S the weather in C is", every city × {winter, summer}) is scored
// by the model's most probable next token (argmax over the whole vocabulary), against the word
// the world's facts call for.
//
// Not here: the prompts and facts (lm/toy_world.hpp), sampling (lm/sampler.hpp).
#pragma once
#include <string>
#include <vector>

#include "lm/corpus.hpp"
#include "lm/transformer.hpp"

namespace superpose {

struct ProbeAnswer {
  std::string prompt, expected, predicted;
  double p_expected = 0;  // the model's probability of the expected word
};

struct ProbeResult {
  int correct = 0, total = 0;
  std::vector<ProbeAnswer> answers;  // in temperature_probe() order
};

// Throws std::invalid_argument when the corpus is not the toy world's (its tokenizer cannot
// encode the prompts).
ProbeResult temperature_probe_result(Transformer& model, const Corpus& corpus);

}  // namespace superpose
