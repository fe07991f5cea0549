#include "lm/sampler.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "core/rng.hpp"

namespace superpose {

namespace {
// The Rng stream of sampling (the initialisation and the data draw from others).
constexpr uint64_t kSampleStream = 0x5341;  // "SA"
}  // namespace

std::vector<float> next_token_probs(Transformer& model, const int32_t* tokens, int n,
                                    double temperature, const HookSpec* spec) {
  require_in_range("prompt length", n, 1, 1e9);
  require_in_range("temperature", temperature, 0, 100);
  const int context = model.config().context, V = model.vocab_size();
  const int T = std::min(n, context);
  model.forward(tokens + (n - T), nullptr, 1, T, spec);
  const float* logits = model.logits(0, T - 1);
  std::vector<float> probs(V, 0.f);
  if (temperature == 0) {
    probs[std::max_element(logits, logits + V) - logits] = 1.f;
    return probs;
  }
  const double maxval = *std::max_element(logits, logits + V);
  double sum = 0;
  std::vector<double> e(V);
  for (int v = 0; v < V; ++v) sum += e[v] = std::exp((logits[v] - maxval) / temperature);
  for (int v = 0; v < V; ++v) probs[v] = static_cast<float>(e[v] / sum);
  return probs;
}

std::vector<TokenProb> top_tokens(const std::vector<float>& probs, int k) {
  require_in_range("k", k, 0, static_cast<double>(probs.size()));
  std::vector<TokenProb> all(probs.size());
  for (std::size_t v = 0; v < probs.size(); ++v) all[v] = {static_cast<int32_t>(v), probs[v]};
  std::partial_sort(all.begin(), all.begin() + k, all.end(), [](const TokenProb& a, const TokenProb& b) {
    return a.p > b.p || (a.p == b.p && a.token < b.token);
  });
  all.resize(k);
  return all;
}

int32_t sample_token(const std::vector<float>& probs, double u) {
  double cdf = 0;
  int32_t last = 0;
  for (std::size_t v = 0; v < probs.size(); ++v) {
    if (probs[v] <= 0) continue;
    cdf += probs[v];
    last = static_cast<int32_t>(v);
    if (u < cdf) return last;
  }
  return last;
}

std::vector<int32_t> generate(Transformer& model, const std::vector<int32_t>& prompt, int n_new,
                              double temperature, uint64_t seed, const HookSpec* spec) {
  require_in_range("tokens", n_new, 0, 1e6);
  Rng rng(seed, kSampleStream);
  std::vector<int32_t> seq = prompt, out;
  for (int i = 0; i < n_new; ++i) {
    const std::vector<float> probs =
        next_token_probs(model, seq.data(), static_cast<int>(seq.size()), temperature, spec);
    const int32_t next = sample_token(probs, static_cast<double>(rng.uniform()));
    seq.push_back(next);
    out.push_back(next);
  }
  return out;
}

}  // namespace superpose
