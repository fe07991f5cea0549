#include "suppression/suppression_encoder.hpp"

#include <algorithm>

namespace superpose {

SuppressionEncoder::SuppressionEncoder(int n, int d, bool decoder_bias, double l1, int latent_vectors,
                                       int scale_vector)
    : n_(n), d_(d), decoder_bias_(decoder_bias), c_(static_cast<float>(l1)),
      scale_vector_(scale_vector), dec_offset_(static_cast<std::size_t>(n) * (d + latent_vectors)) {
  params_.assign(dec_offset_ + static_cast<std::size_t>(d) * n + d, 0.f);
}

void SuppressionEncoder::init(Rng& rng) {
  MatMap W = W_dec_mut();
  W.setIdentity();
  if (d_ > 1)
    for (int j = 0; j < n_; ++j)
      for (int i = 0; i < d_; ++i) W(i, j) += 0.2f * static_cast<float>(rng.normal());
  normalize_decoder();
  b_dec_mut().setZero();
  encoder_matrix() = W_dec().transpose();
  std::fill(params_.begin() + vector_offset(0), params_.begin() + dec_offset_, 0.f);
}

void SuppressionEncoder::mask_gradient(float* grad, SuppressionObjective obj) const {
  const std::size_t b_dec_begin = dec_offset_ + static_cast<std::size_t>(d_) * n_;
  const std::size_t s_begin = scale_vector_ < 0 ? 0 : vector_offset(scale_vector_);
  const std::size_t s_end = scale_vector_ < 0 ? 0 : s_begin + n_;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const bool is_s = i >= s_begin && i < s_end;
    const bool trained = obj == SuppressionObjective::scale ? is_s
                                                            : !is_s && (i < b_dec_begin || decoder_bias_);
    if (!trained) grad[i] = 0.f;
  }
}

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

}  // namespace superpose
