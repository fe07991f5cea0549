#include "grok/grok_data.hpp"

#include <numeric>

#include "core/rng.hpp"

namespace superpose {

namespace {
constexpr uint64_t kSplitStream = 1;  // streams of the seed: 0 init, 1 split, 2 resample ablation
}

GrokSplit make_split(const GrokConfig& config) {
  const int p = config.p, pairs = p * p, n_train = config.n_train();
  std::vector<int> order(pairs);
  std::iota(order.begin(), order.end(), 0);
  Rng rng(static_cast<uint64_t>(config.seed), kSplitStream);
  for (int i = pairs - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);  // Fisher-Yates
  GrokSplit split;
  for (int i = 0; i < pairs; ++i) {
    PairSet& set = i < n_train ? split.train : split.test;
    const int a = order[i] / p, b = order[i] % p;
    set.a.push_back(a);
    set.b.push_back(b);
    set.y.push_back((a + b) % p);
  }
  return split;
}

}  // namespace superpose
