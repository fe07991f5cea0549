#include "suppression/readouts.hpp"

#include "suppression/suppression_data.hpp"

namespace superpose {

double relative_reconstruction_bias(const Mat& X_hat, const Mat& X) {
  const double along = X_hat.cast<double>().cwiseProduct(X.cast<double>()).sum();
  if (!(along > 0)) return 0.0;
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

}  // namespace superpose
