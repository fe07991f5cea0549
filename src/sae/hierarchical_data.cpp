#include "sae/hierarchical_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels.hpp"

namespace superpose {

namespace {
constexpr int kOverlapBlock = 256;   // columns of the Gram matrix formed at a time
constexpr int kOverlapPasses = 60;   // gradient passes at most
constexpr float kOverlapStep = 0.5f;
constexpr float kMaxColumnStep = 0.2f;  // a column moves at most this far (× step) per pass

// One pass over U's Gram matrix in column blocks: returns the mean max |cos|; with dU, also
// the gradient of ½ Σ_{i≠j} max(0, |cos_ij| − t)² with respect to U (unit columns assumed).
double overlap_pass(const Mat& U, float t, Mat* dU) {
  const int F = static_cast<int>(U.cols());
  if (F < 2) return 0;
  double sum = 0;
  if (dU) dU->setZero(U.rows(), F);
  Mat G, M;
  for (int b0 = 0; b0 < F; b0 += kOverlapBlock) {
    const int nb = std::min(kOverlapBlock, F - b0);
    G.noalias() = U.transpose() * U.middleCols(b0, nb);  // (F, nb): column j is feature b0 + j
    if (dU) M.setZero(F, nb);
    for (int j = 0; j < nb; ++j) {
      float best = 0;
      for (int i = 0; i < F; ++i) {
        if (i == b0 + j) continue;
        const float a = std::abs(G(i, j));
        best = std::max(best, a);
        if (dU && a > t) M(i, j) = (a - t) * (G(i, j) > 0 ? 1.f : -1.f);
      }
      sum += best;
    }
    if (dU) dU->middleCols(b0, nb).noalias() = U * M;
  }
  return sum / F;
}
}  // namespace

double mean_max_overlap(const Mat& U) { return overlap_pass(U, 1.f, nullptr); }

HierarchicalData::HierarchicalData(const SaeConfig& c)
    : SeededSaeData(static_cast<uint64_t>(c.seed)), d_(c.input_dim), F_(c.true_features),
      K_(c.correlation_rank), strength_(c.correlation_strength),
      magnitude_mean_(c.magnitude_mean), magnitude_std_(c.magnitude_std),
      p_(c.zipf_probabilities()) {
  // The forest, breadth-first (SAELens' generate_hierarchy).
  const std::vector<int> shape = c.hierarchy_shape();
  const int R = std::min(shape[0], F_), branching = shape[1], depth = shape[2];
  hierarchy_.parent.assign(F_, -1);
  hierarchy_.children.assign(F_, {});
  int next = R;
  std::vector<int> level(R);
  for (int i = 0; i < R; ++i) level[i] = i;
  for (int k = 0; k < depth && next < F_; ++k) {
    std::vector<int> below;
    for (int parent : level)
      for (int b = 0; b < branching && next < F_; ++b) {
        hierarchy_.parent[next] = parent;
        hierarchy_.children[parent].push_back(next);
        below.push_back(next++);
      }
    level = std::move(below);
  }
  r_ = p_;
  for (int i = 0; i < F_; ++i) {
    const auto& kids = hierarchy_.children[i];
    double sum = 0;
    for (int j : kids) sum += p_[j];
    for (int j : kids) r_[j] = p_[j] / std::max(p_[i], sum);
    if (hierarchy_.parent[i] < 0) independent_.push_back(i);
  }

  // Context loadings: Gaussian, centred over the K + 1 contexts, scaled to max |e| = 1.
  Rng ctx(seed_, 5);
  e_.assign(std::size_t(K_ + 1) * F_, 0.f);
  if (K_ > 0)
    for (int i = 0; i < F_; ++i) {
      double mean = 0, peak = 0;
      for (int k = 0; k <= K_; ++k) mean += e_[std::size_t(k) * F_ + i] = static_cast<float>(ctx.normal());
      mean /= K_ + 1;
      for (int k = 0; k <= K_; ++k) peak = std::max(peak, std::abs(e_[std::size_t(k) * F_ + i] - mean));
      for (int k = 0; k <= K_; ++k)
        e_[std::size_t(k) * F_ + i] = static_cast<float>((e_[std::size_t(k) * F_ + i] - mean) / peak);
    }

  // Directions: Gaussian, unit, pushed apart until the mean max |cos| reaches the target.
  Rng dir(seed_, 4);
  Mat& U = true_features_;
  U.resize(d_, F_);
  for (int i = 0; i < F_; ++i)
    for (int r = 0; r < d_; ++r) U(r, i) = static_cast<float>(dir.normal());
  for (int i = 0; i < F_; ++i) U.col(i).normalize();
  // Gradient passes with each column's step clipped; a pass that does not lower the mean max
  // |cos| is undone and the step halved (an unreachable target, below the Welch bound, must not
  // collapse the directions).
  const float target = static_cast<float>(c.overlap);
  Mat dU, best_U = U, best_dU;
  double best = std::numeric_limits<double>::infinity();
  float step = kOverlapStep;
  for (int pass = 0;; ++pass) {
    // Penalise pairs a little below the target: the max of each row then falls under it.
    const double o = overlap_pass(U, 0.8f * target, pass < kOverlapPasses ? &dU : nullptr);
    if (o < best) {
      best = o;
      best_U = U;
      best_dU = dU;
    } else {
      step *= 0.5f;
      U = best_U;
      dU = best_dU;
    }
    if (best <= target || pass >= kOverlapPasses) break;
    for (int i = 0; i < F_; ++i) {
      const float n = dU.col(i).norm();
      U.col(i) -= (step * std::min(1.f, kMaxColumnStep / std::max(n, 1e-30f))) * dU.col(i);
      U.col(i).normalize();
    }
  }
  U = best_U;
  overlap_ = best;
}

void HierarchicalData::draw(Rng& rng, int B, std::vector<int>& sample, std::vector<int>& feature,
                            std::vector<float>& coefficient) const {
  sample.clear();
  feature.clear();
  coefficient.clear();
  const auto magnitude = [&] {
    return magnitude_std_ > 0 ? static_cast<float>(std::abs(magnitude_mean_ + magnitude_std_ * rng.normal()))
                              : static_cast<float>(magnitude_mean_);
  };
  // Each sample's context; the samples of each context in order.
  std::vector<std::vector<int>> members(K_ + 1);
  for (int s = 0; s < B; ++s) members[K_ > 0 ? rng.below(static_cast<uint32_t>(K_ + 1)) : 0].push_back(s);
  // Roots and free features: independent given the context, skipping geometric gaps.
  for (int i : independent_)
    for (int k = 0; k <= K_; ++k) {
      const std::vector<int>& in = members[k];
      const double q = std::min(1.0, p_[i] * (1.0 + strength_ * e_[std::size_t(k) * F_ + i]));
      if (!(q > 0) || in.empty()) continue;
      const double log1mq = q < 1 ? std::log1p(-q) : 0.0;
      const int64_t n = static_cast<int64_t>(in.size());
      for (int64_t t = q < 1 ? rng.geometric_gap(log1mq) : 0; t < n; t += 1 + (q < 1 ? rng.geometric_gap(log1mq) : 0)) {
        sample.push_back(in[t]);
        feature.push_back(i);
        coefficient.push_back(magnitude());
      }
    }
  // Children, top-down: each firing parent picks at most one child (appended, so grandchildren
  // follow in the same loop).
  for (std::size_t e = 0; e < feature.size(); ++e) {
    const std::vector<int>& kids = hierarchy_.children[feature[e]];
    if (kids.empty()) continue;
    const double u = rng.uniform();
    double cumulative = 0;
    for (int j : kids) {
      cumulative += r_[j];
      if (u < cumulative) {
        const int s = sample[e];
        sample.push_back(s);
        feature.push_back(j);
        coefficient.push_back(magnitude());
        break;
      }
    }
  }
}

void HierarchicalData::fill(Rng& rng, Mat& X, int B, TrueFiring* firing) const {
  std::vector<int> sample, feature;
  std::vector<float> coefficient;
  draw(rng, B, sample, feature, coefficient);
  X.setZero(d_, B);
  for (std::size_t e = 0; e < sample.size(); ++e)
    axpy(coefficient[e], true_features_.col(feature[e]).data(), X.col(sample[e]).data(), d_);
  if (firing) *firing = TrueFiring::from_triplets(B, sample, feature, coefficient);
}

}  // namespace superpose
