// A trained language model as one safetensors file: every parameter under Hugging Face GPT-2's
// tensor name and shape (wte.weight, wpe.weight, h.{l}.attn.c_attn.weight, ...: lm/transformer.hpp),
// and in the metadata what is needed to use it again:
//   "format": "superpose-lm", "config": the LmConfig as JSON, "tokenizer": "word" | "byte",
//   "vocab": the word list as a JSON array (word tokenizer only).
// Reading trusts nothing: io/safetensors.hpp checks the file, this checks the format key, the
// config, the vocabulary and every tensor's name, shape and finiteness, naming what is wrong.
//
// Not here: the optimiser's state (a loaded model is for reading and sampling; training it again
// starts a fresh AdamW), the corpus (a word model's vocabulary is enough to encode prompts).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "lm/tokenizer.hpp"
#include "lm/transformer.hpp"

namespace superpose {

std::vector<uint8_t> save_lm(const Transformer& model, const Tokenizer& tokenizer);

struct LoadedLm {
  Tokenizer tokenizer = Tokenizer::bytes();
  std::unique_ptr<Transformer> model;
};
// Throws std::invalid_argument naming the problem.
LoadedLm load_lm(const std::vector<uint8_t>& bytes);

}  // namespace superpose
