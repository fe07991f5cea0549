#include "sae/jumprelu_sae.hpp"

#include <cmath>

namespace superpose {

Vec JumpReluSae::theta() const {
  return ConstVecMap(params_.data() + off_extra(), L_).array().exp();
}

void JumpReluSae::initialise_extras() {
  log_theta().setConstant(static_cast<float>(std::log(config_.jump_theta_init)));
}

void JumpReluSae::activate(SparseCode& code, bool training) {
  theta_ = theta();
  const float half = training ? 0.5f * static_cast<float>(config_.jump_bandwidth) : 0.f;
  threshold_ = theta_.array() - half;
  code.clear();
  for (int s = 0; s < pre_.cols(); ++s) {
    const std::size_t e0 = code.nnz();
    collect_column(s, threshold_.data(), code);  // value = extra = z
    for (std::size_t e = e0; e < code.nnz(); ++e)
      if (!(code.extra[e] > theta_[code.index[e]])) code.value[e] = 0.f;
    code.end_sample();
  }
}

SaeLoss JumpReluSae::loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) {
  SaeLoss out = reconstruction_loss(X, grad);
  const float lambda = static_cast<float>(ctx.l1);
  out.sparsity = lambda * out.l0;
  out.total = out.mse + out.sparsity;
  if (!grad) return out;

  const int B = static_cast<int>(X.cols());
  const float eps = static_cast<float>(config_.jump_bandwidth);
  const float lb = lambda / B;
  float* g_log_theta = grad + off_extra();
  dpre_.resize(code_.nnz());
  for (std::size_t e = 0; e < code_.nnz(); ++e) {
    const int i = code_.index[e];
    const float z = code_.extra[e], th = theta_[i];
    dpre_[e] = code_.value[e] > 0.f ? df_[e] : 0.f;
    if (std::fabs(z - th) < 0.5f * eps) {
      const float d_theta = -(th / eps) * df_[e] - lb / eps;
      g_log_theta[i] += th * d_theta;  // θ = exp(log θ)
    }
  }
  encoder_backward(code_, dpre_.data(), nullptr, grad);
  return out;
}

void JumpReluSae::resample_latent(int i, const Eigen::Ref<const Vec>& direction, float encoder_scale) {
  Sae::resample_latent(i, direction, encoder_scale);
  log_theta()[i] = static_cast<float>(std::log(config_.jump_theta_init));
}

std::vector<std::size_t> JumpReluSae::extra_indices(int i) const { return {off_extra() + i}; }

}  // namespace superpose
