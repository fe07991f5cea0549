// The language model against an independent implementation, as llm.c's test_gpt2.c checks its
// model against PyTorch: tests/fixtures/lm_reference.json (written once by
// tests/fixtures/make_lm_reference.py, PyTorch in float64) holds a tiny model's parameters by
// their Hugging Face GPT-2 names, a batch, the loss, every gradient, and three AdamW steps with
// the warm-up + cosine schedule. The fixture is compiled into the suite (CMake embeds it), so the
// wasm run checks it too. Tolerances: our float32 against PyTorch's float64.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "lm/lm_trainer.hpp"
#include "tolerance.hpp"

extern const char* const kLmReferenceJson;  // tests/fixtures/lm_reference.json (CMake)

namespace test_lm_reference {

using namespace superpose;

namespace {
const Json& fixture() {
  static const Json j = parse_json(kLmReferenceJson);
  return j;
}

std::vector<int32_t> ints(const Json& values) {
  std::vector<int32_t> v;
  for (const auto& x : values) v.push_back(static_cast<int32_t>(x.get<double>()));
  return v;
}

// Copies the fixture's tensors (by name) into the model's buffer.
void load(Transformer& m, const Json& tensors) {
  REQUIRE(tensors.size() == m.param_tensors().size());
  for (const auto& t : m.param_tensors()) {
    const Json& values = tensors.at(t.name);
    REQUIRE(values.size() == t.size);
    for (std::size_t i = 0; i < t.size; ++i) m.params()[t.offset + i] = values[i].get<float>();
  }
}

// The key bias (attn.c_attn.bias[C, 2C)) adds q·b_k to every score of a row, which the softmax
// ignores: its gradient is 0 up to rounding (1e-17 in float64, 1e-9 in float32), and Adam's
// m / (sqrt(v) + eps) turns such noise into steps of either size, so after an Adam step those
// entries are compared with nothing. Their gradient is checked (≈ 0 in both).
bool is_key_bias(const ParamTensor& t, std::size_t i, int C) {
  return t.name.find("attn.c_attn.bias") != std::string::npos && i >= std::size_t(C) &&
         i < 2 * std::size_t(C);
}

// Every entry of the named buffer within abs + rel·|want| of the fixture; reports the worst.
void check_tensors(const std::string& what, const Transformer& m, const std::vector<float>& got,
                   const Json& want, double rel, double abs, bool skip_key_bias = false) {
  double worst = 0;
  std::string worst_at;
  for (const auto& t : m.param_tensors()) {
    const Json& values = want.at(t.name);
    for (std::size_t i = 0; i < t.size; ++i) {
      if (skip_key_bias && is_key_bias(t, i, m.config().d_model)) continue;
      const double w = values[i].get<double>(), g = got[t.offset + i];
      const double excess = std::fabs(g - w) / (abs + rel * std::fabs(w));
      if (excess > worst) {
        worst = excess;
        worst_at = t.name + "[" + std::to_string(i) + "]: " + std::to_string(g) + ", PyTorch " +
                   std::to_string(w);
      }
    }
  }
  INFO(what << ": worst entry " << worst_at << " (" << worst << " of the tolerance)");
  CHECK(worst <= 1.0);
}
}  // namespace

TEST_CASE("lm reference: loss, every gradient and three AdamW steps match PyTorch") {
  const Json& f = fixture();
  const LmConfig c = LmConfig::from_json(f.at("config"));
  const int V = f.at("vocab_size").get<int>(), B = f.at("B").get<int>(), T = f.at("T").get<int>();
  const auto x = ints(f.at("x")), y = ints(f.at("y"));
  LmTrainer trainer(c, V);
  Transformer& m = trainer.model();
  load(m, f.at("params"));

  m.zero_grad();
  const double loss = m.forward(x.data(), y.data(), B, T);
  CHECK(test::close(loss, f.at("loss").get<double>(), 1e-6, 1e-6));
  m.backward();
  check_tensors("gradients", m, m.grads(), f.at("grads"), 1e-4, 2e-6);

  const Json& losses = f.at("step_losses");
  for (int t = 0; t < 3; ++t) {
    const double l = trainer.step(x.data(), y.data(), B, T);
    INFO("step " << t);
    CHECK(test::close(l, losses[t].get<double>(), 1e-5, 1e-6));
  }
  check_tensors("parameters after 3 steps", m, m.params(), f.at("params_after_3"), 1e-5, 1e-5, true);
}

}  // namespace test_lm_reference
