#include "toy/toy_export.hpp"

#include <stdexcept>

#include "core/json_config.hpp"

namespace superpose {

namespace {
const char* kWhat = "toy model file";

[[noreturn]] void bad(const std::string& message) {
  throw std::invalid_argument(std::string(kWhat) + ": " + message);
}
}  // namespace

TensorFile export_toy(const ToyModel& model) {
  const int64_t K = model.n_instances(), n = model.n_features(), m = model.n_hidden();
  const bool abs = model.kind() == ToyModelKind::abs;
  TensorFile f;
  Tensor W({K, m, n}, std::vector<float>(K * m * n));
  Tensor W2;
  if (abs) W2 = Tensor({K, n, m}, std::vector<float>(K * n * m));
  Tensor b({K, n}, std::vector<float>(K * n));
  for (int k = 0; k < K; ++k) {
    RowMatMap(W.data.data() + k * m * n, m, n) = model.W(k);
    if (abs) RowMatMap(W2.data.data() + k * n * m, n, m) = model.W2(k);
    VecMap(b.data.data() + k * n, n) = model.b(k);
  }
  f.tensors[abs ? "W1" : "W"] = std::move(W);
  if (abs) f.tensors["W2"] = std::move(W2);
  f.tensors["b"] = std::move(b);
  f.metadata["format"] = "superpose-toy";
  f.metadata["version"] = "1";
  f.metadata["config"] = model.config().to_json().dump();
  f.metadata["step"] = std::to_string(model.step());
  return f;
}

std::unique_ptr<ToyModel> import_toy(const TensorFile& file) {
  auto meta = [&](const char* key) -> const std::string& {
    auto it = file.metadata.find(key);
    if (it == file.metadata.end()) bad(std::string("__metadata__ has no \"") + key + "\"");
    return it->second;
  };
  if (meta("format") != "superpose-toy")
    bad("__metadata__ format is \"" + meta("format") + "\", expected \"superpose-toy\"");
  if (meta("version") != "1") bad("unsupported version \"" + meta("version") + "\" (known: 1)");
  const std::string& config_text = meta("config");
  ToyConfig config;
  try {
    config = ToyConfig::from_json(parse_json(config_text));
  } catch (const std::invalid_argument& e) {
    bad(std::string("config: ") + e.what());
  }
  const int64_t K = config.n_instances, n = config.n_features, m = config.n_hidden;
  const bool abs = config.model_kind() == ToyModelKind::abs;
  const char* w_name = abs ? "W1" : "W";
  const std::size_t expected = abs ? 3 : 2;
  if (file.tensors.size() != expected) {
    std::string have;
    for (const auto& [name, t] : file.tensors) have += (have.empty() ? "" : ", ") + name;
    bad("expected the tensors " + std::string(abs ? "W1, W2, b" : "W, b") + " for a " +
        config.model + " model (the file has: " + have + ")");
  }
  const Tensor& W = expect_tensor(file, w_name, {K, m, n}, kWhat);
  const Tensor* W2 = abs ? &expect_tensor(file, "W2", {K, n, m}, kWhat) : nullptr;
  const Tensor& b = expect_tensor(file, "b", {K, n}, kWhat);
  try {
    require_finite(W, w_name);
    if (W2) require_finite(*W2, "W2");
    require_finite(b, "b");
  } catch (const std::invalid_argument& e) {
    bad(e.what());
  }
  auto model = std::make_unique<ToyModel>(config);
  for (int k = 0; k < K; ++k) {
    model->W(k) = Eigen::Map<const RowMat>(W.data.data() + k * m * n, m, n);
    if (W2) model->W2(k) = Eigen::Map<const RowMat>(W2->data.data() + k * n * m, n, m);
    model->b(k) = Eigen::Map<const Vec>(b.data.data() + k * n, n);
  }
  return model;
}

}  // namespace superpose
