#include "sae/relu_sae.hpp"

#include "core/kernels.hpp"

namespace superpose {

void ReluSae::activate(SparseCode& code, bool) {
  code.clear();
  for (int s = 0; s < pre_.cols(); ++s) {
    collect_column(s, zeros_.data(), code);
    code.end_sample();
  }
}

SaeLoss ReluSae::loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) {
  SaeLoss out = reconstruction_loss(X, grad);
  const bool weighted = !unit_norm_decoder();
  const int B = static_cast<int>(X.cols());
  const float lambda = static_cast<float>(ctx.l1);
  if (weighted) norms_ = W_dec().colwise().norm().transpose();
  double penalty = 0;
  for (std::size_t e = 0; e < code_.nnz(); ++e)
    penalty += code_.value[e] * (weighted ? norms_[code_.index[e]] : 1.f);
  out.sparsity = lambda * penalty / B;
  out.total = out.mse + out.sparsity;
  if (!grad) return out;

  const float lb = lambda / B;
  dpre_.resize(code_.nnz());
  if (weighted) f_sum_.setZero(L_);
  for (std::size_t e = 0; e < code_.nnz(); ++e) {
    const int i = code_.index[e];
    dpre_[e] = df_[e] + lb * (weighted ? norms_[i] : 1.f);
    if (weighted) f_sum_[i] += code_.value[e];
  }
  if (weighted) {
    ConstMatMap W(params_.data() + off_W_dec(), d_, L_);
    for (int i = 0; i < L_; ++i)
      if (f_sum_[i] != 0.f && norms_[i] > 0.f)
        axpy(lb * f_sum_[i] / norms_[i], W.col(i).data(), grad + off_W_dec() + std::size_t(i) * d_, d_);
  }
  encoder_backward(code_, dpre_.data(), nullptr, grad);
  return out;
}

}  // namespace superpose
