#include "toy/toy_data.hpp"

#include <algorithm>
#include <cmath>

#include "core/kernels.hpp"

namespace superpose {

namespace {
// Below this probability an instance is sampled by geometric gaps (one log per active entry);
// above it, one vectorised uniform draw per entry is cheaper.
constexpr double kGapSamplingBelow = 0.03;
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
  }
  while (sample < batch_size) x.start[++sample] = static_cast<int>(x.index.size());
}

namespace {
// Grows v to at least n elements (never shrinks, so steady-state batches do not allocate).
template <class T>
void ensure_size(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(std::max(n, v.size() * 2));
}
}  // namespace

void ToyDataGenerator::sample_by_draws(ToyInstanceRng& rng, SparseBatch& x, double p, int batch_size) const {
  // Units: single features, or the pairs (2i, 2i+1) of the correlated modes.
  const bool pairs = correlation_ != Correlation::none;
  const int n_pairs = pairs ? n_features_ / 2 : 0;
  const int n_units = n_pairs + (n_features_ - 2 * n_pairs);
  const float p_single = static_cast<float>(p);
  const float p_pair = static_cast<float>(
      correlation_ == Correlation::anticorrelated ? std::min(1.0, 2.0 * p) : p);
  const bool all_active = p >= 1.0 && !pairs;
  if (!all_active) {
    draws_.resize(static_cast<std::size_t>(n_units) * batch_size);
    rng.uniforms.fill(draws_.data(), draws_.size());
  }
  const float* u = draws_.data();
  // Every sample has at most n_features entries (+ 4: append_below writes four at a time): size
  // once, then write without checks. The independent features go through append_below (core/
  // kernels.hpp), which compacts the draws that fired four at a time, without a branch per draw.
  ensure_size(x.index, static_cast<std::size_t>(n_features_) * batch_size + 4);
  int* idx = x.index.data();
  int c = 0;
  for (int s = 0; s < batch_size; ++s) {
    if (all_active) {
      for (int i = 0; i < n_features_; ++i) idx[c++] = i;
    } else {
      for (int q = 0; q < n_pairs; ++q, ++u) {
        if (!(*u < p_pair)) continue;
        if (correlation_ == Correlation::anticorrelated) {
          idx[c++] = 2 * q + static_cast<int>(rng.bits.below(2));
        } else {
          idx[c++] = 2 * q;
          idx[c++] = 2 * q + 1;
        }
      }
      const int singles = n_features_ - 2 * n_pairs;
      c += static_cast<int>(append_below(u, singles, p_single, 2 * n_pairs, idx + c));
      u += singles;
    }
    x.start[s + 1] = c;
  }
}

template <class Drawn>
void ToyDataGenerator::sample_where(ToyRng& rng, ToyBatch& batch, int batch_size, Drawn drawn) const {
  batch.n_features = n_features_;
  batch.abs_target = signed_values_;
  batch.x.resize(n_instances_);
  for (int k = 0; k < n_instances_; ++k) {
    SparseBatch& x = batch.x[k];
    if (!drawn(k)) {
      x.start.assign(1, 0);  // an empty batch: this instance is not drawn here
      continue;
    }
    ToyInstanceRng& r = rng.instance(k);
    x.start.assign(batch_size + 1, 0);
    const double p = probability_[k];
    if (correlation_ == Correlation::none && p < kGapSamplingBelow) {
      x.index.clear();
      sample_by_gaps(r.bits, x, p, batch_size);
    } else {
      sample_by_draws(r, x, p, batch_size);
    }
    // Values: U[0,1), or U[-1,1) for the abs model.
    const std::size_t nnz = x.nnz();
    ensure_size(x.value, nnz);
    r.uniforms.fill(x.value.data(), nnz);
    if (signed_values_)
      for (std::size_t e = 0; e < nnz; ++e) x.value[e] = 2.f * x.value[e] - 1.f;
  }
}

void ToyDataGenerator::sample(ToyRng& rng, ToyBatch& batch, int batch_size, int first, int end) const {
  sample_where(rng, batch, batch_size, [=](int k) { return k >= first && k < end; });
}

void ToyDataGenerator::sample(ToyRng& rng, ToyBatch& batch, int batch_size,
                              const std::vector<int>& instances) const {
  sample_where(rng, batch, batch_size,
               [&](int k) { return std::binary_search(instances.begin(), instances.end(), k); });
}

}  // namespace superpose
