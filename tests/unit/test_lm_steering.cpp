// Steering the language model (lm/lm_steering.hpp): strength 0 changes nothing, bit for bit; a
// steered run equals the forward with the add edit written by hand; the positions follow the
// prompt's last token (or every position from p on) as the window slides; the difference-of-means
// direction equals the means read off the forward's own buffers; refusals by name.
// Slow: on the page's recipe (lm_fixture.hpp page_recipe: the default toy-world model, 2000
// steps, and the lm session's SAE stage: a ReLU SAE of 256 latents, λ 2, 3000 steps on 2560
// windows of blocks.0.hook_resid_post), the latent that best matches predicts_cold turns "the
// weather in california is" from hot to cold, seeds 0, 1, 2 (native only, as test_lm_trained.cpp).
// Measured (native, 2026-11-28): latents 238, 135, 194, P/R 1.00/0.86, 1.00/0.85, 0.91/0.94;
// P(hot)/P(cold) after the prompt at strength 0, 4, 8, 16: seed 0 0.996/0.001, 0.024/0.975,
// 0.012/0.983, 0.012/0.971; seed 1 0.998/0.001, 0.047/0.951, 0.012/0.982, 0.010/0.956; seed 2
// 0.999/0.001, 0.059/0.940, 0.011/0.986, 0.008/0.980.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "lm/feature_dashboard.hpp"
#include "lm/lm_activations.hpp"
#include "lm/lm_run.hpp"
#include "lm/lm_steering.hpp"
#include "lm/toy_world.hpp"
#include "lm_fixture.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"
#include "tolerance.hpp"

