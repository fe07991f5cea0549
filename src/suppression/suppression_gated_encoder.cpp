#include "suppression/suppression_gated_encoder.hpp"

namespace superpose {

void SuppressionGatedEncoder::hold_aux_decoder() {
  aux_W_dec_ = W_dec();
  aux_b_dec_ = b_dec();
  aux_held_ = true;
}

Mat SuppressionGatedEncoder::W_mag() const {
  return r_mag().array().exp().matrix().asDiagonal() * W_gate();
}

void SuppressionGatedEncoder::preactivations(const Mat& X, Mat& xc, Mat& pi_gate,
                                             Mat& pi_mag) const {
  xc = X;
  xc.colwise() -= b_dec();
  pi_gate.noalias() = W_gate() * xc;  // (n, B)
  pi_gate.colwise() += b_gate();
  pi_mag.noalias() = W_mag() * xc;    // (n, B)
  pi_mag.colwise() += b_mag();
}

void SuppressionGatedEncoder::latents(const Mat& X, Mat& F) const {
  Mat xc, pi_gate;
  preactivations(X, xc, pi_gate, F);
  F = (pi_gate.array() > 0.f && F.array() > 0.f).select(F, 0.f);
}

void SuppressionGatedEncoder::sparse_latents(const Mat& X, Mat& F) const {
  Mat xc, pi_mag;
  preactivations(X, xc, F, pi_mag);
  F = F.cwiseMax(0.f);
}

double SuppressionGatedEncoder::forward_backward(const Mat& X, float* grad,
                                                 SuppressionObjective obj) {
  const float B = static_cast<float>(X.cols()), d = static_cast<float>(d_);
  const bool with_l1 = obj == SuppressionObjective::l1;  // the scale objective: reconstruction only
  // ---- forward: both paths, the decoded reconstruction, and the gate's own (aux) one ----
  W_mag_ = W_mag();
  xc_ = X;
  xc_.colwise() -= b_dec();
  pi_gate_.noalias() = W_gate() * xc_;
  pi_gate_.colwise() += b_gate();
  pi_mag_.noalias() = W_mag_ * xc_;
  pi_mag_.colwise() += b_mag();
  f_ = (pi_gate_.array() > 0.f && pi_mag_.array() > 0.f).select(pi_mag_, 0.f);  // f̃ (n, B)
  g_relu_ = pi_gate_.cwiseMax(0.f);                                              // (n, B)
  decode(f_, y_);
  y_ -= X;
  double loss = static_cast<double>(y_.squaredNorm()) / (d * B);
  if (with_l1) {
    if (aux_held_) {
      y_aux_.noalias() = aux_W_dec_ * g_relu_;
      y_aux_.colwise() += aux_b_dec_;
    } else {
      decode(g_relu_, y_aux_);
    }
    y_aux_ -= X;
    loss += c_ * static_cast<double>(g_relu_.sum()) / B +
            static_cast<double>(y_aux_.squaredNorm()) / (d * B);
  }
  if (!grad) return loss;
  // ---- backward, in reverse ----
  MatMap gW_gate(grad, n_, d_);
  VecMap gb_gate(grad + vector_offset(0), n_), gr_mag(grad + vector_offset(1), n_),
      gb_mag(grad + vector_offset(2), n_);
  MatMap gW_dec(grad + dec_offset_, d_, n_);
  VecMap gb_dec(grad + dec_offset_ + d_ * n_, d_);
  // reconstruction: y = W_dec f̃ + b_dec
  dy_ = y_ * (2.f / (d * B));
  gW_dec.noalias() = dy_ * f_.transpose();
  gb_dec = dy_.rowwise().sum();
  df_.noalias() = W_dec().transpose() * dy_;  // dL/df̃ (n, B)
  // f̃ = f_gate ⊙ ReLU(π_mag): gradient to the magnitude path where both are open
  dpi_mag_ = (pi_gate_.array() > 0.f && pi_mag_.array() > 0.f).select(df_, 0.f);
  gW_mag_.noalias() = dpi_mag_ * xc_.transpose();  // (n, d)
  gb_mag = dpi_mag_.rowwise().sum();
  dxc_.noalias() = W_mag_.transpose() * dpi_mag_;  // (d, B)
  // W_mag = exp(r_mag) ⊙ W_gate
  gr_mag = (gW_mag_.array() * W_mag_.array()).rowwise().sum();
  gW_gate = r_mag().array().exp().matrix().asDiagonal() * gW_mag_;
  gb_gate.setZero();
  if (with_l1) {
    // L1 on ReLU(π_gate), and the aux reconstruction through the frozen decoder
    dy_ = y_aux_ * (2.f / (d * B));
    if (aux_held_)
      dpi_gate_.noalias() = aux_W_dec_.transpose() * dy_;
    else
      dpi_gate_.noalias() = W_dec().transpose() * dy_;  // no gradient to W_dec, b_dec here
    dpi_gate_.array() += c_ / B;
    dpi_gate_ = (pi_gate_.array() > 0.f).select(dpi_gate_, 0.f);
    gW_gate.noalias() += dpi_gate_ * xc_.transpose();
    gb_gate = dpi_gate_.rowwise().sum();
    dxc_.noalias() += W_gate().transpose() * dpi_gate_;
  }
  gb_dec -= dxc_.rowwise().sum();  // x_c = x − b_dec
  return loss;
}

}  // namespace superpose
