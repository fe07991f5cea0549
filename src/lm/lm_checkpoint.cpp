#include "lm/lm_checkpoint.hpp"

#include <algorithm>

#include "core/check.hpp"
#include "io/safetensors.hpp"

namespace superpose {

namespace {
constexpr const char* kFormat = "superpose-lm";

std::string meta(const TensorFile& f, const char* key) {
  auto it = f.metadata.find(key);
  if (it == f.metadata.end()) fail_config(std::string("language model file: the metadata lacks \"") + key + "\"");
  return it->second;
}
}  // namespace

std::vector<uint8_t> save_lm(const Transformer& model, const Tokenizer& tokenizer) {
  TensorFile f;
  for (const ParamTensor& t : model.param_tensors()) {
    std::vector<int64_t> shape(t.shape.begin(), t.shape.end());
    const float* p = model.params().data() + t.offset;
    f.tensors.emplace(t.name, Tensor(shape, std::vector<float>(p, p + t.size)));
  }
  f.metadata["format"] = kFormat;
  f.metadata["config"] = model.config().to_json().dump();
  f.metadata["tokenizer"] = tokenizer.kind_name();
  if (tokenizer.kind() == TokenizerKind::word) {
    Json vocab = Json::array();
    for (int i = 0; i < tokenizer.vocab_size(); ++i) vocab.push_back(tokenizer.piece(i));
    f.metadata["vocab"] = vocab.dump();
  }
  return write_safetensors(f);
}

LoadedLm load_lm(const std::vector<uint8_t>& bytes) {
  const TensorFile f = read_safetensors(bytes);
  if (meta(f, "format") != kFormat)
    fail_config("language model file: format is \"" + meta(f, "format") + "\", not \"" + kFormat + "\"");
  LmConfig config;
  try {
    config = LmConfig::from_json(parse_json(meta(f, "config")));
  } catch (const std::exception& e) {
    fail_config(std::string("language model file: config: ") + e.what());
  }
  LoadedLm out;
  const std::string kind = meta(f, "tokenizer");
  if (kind == "word") {
    Json vocab;
    try {
      vocab = parse_json(meta(f, "vocab"));
    } catch (const std::exception& e) {
      fail_config(std::string("language model file: vocab: ") + e.what());
    }
    if (!vocab.is_array() || vocab.size() < 2)
      fail_config("language model file: vocab must be a list of at least 2 words");
    std::vector<std::string> words;
    for (const Json& w : vocab) {
      if (!w.is_string()) fail_config("language model file: vocab must hold words (strings)");
      words.push_back(w.get<std::string>());
    }
    try {
      out.tokenizer = Tokenizer::words(std::move(words), "the saved model");
    } catch (const std::exception& e) {
      fail_config(std::string("language model file: vocab: ") + e.what());
    }
  } else if (kind != "byte") {
    fail_config("language model file: tokenizer must be word or byte (got \"" + kind + "\")");
  }
  out.model = std::make_unique<Transformer>(config, out.tokenizer.vocab_size());
  if (f.tensors.size() != out.model->param_tensors().size())
    fail_config("language model file: " + std::to_string(f.tensors.size()) + " tensors, the config needs " +
                std::to_string(out.model->param_tensors().size()));
  for (const ParamTensor& t : out.model->param_tensors()) {
    const Tensor& x = expect_tensor(f, t.name, std::vector<int64_t>(t.shape.begin(), t.shape.end()),
                                    "language model");
    require_finite(x, t.name);
    std::copy(x.data.begin(), x.data.end(), out.model->params().begin() + static_cast<std::ptrdiff_t>(t.offset));
  }
  return out;
}

}  // namespace superpose
