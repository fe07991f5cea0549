#include "sae/matryoshka_sae.hpp"

#include <algorithm>

#include "core/kernels.hpp"
#include "sae/sae_kernels.hpp"

namespace superpose {

MatryoshkaSae::MatryoshkaSae(const SaeConfig& config, int d)
    : BatchTopKSae(config, d), widths_(config.matryoshka_widths()) {}

SaeLoss MatryoshkaSae::loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) {
  update_statistics_ = ctx.training;  // read by activate (BatchTopK's θ)
  training_forward(X, grad);
  update_statistics_ = false;
  nested_reconstruction_backward(X, grad);
  SaeLoss out;
  out.mse = level_mse_.back();
  for (std::size_t m = 0; m + 1 < level_mse_.size(); ++m) out.prefix_mse += level_mse_[m];
  out.l0 = code_.l0();
  if (ctx.dead && config_.aux_k_coefficient > 0) out.aux = aux_k(X, grad, *ctx.dead);
  out.total = out.mse + out.prefix_mse + out.aux;
  if (grad) encoder_backward(code_, df_.data(), nullptr, grad);
  return out;
}

void MatryoshkaSae::nested_reconstruction_backward(const Eigen::Ref<const Mat>& X, float* grad) {
  const SparseCode& code = code_;
  const int B = code.batch_size();
  const int levels = static_cast<int>(widths_.size());
  X_hat_.resize(d_, B);
  df_.assign(code.nnz(), 0.f);
  level_mse_.assign(levels, 0.0);
  G_.resize(d_, levels);
  group_.resize(levels + 1);
  const float* W = params_.data() + off_W_dec();
  const float* b = params_.data() + off_b_dec();
  float* gW = grad ? grad + off_W_dec() : nullptr;
  float* gb = grad ? grad + off_b_dec() : nullptr;
  const float scale = 2.f / static_cast<float>(B);
  for (int s = 0; s < B; ++s) {
    float* xh = X_hat_.col(s).data();
    const int* idx = code.index.data();
    const float* f = code.value.data();
    // group_[m] .. group_[m + 1]: the entries with w_{m-1} ≤ latent < w_m (ascending latents).
    group_[0] = code.start[s];
    for (int m = 0; m < levels; ++m)
      group_[m + 1] = static_cast<int>(
          std::lower_bound(idx + group_[m], idx + code.start[s + 1], widths_[m]) - idx);
    // x̂_m = x̂_{m-1} + W_dec[:, group m] f[group m] (x̂_{-1} = b_dec), built in place.
    const float* base = b;
    for (int m = 0; m < levels; ++m) {
      const int e0 = group_[m], n = group_[m + 1] - e0;
      gather_combine(W, d_, idx + e0, f + e0, n, base, xh, d_);
      base = xh;
      level_mse_[m] += residual_grad(xh, X.col(s).data(), G_.col(m).data(), d_, scale);
    }
    if (!grad) continue;
    // S_m = Σ_{m' ≥ m} g_m': what every latent of group m (present in levels m..M) receives.
    for (int m = levels - 2; m >= 0; --m) G_.col(m) += G_.col(m + 1);
    axpy(1.f, G_.col(0).data(), gb, d_);  // b_dec is in every level
    for (int m = 0; m < levels; ++m) {
      const int e0 = group_[m], n = group_[m + 1] - e0;
      gather_dots(W, d_, idx + e0, n, G_.col(m).data(), df_.data() + e0, d_);  // ∂/∂f = W_decᵀ S_m
      scatter_axpy(gW, d_, idx + e0, f + e0, n, G_.col(m).data(), d_);         // ∂/∂W_dec += S_m fᵀ
    }
  }
  for (double& v : level_mse_) v /= B;
}

}  // namespace superpose
