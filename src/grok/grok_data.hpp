// The modular-addition data set: every pair (a, b) ∈ Z_p², its answer (a + b) mod p, and a seeded
// split of the p² pairs into a training set (round(train_fraction · p²) pairs) and a test set (the
// rest). Inputs stay as token indices: the models gather embedding columns by index and never
// build one-hot vectors.
#pragma once
#include <vector>

#include "grok/grok_config.hpp"

namespace superpose {

// A list of pairs, three parallel arrays of length size().
struct PairSet {
  std::vector<int> a, b, y;  // y = (a + b) mod p
  int size() const { return static_cast<int>(a.size()); }
};

struct GrokSplit {
  PairSet train, test;
};

// The split of a config (p, train_fraction, seed): the same pairs on every platform.
GrokSplit make_split(const GrokConfig& config);

}  // namespace superpose
