#include "sae/topk_sae.hpp"

#include <algorithm>

#include "core/kernels.hpp"
#include "sae/sae_kernels.hpp"  // dot

namespace superpose {

void top_k_positive(const float* v, int n, int k, std::vector<float>& scratch, std::vector<int>& out) {
  out.clear();
  scratch.clear();
  for (int i = 0; i < n; ++i)
    if (v[i] > 0.f) scratch.push_back(v[i]);
  if (scratch.empty()) return;
  float t = 0.f;  // the k-th largest positive value (or the smallest, when fewer than k)
  if (static_cast<int>(scratch.size()) > k) {
    std::nth_element(scratch.begin(), scratch.begin() + (k - 1), scratch.end(), std::greater<float>());
    t = scratch[k - 1];
  } else {
    t = *std::min_element(scratch.begin(), scratch.end());
  }
  int above = 0;
  for (int i = 0; i < n; ++i) above += v[i] > t;
  int ties = k - above;  // how many values equal to t are taken
  for (int i = 0; i < n; ++i)
    if (v[i] > t || (v[i] == t && v[i] > 0.f && ties-- > 0)) out.push_back(i);
}

void TopKSae::activate(SparseCode& code, bool) {
  const float* b = params_.data() + off_b_enc();
  z_.resize(L_);
  code.clear();
  for (int s = 0; s < pre_.cols(); ++s) {
    const float* col = pre_.col(s).data();
    for (int i = 0; i < L_; ++i) z_[i] = col[i] + b[i];
    top_k_positive(z_.data(), L_, config_.k, sel_, top_);
    for (int i : top_) code.push(i, z_[i], z_[i]);
    code.end_sample();
  }
}

SaeLoss TopKSae::loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) {
  update_statistics_ = ctx.training;  // read by activate (BatchTopK's θ)
  SaeLoss out = reconstruction_loss(X, grad);
  update_statistics_ = false;
  if (ctx.dead && config_.aux_k_coefficient > 0) out.aux = aux_k(X, grad, *ctx.dead);
  out.total = out.mse + out.aux;
  if (grad) encoder_backward(code_, df_.data(), nullptr, grad);
  return out;
}

double TopKSae::aux_k(const Eigen::Ref<const Mat>& X, float* grad, const std::vector<uint8_t>& dead) {
  dead_list_.clear();
  for (int i = 0; i < L_; ++i)
    if (dead[i]) dead_list_.push_back(i);
  if (dead_list_.empty()) return 0.0;
  const int B = static_cast<int>(X.cols());
  const int n_dead = static_cast<int>(dead_list_.size());
  const float alpha = static_cast<float>(config_.aux_k_coefficient);
  const float* b = params_.data() + off_b_enc();
  ConstMatMap W(params_.data() + off_W_dec(), d_, L_);
  aux_code_.clear();
  z_.resize(n_dead);
  r_.resize(d_);
  daux_.clear();
  double total = 0;
  for (int s = 0; s < B; ++s) {
    const float* col = pre_.col(s).data();
    for (int j = 0; j < n_dead; ++j) z_[j] = col[dead_list_[j]] + b[dead_list_[j]];
    top_k_positive(z_.data(), n_dead, std::min(config_.aux_k, n_dead), sel_, top_);
    // r = ê − e = W_dec z_dead − (x − x̂)
    r_ = X_hat_.col(s) - X.col(s);
    const std::size_t e0 = aux_code_.nnz();
    for (int j : top_) {
      const int i = dead_list_[j];
      axpy(z_[j], W.col(i).data(), r_.data(), d_);
      aux_code_.push(i, z_[j], z_[j]);
    }
    aux_code_.end_sample();
    total += r_.squaredNorm();
    g_ = (2.f * alpha / B) * r_;
    if (!grad) continue;
    for (std::size_t e = e0; e < aux_code_.nnz(); ++e) {
      const int i = aux_code_.index[e];
      daux_.push_back(dot(W.col(i).data(), g_.data(), d_));
      axpy(aux_code_.value[e], g_.data(), grad + off_W_dec() + std::size_t(i) * d_, d_);
    }
  }
  if (grad) encoder_backward(aux_code_, daux_.data(), nullptr, grad);
  return alpha * total / B;
}

}  // namespace superpose
