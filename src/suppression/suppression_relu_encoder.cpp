#include "suppression/suppression_relu_encoder.hpp"

namespace superpose {

void SuppressionReluEncoder::sparse_latents(const Mat& X, Mat& F) const {
  F.noalias() = W_enc() * X;  // (n, B)
  F.colwise() += b_enc();
  F = F.cwiseMax(0.f);
}

void SuppressionReluEncoder::latents(const Mat& X, Mat& F) const {
  sparse_latents(X, F);
  F.array().colwise() *= s().array();
}

double SuppressionReluEncoder::forward_backward(const Mat& X, float* grad,
                                                SuppressionObjective obj) {
  const float B = static_cast<float>(X.cols()), d = static_cast<float>(d_);
  const bool with_l1 = obj == SuppressionObjective::l1;
  // ---- forward ----
  pre_.noalias() = W_enc() * X;  // (n, B)
  pre_.colwise() += b_enc();
  f_ = pre_.cwiseMax(0.f);
  s_ = s();
  fs_ = f_;
  fs_.array().colwise() *= s_.array();
  decode(fs_, y_);               // (d, B)
  y_ -= X;                       // the error y − x
  const double rec = static_cast<double>(y_.squaredNorm()) / (d * B);
  const double sparsity = with_l1 ? c_ * static_cast<double>(f_.sum()) / B : 0.0;
  if (!grad) return rec + sparsity;
  // ---- backward, in reverse ----
  MatMap gW_enc(grad, n_, d_);
  VecMap gb_enc(grad + vector_offset(0), n_), glog_s(grad + vector_offset(1), n_);
  MatMap gW_dec(grad + dec_offset_, d_, n_);
  VecMap gb_dec(grad + dec_offset_ + d_ * n_, d_);
  dy_ = y_ * (2.f / (d * B));                       // dL/dy (d, B)
  gW_dec.noalias() = dy_ * fs_.transpose();         // (d, n)
  gb_dec = dy_.rowwise().sum();
  df_.noalias() = W_dec().transpose() * dy_;        // dL/df_s (n, B)
  glog_s = (df_.array() * f_.array()).rowwise().sum() * s_.array();  // f_s = exp(log_s) ⊙ f
  df_.array().colwise() *= s_.array();              // dL/df
  if (with_l1) df_.array() += c_ / B;
  df_ = (pre_.array() > 0.f).select(df_, 0.f);      // ReLU
  gW_enc.noalias() = df_ * X.transpose();           // (n, d)
  gb_enc = df_.rowwise().sum();
  return rec + sparsity;
}

}  // namespace superpose
