#include "toy/toy_data.hpp"

#include <algorithm>
#include <cmath>

namespace superpose {

ToyDataGenerator::ToyDataGenerator(const ToyConfig& config)
    : n_features_(config.n_features),
      n_instances_(config.n_instances),
      correlation_(config.correlation_kind()),
      signed_values_(config.model_kind() == ToyModelKind::abs) {
  for (int k = 0; k < n_instances_; ++k) probability_.push_back(config.probability(k));
}

void ToyDataGenerator::sample_group(Rng& rng, Mat& x, int first, int size, double p,
                                    int batch_size) const {
  // Probability that the group fires at a sample, and how many of its members fire then.
  double q = p;
  if (size > 1 && correlation_ == Correlation::anticorrelated) q = std::min(1.0, size * p);
  const bool all_fire = q >= 1.0;
  const double log1mq = all_fire ? 0.0 : std::log1p(-q);
  int64_t s = all_fire ? 0 : rng.geometric_gap(log1mq);
  while (s < batch_size) {
    if (size > 1 && correlation_ == Correlation::anticorrelated) {
      const int i = first + static_cast<int>(rng.below(static_cast<uint32_t>(size)));
      x(i, s) = signed_values_ ? 2.f * rng.uniform() - 1.f : rng.uniform();
    } else {
      for (int i = first; i < first + size; ++i)
        x(i, s) = signed_values_ ? 2.f * rng.uniform() - 1.f : rng.uniform();
    }
    s += 1 + (all_fire ? 0 : rng.geometric_gap(log1mq));
  }
}

void ToyDataGenerator::sample(Rng& rng, ToyBatch& batch, int batch_size) const {
  batch.x.resize(n_instances_);
  for (int k = 0; k < n_instances_; ++k) {
    Mat& x = batch.x[k];
    x.setZero(n_features_, batch_size);
    const double p = probability_[k];
    const int group = correlation_ == Correlation::none ? 1 : 2;
    int i = 0;
    for (; i + group <= n_features_; i += group) sample_group(rng, x, i, group, p, batch_size);
    for (; i < n_features_; ++i) sample_group(rng, x, i, 1, p, batch_size);
  }
  if (signed_values_) {
    batch.y.resize(n_instances_);
    for (int k = 0; k < n_instances_; ++k) batch.y[k] = batch.x[k].cwiseAbs();
  } else {
    batch.y.clear();
  }
}

}  // namespace superpose
