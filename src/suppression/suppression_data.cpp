#include "suppression/suppression_data.hpp"

namespace superpose {

SuppressionData::SuppressionData(const SuppressionConfig& config)
    : d_(config.n_features),
      p_(static_cast<float>(config.feature_probability)),
      binary_(config.magnitude_kind() == SuppressionMagnitude::binary) {}

void SuppressionData::sample(Rng& rng, Mat& X, int batch_size) const {
  X.resize(d_, batch_size);
  float* x = X.data();
  // Stream order: per sample, per feature, the activity draw then (uniform only) the value.
  for (Eigen::Index i = 0; i < X.size(); ++i) {
    const bool active = rng.uniform() < p_;
    x[i] = active ? (binary_ ? 1.f : rng.uniform()) : 0.f;
  }
}

Mat feature_probe(int d, int feature, int points) {
  Mat X = Mat::Zero(d, points);
  for (int g = 0; g < points; ++g)
    X(feature, g) = points == 1 ? 1.f : static_cast<float>(g) / static_cast<float>(points - 1);
  return X;
}

}  // namespace superpose
