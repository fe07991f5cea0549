#include "sae/gated_sae.hpp"

#include "core/kernels.hpp"
#include "sae/sae_kernels.hpp"

namespace superpose {

void GatedSae::activate(SparseCode& code, bool) {
  exp_r_ = r_mag().array().exp();
  const float* b_gate = params_.data() + off_b_enc();
  const float* b_m = params_.data() + off_extra() + L_;
  code.clear();
  for (int s = 0; s < pre_.cols(); ++s) {
    const std::size_t e0 = code.nnz();
    collect_column(s, zeros_.data(), code);  // value = extra = π_gate
    for (std::size_t e = e0; e < code.nnz(); ++e) {
      const int i = code.index[e];
      const float mag = exp_r_[i] * (code.extra[e] - b_gate[i]) + b_m[i];
      code.value[e] = mag > 0.f ? mag : 0.f;
    }
    code.end_sample();
  }
}

SaeLoss GatedSae::loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) {
  SaeLoss out = reconstruction_loss(X, grad);
  const int B = static_cast<int>(X.cols());
  const float scale = 2.f / static_cast<float>(B);
  // The auxiliary reconstruction from ReLU(π_gate) through the frozen decoder: gradients reach
  // the gate path only.
  ConstMatMap W(params_.data() + off_W_dec(), d_, L_);
  x_aux_.resize(d_);
  dgate_.assign(code_.nnz(), 0.f);
  double aux = 0, gate_sum = 0;
  for (int s = 0; s < B; ++s) {
    x_aux_ = b_dec();
    const int e0 = code_.start[s], e1 = code_.start[s + 1];
    for (int e = e0; e < e1; ++e) {
      axpy(code_.extra[e], W.col(code_.index[e]).data(), x_aux_.data(), d_);
      gate_sum += code_.extra[e];
    }
    aux += residual_grad(x_aux_.data(), X.col(s).data(), g_.data(), d_, scale);
    if (grad)
      for (int e = e0; e < e1; ++e) dgate_[e] = dot(W.col(code_.index[e]).data(), g_.data(), d_);
  }
  out.aux = aux / B;
  const float lambda = static_cast<float>(ctx.l1);
  out.sparsity = lambda * gate_sum / B;
  out.total = out.mse + out.sparsity + out.aux;
  if (!grad) return out;

  const float lb = lambda / B;
  const float* b_gate = params_.data() + off_b_enc();
  float* g_r = grad + off_extra();
  float* g_bmag = grad + off_extra() + L_;
  dpre_.resize(code_.nnz());
  db_enc_.resize(code_.nnz());
  for (std::size_t e = 0; e < code_.nnz(); ++e) {
    const int i = code_.index[e];
    const float dmag = code_.value[e] > 0.f ? df_[e] : 0.f;  // ∂L/∂π_mag
    const float dg = dgate_[e] + lb;                           // ∂L/∂π_gate
    const float wx = code_.extra[e] - b_gate[i];               // (W_gate (x − b_dec))_i
    g_r[i] += dmag * exp_r_[i] * wx;
    g_bmag[i] += dmag;
    dpre_[e] = dmag * exp_r_[i] + dg;
    db_enc_[e] = dg;
  }
  encoder_backward(code_, dpre_.data(), db_enc_.data(), grad);
  return out;
}

void GatedSae::resample_latent(int i, const Eigen::Ref<const Vec>& direction, float encoder_scale) {
  Sae::resample_latent(i, direction, encoder_scale);
  r_mag()[i] = 0.f;
  b_mag()[i] = 0.f;
}

std::vector<std::size_t> GatedSae::extra_indices(int i) const {
  return {off_extra() + i, off_extra() + L_ + i};
}

}  // namespace superpose
