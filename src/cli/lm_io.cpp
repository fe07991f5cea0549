#include "cli/lm_io.hpp"

#include <filesystem>

#include "io/safetensors.hpp"
#include "lm/text_corpus.hpp"
#include "lm/toy_world.hpp"

namespace superpose::cli {

std::string lm_model_path(const std::string& dir) {
  return (std::filesystem::path(dir) / kLmModelFile).string();
}

LoadedLm load_lm_flag(Args& a) {
  const auto dir = a.take("load");
  if (!dir || dir->empty()) throw UsageError("--load DIR is required (a folder written by lm train --save)");
  const std::string path = lm_model_path(*dir);
  try {
    return load_lm(read_file_bytes(path));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
}

Corpus lm_corpus_flag(Args& a, const LoadedLm& lm) {
  const auto data = a.take("data");
  if (lm.tokenizer.kind() == TokenizerKind::word) {
    if (data && *data != "toy") throw UsageError("--data: a word model reads the toy world (--data toy or no --data)");
    const std::vector<std::string>& words = toy_vocabulary();
    bool same = lm.tokenizer.vocab_size() == static_cast<int>(words.size());
    for (int i = 0; same && i < lm.tokenizer.vocab_size(); ++i) same = lm.tokenizer.piece(i) == words[i];
    if (!same) throw UsageError("the model's word vocabulary is not the toy world's: its corpus is unknown");
    return make_toy_world(ToyWorldConfig{});
  }
  if (!data || data->size() <= 4 || data->compare(data->size() - 4, 4, ".txt") != 0)
    throw UsageError("--data FILE.txt is required for a byte model (the text it was trained on)");
  const std::vector<uint8_t> bytes = read_file_bytes(*data);
  try {
    return make_text_corpus(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                            lm.model->config().context, *data);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--data: ") + e.what());
  }
}

}  // namespace superpose::cli
