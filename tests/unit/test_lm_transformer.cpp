// The transformer as a whole (lm/transformer.hpp): GPT-2's parameter layout and count (the
// issue's PyTorch reference has 106,432 parameters at vocab 75), the initialisation, the whole
// model's gradient against central finite differences on a tiny config, causality, the tied
// embedding's two gradient paths, and refusals of bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "lm/transformer.hpp"
#include "lm_fd.hpp"

namespace test_lm_transformer {

using namespace superpose;

namespace {
LmConfig tiny_config() {
  LmConfig c;
  c.n_layers = 2;
  c.d_model = 8;
  c.n_heads = 2;
  c.context = 5;
  c.batch_size = 3;
  return c;
}

std::vector<int32_t> random_tokens(Rng& rng, std::size_t n, int V) {
  std::vector<int32_t> t(n);
  for (auto& x : t) x = static_cast<int32_t>(rng.below(V));
  return t;
}

// Moves every parameter away from GPT-2's small initialisation (so every path carries a
// gradient well above the differences' rounding): weights N(0, 0.3²), LayerNorm weights 1 ± 0.3.
void perturb(Transformer& m, uint64_t seed) {
  Rng rng(seed);
  for (const auto& t : m.param_tensors())
    for (std::size_t i = 0; i < t.size; ++i) {
      float& x = m.params()[t.offset + i];
      x = (t.shape.size() == 1 && t.name.find("ln_") != std::string::npos && t.name.find("weight") != std::string::npos ? 1.f : 0.f) +
          static_cast<float>(0.3 * rng.normal());
    }
}
}  // namespace

TEST_CASE("lm transformer: GPT-2's tensors, names and shapes; 106,432 parameters at the default size and vocab 75") {
  Transformer m(LmConfig(), 75);
  CHECK(m.n_params() == 106432);
  CHECK(m.param_tensors().size() == 2 + 12 * 2 + 2);
  const ParamTensor& qkv = m.param_tensor("h.1.attn.c_attn.weight");
  CHECK(qkv.shape == std::vector<int>{64, 192});
  CHECK(m.param_tensor("wte.weight").shape == std::vector<int>{75, 64});
  CHECK(m.param_tensor("wpe.weight").shape == std::vector<int>{24, 64});
  CHECK(m.param_tensor("h.0.mlp.c_fc.weight").shape == std::vector<int>{64, 256});
  CHECK(m.param_tensor("h.0.mlp.c_proj.weight").shape == std::vector<int>{256, 64});
  CHECK(m.param_tensor("ln_f.bias").shape == std::vector<int>{64});
  CHECK_THROWS_AS(m.param_tensor("h.2.ln_1.weight"), std::invalid_argument);
  // the tensors tile the buffer in order, without gaps
  std::size_t end = 0;
  for (const auto& t : m.param_tensors()) {
    CHECK(t.offset == end);
    end += t.size;
  }
  CHECK(end == m.n_params());
  CHECK(m.weights().h[1].c_attn_w == m.params().data() + qkv.offset);
}

TEST_CASE("lm transformer: GPT-2 initialisation, deterministic per seed") {
  LmConfig c;
  c.n_layers = 4;
  Transformer a(c, 80), b(c, 80);
  CHECK(a.params() == b.params());
  c.seed = 1;
  Transformer other(c, 80);
  CHECK(a.params() != other.params());
  auto stats = [&](const std::string& name) {
    const ParamTensor& t = a.param_tensor(name);
    double s = 0, s2 = 0;
    for (std::size_t i = 0; i < t.size; ++i) {
      const double x = a.params()[t.offset + i];
      s += x;
      s2 += x * x;
    }
    return std::pair{s / t.size, std::sqrt(s2 / t.size)};
  };
  CHECK(std::fabs(stats("h.2.mlp.c_fc.weight").second - 0.02) < 0.001);
  CHECK(std::fabs(stats("wte.weight").second - 0.02) < 0.002);
  CHECK(std::fabs(stats("h.3.attn.c_proj.weight").second - 0.02 / std::sqrt(8.0)) < 0.0005);
  CHECK(std::fabs(stats("h.0.mlp.c_proj.weight").second - 0.02 / std::sqrt(8.0)) < 0.0005);
  CHECK(stats("h.1.ln_2.weight") == std::pair{1.0, 1.0});
  CHECK(stats("h.1.attn.c_attn.bias") == std::pair{0.0, 0.0});
}

TEST_CASE("lm transformer: the whole model's gradient matches finite differences (2 layers, d 8, 2 heads, T 5, vocab 11)") {
  const int V = 11, B = 3, T = 5;
  Transformer m(tiny_config(), V);
  perturb(m, 7);
  Rng rng(8);
  const auto x = random_tokens(rng, B * T, V), y = random_tokens(rng, B * T, V);
  m.zero_grad();
  const double loss = m.forward(x.data(), y.data(), B, T);
  CHECK(std::isfinite(loss));
  m.backward();
  const std::vector<float> grad = m.grads();
  std::vector<float>& p = m.params();
  test::check_gradient("model", p, grad, [&] { return m.forward(x.data(), y.data(), B, T); },
                       1e-2, 2e-2, 2e-4);
  // every tensor receives a gradient (none is left out of the backward)
  for (const auto& t : m.param_tensors()) {
    double n2 = 0;
    for (std::size_t i = 0; i < t.size; ++i) n2 += double(grad[t.offset + i]) * grad[t.offset + i];
    INFO(t.name);
    CHECK(n2 > 0);
  }
}

TEST_CASE("lm transformer: causality: changing token t changes no logit before t") {
  LmConfig c = tiny_config();
  c.context = 9;
  const int V = 13, B = 2, T = 9;
  Transformer m(c, V);
  perturb(m, 9);
  Rng rng(10);
  auto x = random_tokens(rng, B * T, V);
  m.forward(x.data(), nullptr, B, T);
  const std::vector<float> before(m.activations().logits, m.activations().logits + B * T * V);
  for (int t : {0, 4, 8}) {
    auto x2 = x;
    x2[1 * T + t] = (x2[1 * T + t] + 5) % V;  // sequence 1 only
    m.forward(x2.data(), nullptr, B, T);
    for (int b = 0; b < B; ++b)
      for (int s = 0; s < T; ++s) {
        bool same = true;
        for (int v = 0; v < V; ++v) same = same && m.logits(b, s)[v] == before[(b * T + s) * V + v];
        INFO("changed t=" << t << ", logits at b=" << b << ", s=" << s);
        CHECK(same == (b == 0 || s < t));  // bit-identical before t and in the other sequence
      }
  }
}

TEST_CASE("lm transformer: the tied embedding's gradient is the embedding's plus the unembedding's") {
  const int V = 11, B = 2, T = 5;
  Transformer m(tiny_config(), V);
  perturb(m, 11);
  const std::vector<int32_t> x = {1, 2, 3, 1, 4, 5, 1, 2, 6, 7}, y = {2, 3, 1, 4, 5, 1, 2, 6, 7, 0};
  m.zero_grad();
  m.forward(x.data(), y.data(), B, T);
  m.backward();
  const int C = 8, N = B * T;
  const LmActivations& a = m.activations();
  const LmActivations& d = m.activation_grads();
  for (int v = 0; v < V; ++v) {
    for (int i = 0; i < C; ++i) {
      double unembed = 0, embed = 0;  // Σ_n dlogits[n, v] lnf[n, i];  Σ_{n: x_n = v} dencoded[n, i]
      for (int n = 0; n < N; ++n) {
        unembed += double(d.logits[n * V + v]) * a.lnf[n * C + i];
        if (x[n] == v) embed += d.encoded[n * C + i];
      }
      const double g = m.weight_grads().wte[v * C + i];
      INFO("wte[" << v << ", " << i << "]: grad " << g << ", unembedding " << unembed << ", embedding " << embed);
      CHECK(std::fabs(g - (unembed + embed)) < 1e-6 + 1e-4 * std::fabs(g));
      CHECK(unembed != 0);  // every row is read by the unembedding
      if (v == 8 || v == 9 || v == 10) CHECK(embed == 0);  // never an input
      if (v == 1 && i == 0) CHECK(embed != 0);               // an input three times
    }
  }
}

TEST_CASE("lm transformer: bad shapes, token ids and calls are refused by name") {
  Transformer m(tiny_config(), 11);
  const std::vector<int32_t> x(6, 1), bad = {1, 2, 11, 0, 0, 0};
  CHECK_THROWS_WITH_AS(m.forward(x.data(), nullptr, 1, 6), "sequence length must be in [1, context=5] (got 6)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(m.forward(bad.data(), nullptr, 1, 5), "token id must be in [0, vocab_size-1=10] (got 11)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(m.forward(x.data(), bad.data(), 1, 5), "target id must be in [0, vocab_size-1=10] (got 11)", std::invalid_argument);
  CHECK_THROWS_AS(m.backward(), std::logic_error);  // before any forward
  m.forward(x.data(), nullptr, 1, 5);
  CHECK_THROWS_AS(m.backward(), std::logic_error);  // a forward without targets
  CHECK_THROWS_WITH_AS(Transformer(tiny_config(), 1), "vocab_size must be in [2, 4096] (got 1)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(m.forward(x.data(), nullptr, 0, 5), "batch must be in [1, 65536] (got 0)", std::invalid_argument);
  // an evaluation batch far beyond memory is refused before anything is allocated
  Transformer big(LmConfig(), 80);
  const std::vector<int32_t> many(std::size_t(60000) * 24, 1);
  CHECK_THROWS_WITH_AS(big.forward(many.data(), nullptr, 60000, 24),
                       "the activations of batch × sequence length = 60000 × 24 = 4024800000 is too large for the "
                       "browser (needs 30707 MB, limit 384 MB)", std::invalid_argument);
}

}  // namespace test_lm_transformer
