#include "toy/toy_data.hpp"

#include <algorithm>
#include <cmath>

namespace superpose {

namespace {
// Below this probability an instance is sampled by geometric gaps (one log per active entry);
// above it, one 32-bit Bernoulli draw per entry is cheaper.
constexpr double kGapSamplingBelow = 0.05;

// Bernoulli draws from 32-bit halves of the generator's 64-bit outputs.
class Bernoulli32 {
 public:
  explicit Bernoulli32(Rng& rng) : rng_(rng) {}
  static uint32_t threshold(double p) {
    return p >= 1.0 ? UINT32_MAX : static_cast<uint32_t>(p * 4294967296.0);
  }
  bool draw(uint32_t thr) {
    if (thr == UINT32_MAX) return true;
    if (!left_) {
      bits_ = rng_.next_u64();
      left_ = 2;
    }
    const uint32_t u = static_cast<uint32_t>(bits_);
    bits_ >>= 32;
    --left_;
    return u < thr;
  }

 private:
  Rng& rng_;
  uint64_t bits_ = 0;
  int left_ = 0;
};
}  // namespace

Mat ToyBatch::dense(int k) const {
  const SparseBatch& s = x[k];
  Mat out = Mat::Zero(n_features, s.batch_size());
  for (int c = 0; c < s.batch_size(); ++c)
    for (int e = s.start[c]; e < s.start[c + 1]; ++e) out(s.index[e], c) = s.value[e];
  return out;
}

Mat ToyBatch::dense_target(int k) const { return abs_target ? Mat(dense(k).cwiseAbs()) : dense(k); }

ToyBatch ToyBatch::from_dense(const std::vector<Mat>& x, bool abs_target) {
  ToyBatch b;
  b.n_features = x.empty() ? 0 : static_cast<int>(x[0].rows());
  b.abs_target = abs_target;
  for (const Mat& m : x) {
    SparseBatch s;
    s.start.push_back(0);
    for (int c = 0; c < m.cols(); ++c) {
      for (int i = 0; i < m.rows(); ++i)
        if (m(i, c) != 0.f) {
          s.index.push_back(i);
          s.value.push_back(m(i, c));
        }
      s.start.push_back(static_cast<int>(s.index.size()));
    }
    b.x.push_back(std::move(s));
  }
  return b;
}

ToyDataGenerator::ToyDataGenerator(const ToyConfig& config)
    : n_features_(config.n_features),
      n_instances_(config.n_instances),
      correlation_(config.correlation_kind()),
      signed_values_(config.model_kind() == ToyModelKind::abs) {
  for (int k = 0; k < n_instances_; ++k) probability_.push_back(config.probability(k));
}

void ToyDataGenerator::sample_by_gaps(Rng& rng, SparseBatch& x, double p, int batch_size) const {
  // Independent features: skip geometric gaps along the flattened (sample, feature) index.
  const int64_t total = static_cast<int64_t>(batch_size) * n_features_;
  const double log1mp = std::log1p(-p);
  int sample = 0;
  for (int64_t u = rng.geometric_gap(log1mp); u < total; u += 1 + rng.geometric_gap(log1mp)) {
    const int s = static_cast<int>(u / n_features_);
    while (sample < s) x.start[++sample] = static_cast<int>(x.index.size());
    x.index.push_back(static_cast<int>(u % n_features_));
    x.value.push_back(value(rng));
  }
  while (sample < batch_size) x.start[++sample] = static_cast<int>(x.index.size());
}

void ToyDataGenerator::sample_by_draws(Rng& rng, SparseBatch& x, double p, int batch_size) const {
  Bernoulli32 bernoulli(rng);
  const int group = correlation_ == Correlation::none ? 1 : 2;
  const uint32_t thr_single = Bernoulli32::threshold(p);
  const uint32_t thr_group = Bernoulli32::threshold(
      correlation_ == Correlation::anticorrelated ? std::min(1.0, 2.0 * p) : p);
  const int paired = correlation_ == Correlation::none ? 0 : n_features_ - n_features_ % 2;
  for (int s = 0; s < batch_size; ++s) {
    int i = 0;
    for (; i < paired; i += group) {
      if (!bernoulli.draw(thr_group)) continue;
      if (correlation_ == Correlation::anticorrelated) {
        x.index.push_back(i + static_cast<int>(rng.below(2)));
        x.value.push_back(value(rng));
      } else {
        for (int j = i; j < i + group; ++j) {
          x.index.push_back(j);
          x.value.push_back(value(rng));
        }
      }
    }
    for (; i < n_features_; ++i)
      if (bernoulli.draw(thr_single)) {
        x.index.push_back(i);
        x.value.push_back(value(rng));
      }
    x.start[s + 1] = static_cast<int>(x.index.size());
  }
}

void ToyDataGenerator::sample(Rng& rng, ToyBatch& batch, int batch_size) const {
  batch.n_features = n_features_;
  batch.abs_target = signed_values_;
  batch.x.resize(n_instances_);
  for (int k = 0; k < n_instances_; ++k) {
    SparseBatch& x = batch.x[k];
    x.start.assign(batch_size + 1, 0);
    x.index.clear();
    x.value.clear();
    const double p = probability_[k];
    if (correlation_ == Correlation::none && p < kGapSamplingBelow)
      sample_by_gaps(rng, x, p, batch_size);
    else
      sample_by_draws(rng, x, p, batch_size);
  }
}

}  // namespace superpose
