#include "suppression/suppression_encoder.hpp"

namespace superpose {

void SuppressionEncoder::decode(const Mat& F, Mat& Y) const {
  Y.noalias() = W_dec() * F;  // (d, B)
  Y.colwise() += b_dec();
}

void SuppressionEncoder::project_decoder_gradient(float* grad) const {
  MatMap G(grad + dec_offset_, d_, n_);
  const ConstMatMap W = W_dec();
  for (int j = 0; j < n_; ++j) G.col(j) -= W.col(j).dot(G.col(j)) * W.col(j);
}

void SuppressionEncoder::normalize_decoder() {
  MatMap W = W_dec_mut();
  for (int j = 0; j < n_; ++j) {
    const float norm = W.col(j).norm();
    if (norm > 0) W.col(j) /= norm;
  }
}

void SuppressionEncoder::init_decoder(Rng& rng) {
  MatMap W = W_dec_mut();
  W.setIdentity();
  if (d_ > 1)
    for (int j = 0; j < n_; ++j)
      for (int i = 0; i < d_; ++i) W(i, j) += 0.2f * static_cast<float>(rng.normal());
  normalize_decoder();
  b_dec_mut().setZero();
}

}  // namespace superpose