namespace test_lm_steering {

using namespace superpose;

namespace {
constexpr int V = 13, C = 16, CONTEXT = 8;
Transformer small_model() {
  LmConfig c;
  c.n_layers = 2;
  c.d_model = C;
  c.n_heads = 4;
  c.context = CONTEXT;
  Transformer m(c, V);
  Rng rng(11);
  for (float& x : m.params()) x += static_cast<float>(0.3 * rng.normal());
  return m;
}
std::unique_ptr<Sae> random_sae(int d, int L) {
  SaeConfig c;
  c.n_latents = L;
  c.input_dim = d;
  c.init = "random";
  c.seed = 2;
  return make_sae(c, d, Vec::Zero(d));
}
std::vector<int32_t> ids(std::initializer_list<int32_t> l) { return std::vector<int32_t>(l); }
}  // namespace

TEST_CASE("lm steering: strength 0 changes nothing, bit for bit; any other strength does") {
  Transformer m = small_model();
  auto sae = random_sae(C, 8);
  const std::vector<int32_t> prompt = ids({1, 5, 2, 7});
  for (const char* hook : {"blocks.0.hook_resid_post", "blocks.1.hook_resid_pre"}) {
    for (int from : {-1, 0, 2}) {
      Steering s;
      s.vector = latent_steering(*sae, m, hook, 3, 2.5);
      s.strength = 0;
      s.from = from;
      const SteeringResult r = steer_lm(m, prompt, s, 5, 12);  // generates past the context
      REQUIRE(r.probs_after.size() == static_cast<std::size_t>(V));
      CHECK(std::memcmp(r.probs_before.data(), r.probs_after.data(), V * sizeof(float)) == 0);
      CHECK(r.text_before == r.text_after);
      CHECK(r.text_before == generate(m, prompt, 12, 0.0, 0));  // the clean greedy continuation
      const std::vector<float> clean = next_token_probs(m, prompt.data(), 4);
      CHECK(std::memcmp(clean.data(), r.probs_after.data(), V * sizeof(float)) == 0);
      s.strength = 0.01;
      const SteeringResult moved = steer_lm(m, prompt, s, 5, 0);
      CHECK(std::memcmp(moved.probs_before.data(), moved.probs_after.data(), V * sizeof(float)) != 0);
    }
  }
}

TEST_CASE("lm steering: the steered run is the forward with the add edit written by hand") {
  Transformer m = small_model();
  auto sae = random_sae(C, 8);
  const std::vector<int32_t> prompt = ids({3, 1, 4});
  Steering s;
  s.vector = latent_steering(*sae, m, "blocks.0.hook_resid_mid", 5, 1.75);
  s.strength = 3;
  // The prompt's last token, while the sequence fits the context: a fixed position 2.
  HookSpec hand;
  HookEdit e;
  e.hook = "blocks.0.hook_resid_mid";
  e.op = HookOp::add;
  e.positions = {2};
  for (int d = 0; d < C; ++d) e.vector.push_back(static_cast<float>(3 * 1.75 * sae->W_dec()(d, 5)));
  hand.edits.push_back(e);
  const SteeringResult r = steer_lm(m, prompt, s, 3, 5);  // 3 + 5 ≤ 8: never slides
  const std::vector<float> want = next_token_probs(m, prompt.data(), 3, 1.0, &hand);
  for (int v = 0; v < V; ++v) CHECK(r.probs_after[v] == want[v]);
  CHECK(r.text_after == generate(m, prompt, 5, 0.0, 0, &hand));
  CHECK(r.top_after[0].p >= r.top_after[1].p);
  CHECK(r.top_after.size() == 3);

  // Every position from 1 on: a forward over 3 tokens edits 1, 2.
  s.from = 1;
  hand.edits[0].positions = {1, 2};
  const SteeringResult all = steer_lm(m, prompt, s, 3, 0);
  const std::vector<float> want_all = next_token_probs(m, prompt.data(), 3, 1.0, &hand);
  for (int v = 0; v < V; ++v) CHECK(all.probs_after[v] == want_all[v]);
}

TEST_CASE("lm steering: positions follow the sequence as the window slides") {
  Steering s;
  s.vector.hook = "blocks.0.hook_resid_post";
  s.vector.direction.assign(C, 1.f);
  s.vector.scale = 2;
  s.strength = 0.5;
  // prompt 8 tokens, 10 read, context 8: window [2, 10); the prompt's last token 7 is at 5.
  HookSpec h = steering_spec(s, 8, 10, CONTEXT);
  REQUIRE(h.edits.size() == 1);
  CHECK(h.edits[0].positions == std::vector<int>{5});
  CHECK(h.edits[0].vector == std::vector<float>(C, 1.f));
  CHECK(h.edits[0].op == HookOp::add);
  // A short prompt whose last token has slid out: no edit.
  CHECK(steering_spec(s, 3, 12, CONTEXT).empty());
  // From 3: positions 3..9, in the window 1..7.
  s.from = 3;
  CHECK(steering_spec(s, 8, 10, CONTEXT).edits[0].positions == std::vector<int>{1, 2, 3, 4, 5, 6, 7});
  // From beyond the sequence: nothing yet.
  s.from = 12;
  CHECK(steering_spec(s, 8, 10, CONTEXT).empty());
  s.from = -1;
  s.strength = 0;
  CHECK(steering_spec(s, 8, 10, CONTEXT).empty());
}

TEST_CASE("lm steering: the difference of means is the last tokens' mean difference in the forward's buffers") {
  Transformer m = small_model();
  const std::vector<std::vector<int32_t>> a = {ids({1, 2, 3}), ids({4, 5}), ids({6, 7, 8, 9, 10, 11, 12, 0, 1, 2})};
  const std::vector<std::vector<int32_t>> b = {ids({2, 2}), ids({9})};
  const SteeringVector v = mean_difference_steering(m, "blocks.1.hook_resid_mid", a, b);
  CHECK(v.scale == 1);
  REQUIRE(v.direction.size() == static_cast<std::size_t>(C));
  auto mean = [&](const std::vector<std::vector<int32_t>>& set) {
    std::vector<double> out(C, 0.0);
    for (const auto& p : set) {
      const int n = static_cast<int>(p.size()), T = std::min(n, CONTEXT);
      m.forward(p.data() + (n - T), nullptr, 1, T);
      const float* x = m.activations().h[1].resid_mid + static_cast<std::size_t>(T - 1) * C;
      for (int d = 0; d < C; ++d) out[d] += x[d] / static_cast<double>(set.size());
    }
    return out;
  };
  const std::vector<double> ma = mean(a), mb = mean(b);
  for (int d = 0; d < C; ++d) CHECK(test::close(v.direction[d], ma[d] - mb[d], 1e-5, 1e-6));
  CHECK_THROWS_WITH_AS(mean_difference_steering(m, "blocks.0.hook_resid_post", a, {}),
                       doctest::Contains("prompt set B holds no prompts"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(mean_difference_steering(m, "blocks.0.hook_resid_post", {ids({})}, b),
                       doctest::Contains("prompt set A: prompt 0 is empty"), std::invalid_argument);
}

TEST_CASE("lm steering: unit directions and latents, and refusals by name") {
  Transformer m = small_model();
  std::vector<float> d(C, 0.f);
  d[2] = 3;
  d[5] = -4;
  const SteeringVector u = unit_steering(m, "blocks.0.hook_attn_out", d, 7);
  CHECK(u.direction[2] == doctest::Approx(0.6));
  CHECK(u.direction[5] == doctest::Approx(-0.8));
  CHECK(u.scale == 7);
  CHECK_THROWS_WITH_AS(unit_steering(m, "blocks.0.hook_attn_out", std::vector<float>(C, 0.f)),
                       doctest::Contains("non-zero"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(unit_steering(m, "blocks.0.mlp.hook_post", d), doctest::Contains("64 values"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(unit_steering(m, "blocks.0.attn.hook_z", d), doctest::Contains("blocks.0.attn.hook_z"),
                       std::invalid_argument);
  auto sae = random_sae(C, 8);
  const SteeringVector l = latent_steering(*sae, m, "blocks.1.hook_resid_post", 6, 4.5);
  for (int i = 0; i < C; ++i) CHECK(l.direction[i] == sae->W_dec()(i, 6));
  CHECK(l.scale == 4.5);
  CHECK_THROWS_WITH_AS(latent_steering(*sae, m, "blocks.1.hook_resid_post", 8, 1), doctest::Contains("latent"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(latent_steering(*sae, m, "blocks.0.mlp.hook_post", 0, 1), doctest::Contains("64"),
                       std::invalid_argument);
  Steering s;
  s.vector = l;
  s.strength = 2000;
  CHECK_THROWS_WITH_AS(steer_lm(m, ids({1}), s, 3, 1), doctest::Contains("strength"), std::invalid_argument);
  s.strength = 1;
  CHECK_THROWS_WITH_AS(steer_lm(m, ids({1}), s, 0, 1), doctest::Contains("top_k"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(steer_lm(m, ids({}), s, 3, 1), doctest::Contains("prompt"), std::invalid_argument);
  s.vector.direction.pop_back();
  CHECK_THROWS_WITH_AS(steer_lm(m, ids({1}), s, 3, 1), doctest::Contains("16 values"), std::invalid_argument);
}

TEST_CASE("lm steering trained: the latent matched to cold turns california's hot into cold" *
          doctest::test_suite("slow")) {
  const std::vector<int> seeds = {0, 1, 2};
  const std::string hook = "blocks.0.hook_resid_post";
  int flipped = 0, matched = 0;
  for (int seed : seeds) {
    LmSession& session = test::page_recipe(seed);  // the page's model and SAE (lm_fixture.hpp)
    Transformer& model = session.run().model();
    const Corpus* corpus = &session.run().corpus();
    const std::vector<int32_t> prompt = corpus->encode(california_probe().prompt);
    const int32_t hot = corpus->tokenizer.id_of("hot"), cold = corpus->tokenizer.id_of("cold");
    REQUIRE(session.sae() != nullptr);
    LmSaeStage& stage = *session.sae();
    REQUIRE(stage.config().hook == hook);
    SaeTrainer& trainer = stage.trainer();
    const LmActivationData* data = &stage.data();
    const LmActivationSet& held = data->heldout_set();
    const LatentCodes codes = encode_set(trainer.sae(), held);
    const LabelCounts counts = count_labels(codes, held, static_cast<int>(corpus->labels.size()));
    const int label = find_label(*corpus, "cold");
    const int latent = best_latent_for_label(codes, counts, label);
    REQUIRE(latent >= 0);
    const LabelMatch m = label_match(codes, counts, latent, label);
    const FeatureDashboard d = feature_dashboard(codes, counts, held, trainer.sae(), model, latent);
    CHECK(d.label.label == label);  // its own best label is the one it was picked for
    std::vector<double> p_hot, p_cold;
    for (double strength : {0.0, 4.0, 8.0, 16.0}) {
      Steering st;
      st.vector = latent_steering(trainer.sae(), model, hook, latent, d.max_activation);
      st.strength = strength;
      const SteeringResult r = steer_lm(model, prompt, st, 5, 0);
      p_hot.push_back(r.probs_after[hot]);
      p_cold.push_back(r.probs_after[cold]);
    }
    MESSAGE("seed " << seed << ": latent " << latent << " P " << m.precision << " R " << m.recall << " max "
                    << d.max_activation << "; hot/cold at strength 0, 4, 8, 16: " << p_hot[0] << "/" << p_cold[0]
                    << ", " << p_hot[1] << "/" << p_cold[1] << ", " << p_hot[2] << "/" << p_cold[2] << ", "
                    << p_hot[3] << "/" << p_cold[3]);
    CHECK(p_hot[0] > 0.9);
    flipped += p_cold[2] > p_hot[2] && p_cold[3] > p_hot[3];
    matched += m.precision >= 0.8 && m.recall >= 0.8;
  }
  CHECK(2 * flipped > static_cast<int>(seeds.size()));
  CHECK(2 * matched > static_cast<int>(seeds.size()));
}

}  // namespace test_lm_steering
