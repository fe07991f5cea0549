#include "sae/sae_data.hpp"

#include "core/check.hpp"
#include "io/npy.hpp"
#include "sae/hierarchical_data.hpp"
#include "sae/npy_activations.hpp"
#include "sae/synthetic_data.hpp"
#include "sae/toy_activations.hpp"

namespace superpose {

TrueFiring TrueFiring::from_triplets(int n, const std::vector<int>& sample, const std::vector<int>& feature,
                                     const std::vector<float>& coefficient) {
  TrueFiring t;
  t.start.assign(n + 1, 0);
  for (int s : sample) ++t.start[s + 1];
  for (int s = 0; s < n; ++s) t.start[s + 1] += t.start[s];
  t.feature.resize(sample.size());
  t.coefficient.resize(sample.size());
  std::vector<int> next(t.start.begin(), t.start.end() - 1);
  for (std::size_t e = 0; e < sample.size(); ++e) {
    const int at = next[sample[e]]++;
    t.feature[at] = feature[e];
    t.coefficient[at] = coefficient[e];
  }
  // Features ascending within each sample (insertion sort: a sample holds a few dozen).
  for (int s = 0; s < n; ++s)
    for (int a = t.start[s] + 1; a < t.start[s + 1]; ++a)
      for (int b = a; b > t.start[s] && t.feature[b - 1] > t.feature[b]; --b) {
        std::swap(t.feature[b - 1], t.feature[b]);
        std::swap(t.coefficient[b - 1], t.coefficient[b]);
      }
  return t;
}

Mat SeededSaeData::held_out(int n) const {
  Rng eval(seed_, rng_stream::eval);
  Mat X;
  fill(eval, X, n, nullptr);
  return X;
}

TrueFiring SeededSaeData::held_out_firing(int n) const {
  if (true_features_.cols() == 0) return {};
  Rng eval(seed_, rng_stream::eval);
  Mat X;
  TrueFiring t;
  fill(eval, X, n, &t);
  return t;
}

int FeatureHierarchy::depth(int i) const {
  int k = 0;
  for (int p = parent[i]; p >= 0; p = parent[p]) ++k;
  return k;
}

std::unique_ptr<SaeData> make_sae_data(const SaeConfig& config) {
  config.validate();
  switch (config.data_kind()) {
    case SaeDataKind::synthetic: return std::make_unique<SyntheticData>(config);
    case SaeDataKind::toy: return std::make_unique<ToyActivations>(config);
    case SaeDataKind::hierarchical: return std::make_unique<HierarchicalData>(config);
    case SaeDataKind::npy:
      return std::make_unique<NpyActivations>(npy_activations(read_npy_file(config.npy_path)),
                                              static_cast<uint64_t>(config.seed));
  }
  fail_config("unknown data source");
}

}  // namespace superpose
