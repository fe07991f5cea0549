// Toy model ⇄ safetensors (toy/toy_export.hpp) and the session's export/import: a reloaded model
// has identical tensors, buffers and evaluation loss; bad files are refused naming the problem.
#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>

#include "session/session.hpp"
#include "toy/toy_export.hpp"

namespace test_toy_export {

using namespace superpose;

namespace {
ToyConfig small_config(const std::string& model) {
  ToyConfig c;
  c.n_features = 5;
  c.n_hidden = 2;
  c.n_instances = 3;
  c.feature_probability = {0.3, 0.1, 0.03};
  c.importance_decay = 0.8;
  c.model = model;
  c.batch_size = 64;
  c.seed = 7;
  return c;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), 4 * a.size()) == 0);
}
}  // namespace

TEST_CASE("toy export: round trip gives identical parameters and evaluation loss") {
  for (const char* kind : {"relu", "abs"}) {
    CAPTURE(kind);
    ToyModel model(small_config(kind));
    model.train(20);
    const TensorFile file = export_toy(model);
    const bool abs = std::string(kind) == "abs";
    CHECK(file.tensors.count(abs ? "W1" : "W") == 1);
    CHECK(file.tensors.count("W2") == (abs ? 1u : 0u));
    CHECK(file.tensors.at("b").shape == std::vector<int64_t>{3, 5});
    CHECK(file.tensors.at(abs ? "W1" : "W").shape == std::vector<int64_t>{3, 2, 5});
    // row-major [k, row, col]: W[1, 1, 3] is instance 1's W(1, 3)
    CHECK(file.tensors.at(abs ? "W1" : "W").data[1 * 10 + 1 * 5 + 3] == model.W(1)(1, 3));
    CHECK(file.metadata.at("format") == "superpose-toy");
    CHECK(file.metadata.at("step") == "20");

    const std::vector<uint8_t> bytes = write_safetensors(file);
    const auto loaded = import_toy(read_safetensors(bytes));
    CHECK(loaded->config().to_json() == model.config().to_json());
    CHECK(same_bits(loaded->params(), model.params()));
    CHECK(loaded->evaluate(256) == model.evaluate(256));
    CHECK(write_safetensors(export_toy(*loaded)) != bytes);  // step differs: 0 after import
  }
}

TEST_CASE("toy export: bad files are refused naming the problem") {
  ToyModel model(small_config("relu"));
  const TensorFile good = export_toy(model);
  auto refusal = [](const TensorFile& f) -> std::string {
    try {
      import_toy(f);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  CHECK(refusal(good) == "");
  TensorFile f = good;
  f.metadata.erase("config");
  CHECK(refusal(f) == "toy model file: __metadata__ has no \"config\"");
  f = good;
  f.metadata["format"] = "pytorch";
  CHECK(refusal(f) == "toy model file: __metadata__ format is \"pytorch\", expected \"superpose-toy\"");
  f = good;
  f.metadata["config"] = R"({"n_features": 5, "n_hidden": 9})";
  CHECK(refusal(f) == "toy model file: config: n_hidden must be in [1, n_features=5] (got 9)");
  f = good;
  f.metadata["config"] = "{not json";
  CHECK(refusal(f).rfind("toy model file: config: config is not valid JSON", 0) == 0);
  f = good;
  f.tensors["W"] = Tensor({3, 5, 2}, std::vector<float>(30));
  CHECK(refusal(f) == "toy model file: tensor \"W\" has shape [3, 5, 2], expected [3, 2, 5]");
  f = good;
  f.tensors.erase("b");
  f.tensors["bias"] = good.tensors.at("b");
  CHECK(refusal(f) == "toy model file: missing tensor \"b\" (the file has: W, bias)");
  f = good;
  f.tensors["W2"] = Tensor({3, 5, 2}, std::vector<float>(30));
  CHECK(refusal(f) == "toy model file: expected the tensors W, b for a relu model (the file has: W, W2, b)");
  f = good;
  f.tensors["b"].data[4] = std::nanf("");
  CHECK(refusal(f) == "toy model file: tensor \"b\" has a non-finite value at index 4");
}

TEST_CASE("toy session: export_safetensors / import_safetensors") {
  auto s = make_session("toy");
  s->configure(parse_json(R"({"n_features": 6, "n_hidden": 3, "n_instances": 2,
      "feature_probability": [0.2, 0.05], "batch_size": 128, "seed": 3})"));
  s->step(15);
  const std::vector<uint8_t> bytes = s->export_safetensors();
  const auto before = s->buffers();

  auto t = make_session("toy");
  CHECK_THROWS_WITH_AS(t->export_safetensors(), doctest::Contains("not configured"), std::invalid_argument);
  const Json config = t->import_safetensors(bytes);
  CHECK(config["n_features"] == 6);
  CHECK(config["seed"] == 3);
  const auto& after = t->buffers();
  for (const char* name : {"W", "b", "WtW", "feature_norms", "dimensionality", "dims_per_feature"}) {
    CAPTURE(name);
    CHECK(after.at(name).shape == before.at(name).shape);
    CHECK(same_bits(after.at(name).data, before.at(name).data));
  }
  // a bad file leaves the running experiment as it was
  std::vector<uint8_t> broken = bytes;
  broken.resize(bytes.size() - 4);
  CHECK_THROWS_WITH_AS(t->import_safetensors(broken), doctest::Contains("safetensors: "),
                       std::invalid_argument);
  CHECK(same_bits(t->buffers().at("W").data, before.at("W").data));
  CHECK_NOTHROW(t->step(1));

  auto sup = make_session("suppression");
  CHECK_THROWS_WITH_AS(sup->export_safetensors(),
                       "this experiment kind does not export safetensors (supported: toy)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(sup->import_safetensors(bytes),
                       "this experiment kind does not import safetensors (supported: toy)",
                       std::invalid_argument);
}

}  // namespace test_toy_export
