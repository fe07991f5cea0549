#include "sae/synthetic_data.hpp"

#include <algorithm>
#include <cmath>

#include "core/kernels.hpp"

namespace superpose {

SyntheticData::SyntheticData(const SaeConfig& c)
    : SeededSaeData(static_cast<uint64_t>(c.seed)), d_(c.input_dim), F_(c.true_features),
      g_(c.group_size), p_(c.feature_probabilities()) {
  Rng dir(seed_, 4);
  true_features_.resize(d_, F_);
  for (int i = 0; i < F_; ++i)
    for (int r = 0; r < d_; ++r) true_features_(r, i) = static_cast<float>(dir.normal());
  if (c.orthogonal) {
    Eigen::HouseholderQR<Mat> qr(true_features_);
    true_features_ = qr.householderQ() * Mat::Identity(d_, F_);
  }
  for (int i = 0; i < F_; ++i) true_features_.col(i).normalize();
  for (int start = 0; start < F_; start += g_) {
    double pmax = 0;
    for (int i = start; i < std::min(F_, start + g_); ++i) pmax = std::max(pmax, p_[i]);
    q_.push_back(g_ == 1 ? pmax : std::min(1.0, 2.0 * pmax));
  }
}

void SyntheticData::fill(Rng& rng, Mat& X, int B, TrueFiring* firing) const {
  X.setZero(d_, B);
  std::vector<int> samples, features;
  std::vector<float> coefficients;
  for (int group = 0; group * g_ < F_; ++group) {
    const double q = q_[group];
    if (!(q > 0)) continue;
    const double log1mq = q < 1 ? std::log1p(-q) : 0.0;
    const int first = group * g_, last = std::min(F_, first + g_);
    for (int64_t s = q < 1 ? rng.geometric_gap(log1mq) : 0; s < B;
         s += 1 + (q < 1 ? rng.geometric_gap(log1mq) : 0)) {
      float* x = X.col(s).data();
      for (int i = first; i < last; ++i) {
        if (g_ > 1 && !(rng.uniform() < p_[i] / q)) continue;
        const float c = rng.uniform();
        axpy(c, true_features_.col(i).data(), x, d_);
        // U[0, 1) can draw 0: such a feature adds nothing and is not counted as firing.
        if (firing && c > 0.f) {
          samples.push_back(static_cast<int>(s));
          features.push_back(i);
          coefficients.push_back(c);
        }
      }
    }
  }
  if (firing) *firing = TrueFiring::from_triplets(B, samples, features, coefficients);
}

}  // namespace superpose
