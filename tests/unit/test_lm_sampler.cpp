// Next-token distributions and generation (lm/sampler.hpp): the distribution is the softmax of
// the last position's logits over the temperature (0: the argmax), inverse-CDF sampling hits each
// token with its probability, generation is greedy at temperature 0 and reproducible per seed,
// and a prompt longer than the context is read through its last `context` tokens.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "lm/sampler.hpp"

namespace test_lm_sampler {

using namespace superpose;

namespace {
constexpr int V = 9;
Transformer model() {
  LmConfig c;
  c.n_layers = 1;
  c.d_model = 8;
  c.n_heads = 2;
  c.context = 6;
  c.batch_size = 1;
  Transformer m(c, V);
  Rng rng(41);
  for (float& x : m.params()) x += static_cast<float>(0.5 * rng.normal());
  return m;
}
}  // namespace

TEST_CASE("lm sampler: the next-token distribution is softmax(logits / temperature) at the last position") {
  Transformer m = model();
  const std::vector<int32_t> prompt = {1, 5, 2};
  for (double temperature : {1.0, 0.5, 2.0}) {
    const auto p = next_token_probs(m, prompt.data(), 3, temperature);
    m.forward(prompt.data(), nullptr, 1, 3);
    const float* l = m.logits(0, 2);
    double z = 0, sum = 0;
    for (int v = 0; v < V; ++v) z += std::exp(l[v] / temperature);
    for (int v = 0; v < V; ++v) {
      CHECK(std::fabs(p[v] - std::exp(l[v] / temperature) / z) < 1e-6);
      sum += p[v];
    }
    CHECK(std::fabs(sum - 1) < 1e-6);
  }
  const auto greedy = next_token_probs(m, prompt.data(), 3, 0);
  const auto top = top_tokens(next_token_probs(m, prompt.data(), 3), 3);
  REQUIRE(top.size() == 3);
  CHECK(top[0].p >= top[1].p);
  CHECK(top[1].p >= top[2].p);
  CHECK(greedy[top[0].token] == 1.f);
  // a prompt longer than the context: its last 6 tokens
  const std::vector<int32_t> longer = {0, 0, 3, 1, 4, 1, 5, 2}, tail = {3, 1, 4, 1, 5, 2};
  CHECK(next_token_probs(m, longer.data(), 8) == next_token_probs(m, tail.data(), 6));
}

TEST_CASE("lm sampler: inverse-CDF sampling hits each token with its probability") {
  const std::vector<float> p = {0.2f, 0.f, 0.5f, 0.3f};
  CHECK(sample_token(p, 0.0) == 0);
  CHECK(sample_token(p, 0.1) == 0);
  CHECK(sample_token(p, 0.21) == 2);  // token 1 has no mass
  CHECK(sample_token(p, 0.69) == 2);
  CHECK(sample_token(p, 0.71) == 3);
  CHECK(sample_token(p, 0.99999) == 3);
  CHECK(sample_token({0.5f, 0.25f, 0.f}, 0.9) == 1);  // rounding short of 1: the last with mass
  Rng rng(3);
  std::vector<int> counts(4, 0);
  const int n = 40000;
  for (int i = 0; i < n; ++i) ++counts[sample_token(p, rng.uniform())];
  for (int v = 0; v < 4; ++v) CHECK(std::fabs(counts[v] / double(n) - p[v]) < 0.01);
}

TEST_CASE("lm sampler: generation is greedy at temperature 0 and reproducible per seed") {
  Transformer m = model();
  const std::vector<int32_t> prompt = {2, 7};
  const auto greedy = generate(m, prompt, 10, 0, 0);
  REQUIRE(greedy.size() == 10);
  std::vector<int32_t> seq = prompt;
  for (int32_t t : greedy) {  // each is the argmax after the sequence so far (window of 6)
    const auto p = next_token_probs(m, seq.data(), static_cast<int>(seq.size()), 1.0);
    CHECK(t == top_tokens(p, 1)[0].token);
    seq.push_back(t);
  }
  CHECK(generate(m, prompt, 10, 0, 5) == greedy);  // the seed does not matter when greedy
  const auto a = generate(m, prompt, 30, 1.5, 7), b = generate(m, prompt, 30, 1.5, 7),
             c = generate(m, prompt, 30, 1.5, 8);
  CHECK(a == b);
  CHECK(a != c);
  CHECK_THROWS_WITH_AS(next_token_probs(m, prompt.data(), 2, -1), "temperature must be in [0, 100] (got -1)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(next_token_probs(m, prompt.data(), 0), "prompt length must be in [1, 1000000000] (got 0)",
                       std::invalid_argument);
  const std::vector<int32_t> bad = {2, 9};
  CHECK_THROWS_AS(generate(m, bad, 1, 0, 0), std::invalid_argument);
}

}  // namespace test_lm_sampler
