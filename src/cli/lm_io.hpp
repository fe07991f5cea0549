// What the language-model subcommands share: a saved model's folder (--load DIR, holding
// DIR/model.safetensors from `lm train --save`: lm/lm_checkpoint.hpp) and the corpus an SAE on
// it reads (the toy world for a model of the toy world's vocabulary; --data FILE.txt, the text
// it was trained on, for a byte model).
#pragma once
#include <string>

#include "cli/args.hpp"
#include "lm/corpus.hpp"
#include "lm/lm_checkpoint.hpp"

namespace superpose::cli {

constexpr const char* kLmModelFile = "model.safetensors";
std::string lm_model_path(const std::string& dir);

// --load DIR (required): the model and its tokenizer; a bad file is an error naming its path.
LoadedLm load_lm_flag(Args& a);

// The toy world (default knobs) for a word model of its vocabulary; for a byte model the text
// of --data FILE.txt (required then). Throws UsageError otherwise.
Corpus lm_corpus_flag(Args& a, const LoadedLm& lm);

}  // namespace superpose::cli
