// Logit lens and direct logit attribution (lm/logit_lens.hpp): the lens' last point is the
// model's own logits, any point is ln_f + unembedding of that stream computed directly; the DLA
// components plus the LayerNorm-bias term sum to the logit (the decomposition's identity), and a
// component's term is its centred vector through the frozen scale, computed directly.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "lm/logit_lens.hpp"

namespace test_lm_logit_lens {

using namespace superpose;

namespace {
constexpr int V = 17, T = 6, C = 12, H = 3, L = 3;
const std::vector<int32_t> kTokens = {4, 16, 0, 7, 7, 2};

Transformer model() {
  LmConfig c;
  c.n_layers = L;
  c.d_model = C;
  c.n_heads = H;
  c.context = 8;
  c.batch_size = 2;
  Transformer m(c, V);
  Rng rng(31);  // move LayerNorm weights and biases off 1 and 0, weights off GPT-2's tiny init
  for (float& x : m.params()) x += static_cast<float>(0.2 * rng.normal());
  return m;
}
}  // namespace

TEST_CASE("lm logit lens: the last point is the model's logits; any point is ln_f + unembedding of its stream") {
  Transformer m = model();
  const LogitLens lens = logit_lens(m, kTokens.data(), T);
  REQUIRE(lens.points.size() == std::size_t(2 * L + 1));
  CHECK(lens.points[0] == "blocks.0.hook_resid_pre");
  CHECK(lens.points[3] == "blocks.1.hook_resid_mid");
  CHECK(lens.points.back() == "blocks.2.hook_resid_post");
  m.forward(kTokens.data(), nullptr, 1, T);
  for (int t = 0; t < T; ++t)
    for (int v = 0; v < V; ++v) CHECK(lens.at(2 * L, t)[v] == m.logits(0, t)[v]);

  // point 2 (blocks.1.hook_resid_pre), position 3, by hand in double
  HookSpec spec;
  spec.record = {"blocks.1.hook_resid_pre"};
  HookRecords rec;
  m.forward(kTokens.data(), nullptr, 1, T, &spec, &rec);
  const float* x = rec.at("blocks.1.hook_resid_pre").data.data() + 3 * C;
  double mean = 0, var = 0;
  for (int i = 0; i < C; ++i) mean += x[i] / double(C);
  for (int i = 0; i < C; ++i) var += (x[i] - mean) * (x[i] - mean) / C;
  const LmParams& p = m.weights();
  for (int v = 0; v < V; ++v) {
    double logit = 0;
    for (int i = 0; i < C; ++i)
      logit += ((x[i] - mean) / std::sqrt(var + 1e-5) * p.ln_f_w[i] + p.ln_f_b[i]) * p.wte[v * C + i];
    CHECK(std::fabs(lens.at(2, 3)[v] - logit) < 1e-5);
  }
}

TEST_CASE("lm direct logit attribution: the components plus the bias term sum to the logit") {
  Transformer m = model();
  for (int position : {0, 3, 5})
    for (int token : {0, 7, 16}) {
      const DirectLogitAttribution dla = direct_logit_attribution(m, kTokens.data(), T, position, token);
      REQUIRE(dla.components.size() == std::size_t(2 + L * (H + 2)));
      CHECK(dla.components[0].name == "embed");
      CHECK(dla.components[1].name == "pos_embed");
      CHECK(dla.components[2].name == "L0H0");
      CHECK(dla.components[2 + H].name == "L0.b_O");
      CHECK(dla.components[3 + H].name == "L0.mlp");
      CHECK(dla.components.back().name == "L2.mlp");
      double sum = dla.bias_term;
      for (const auto& c : dla.components) sum += c.value;
      INFO("position " << position << ", token " << token << ": Σ " << sum << ", logit " << dla.logit);
      CHECK(std::fabs(sum - dla.logit) < 1e-5 * (1 + std::fabs(dla.logit)));
      CHECK(dla.logit == m.logits(0, position)[token]);
      CHECK(std::fabs(dla.bias_term) > 1e-3);  // a term of its own, not folded in
    }
}

TEST_CASE("lm direct logit attribution: a component's term is its centred vector through the frozen scale") {
  Transformer m = model();
  const int position = 4, token = 9;
  const DirectLogitAttribution dla = direct_logit_attribution(m, kTokens.data(), T, position, token);
  HookSpec spec;
  spec.record = {"blocks.1.attn.hook_result", "blocks.2.hook_resid_post"};
  HookRecords rec;
  m.forward(kTokens.data(), nullptr, 1, T, &spec, &rec);
  const float* x = rec.at("blocks.2.hook_resid_post").data.data() + position * C;
  double mean = 0, var = 0;
  for (int i = 0; i < C; ++i) mean += x[i] / double(C);
  for (int i = 0; i < C; ++i) var += (x[i] - mean) * (x[i] - mean) / C;
  const float* r = rec.at("blocks.1.attn.hook_result").data.data() + (position * H + 2) * C;  // L1H2
  double rmean = 0, want = 0;
  for (int i = 0; i < C; ++i) rmean += r[i] / double(C);
  const LmParams& p = m.weights();
  for (int i = 0; i < C; ++i)
    want += (r[i] - rmean) / std::sqrt(var + 1e-5) * p.ln_f_w[i] * p.wte[token * C + i];
  const DlaComponent& head = dla.components[2 + (H + 2) + 2];
  CHECK(head.name == "L1H2");
  CHECK(head.layer == 1);
  CHECK(head.head == 2);
  CHECK(std::fabs(head.value - want) < 1e-5);
  CHECK_THROWS_WITH_AS(direct_logit_attribution(m, kTokens.data(), T, 6, 0),
                       "position must be in [0, T-1=5] (got 6)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(direct_logit_attribution(m, kTokens.data(), T, 0, 17),
                       "token must be in [0, vocab_size-1=16] (got 17)", std::invalid_argument);
}

}  // namespace test_lm_logit_lens
