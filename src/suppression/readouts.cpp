#include "suppression/readouts.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "suppression/suppression_data.hpp"

namespace superpose {

double relative_reconstruction_bias(const Mat& X_hat, const Mat& X) {
  const double along = X_hat.cast<double>().cwiseProduct(X.cast<double>()).sum();
  if (!(along > 0)) return kNaN;
  return X_hat.cast<double>().squaredNorm() / along;
}

namespace {
// (W_dec F(X))_feature for each column of X, without b_dec.
Vec along_feature(const SuppressionEncoder& encoder, const Mat& X, int feature, bool effective) {
  Mat F;
  if (effective)
    encoder.latents(X, F);
  else
    encoder.sparse_latents(X, F);
  return (encoder.W_dec().row(feature) * F).transpose();
}
}  // namespace

Vec transfer_curve(const SuppressionEncoder& encoder, int feature, int points, bool effective) {
  return along_feature(encoder, feature_probe(encoder.dims(), feature, points), feature, effective);
}

Vec feature_activations(const SuppressionEncoder& encoder, bool effective) {
  const int n = encoder.dims();
  Vec a(n);
  for (int i = 0; i < n; ++i) a[i] = along_feature(encoder, feature_probe(n, i, 2), i, effective)[1];
  return a;
}

double expected_loss(const SuppressionEncoder& encoder, double c, double p) {
  const int n = encoder.dims();
  if (n > kMaxExactFeatures) return kNaN;
  const Eigen::Index inputs = Eigen::Index{1} << n;
  Mat X(n, inputs);  // column m: bit i of m is feature i
  Eigen::VectorXd weight(inputs);
  for (Eigen::Index m = 0; m < inputs; ++m) {
    int k = 0;
    for (int i = 0; i < n; ++i) {
      const bool on = (m >> i) & 1;
      X(i, m) = on ? 1.f : 0.f;
      k += on;
    }
    weight[m] = std::pow(p, k) * std::pow(1 - p, n - k);
  }
  Mat F, Y;
  encoder.sparse_latents(X, F);
  encoder.decode(F, Y);
  Y -= X;
  const Eigen::VectorXd per_input =
      Y.cast<double>().colwise().squaredNorm().transpose() / n +
      c * F.cast<double>().colwise().sum().transpose();
  return weight.dot(per_input);
}

double decoder_mixing(const SuppressionEncoder& encoder) {
  const ConstMatMap W = encoder.W_dec();
  double mixing = 0;
  for (Eigen::Index j = 0; j < W.cols(); ++j) {
    const double on_axis = W.col(j).cwiseAbs().maxCoeff();
    mixing = std::max(mixing, std::sqrt(std::max(0.0, 1.0 - on_axis * on_axis)));
  }
  return mixing;
}

bool dead(const SuppressionEncoder& encoder, const Mat& X) {
  Mat F;
  encoder.latents(X, F);
  return !(F.array() != 0.f).any();
}

}  // namespace superpose
