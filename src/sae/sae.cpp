#include "sae/sae.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "core/kernels.hpp"
#include "sae/batchtopk_sae.hpp"
#include "sae/gated_sae.hpp"
#include "sae/jumprelu_sae.hpp"
#include "sae/matryoshka_sae.hpp"
#include "sae/relu_sae.hpp"
#include "sae/sae_kernels.hpp"
#include "sae/topk_sae.hpp"

namespace superpose {

double SparseCode::l0() const {
  std::size_t n = 0;
  for (float f : value) n += f > 0.f;
  return batch_size() ? static_cast<double>(n) / batch_size() : 0.0;
}

Sae::Sae(const SaeConfig& config, int d, std::size_t n_extra)
    : config_(config), arch_(config.arch_kind()), d_(d), L_(config.n_latents) {
  params_.assign(2 * std::size_t(d_) * L_ + L_ + d_ + n_extra, 0.f);
  g_.setZero(d_);
  zeros_.setZero(L_);
  active_.resize(L_ + 4);
}

void Sae::initialise(Rng& rng, const Vec& data_mean) {
  MatMap W = W_dec();
  if (config_.init == "random") {
    // Kaiming-uniform (PyTorch's default for a ReLU layer): U(−b, b) with b = sqrt(6 / fan_in),
    // fan_in = d for W_enc (L, d) and L for W_dec (d, L); the decoder's columns are then
    // normalised, so only its directions matter.
    const auto fill = [&rng](MatMap M, int fan_in) {
      const float bound = std::sqrt(6.f / static_cast<float>(fan_in));
      for (Eigen::Index i = 0; i < M.cols(); ++i)
        for (Eigen::Index r = 0; r < M.rows(); ++r) M(r, i) = bound * (2.f * rng.uniform() - 1.f);
    };
    fill(W_enc_t(), d_);
    fill(W, L_);
    normalise_decoder();
    b_enc().setZero();
    b_dec().setZero();
    initialise_extras();
    return;
  }
  for (int i = 0; i < L_; ++i) {
    for (int r = 0; r < d_; ++r) W(r, i) = static_cast<float>(rng.normal());
    const float n = W.col(i).norm();
    W.col(i) /= n > 0 ? n : 1.f;
  }
  W_enc_t() = W;
  b_enc().setZero();
  b_dec() = data_mean;
  initialise_extras();
}

bool Sae::unit_norm_decoder() const {
  return !(arch_ == SaeArch::relu && config_.decoder_norm == "weighted");
}

void Sae::project_decoder_grad(float* grad) const {
  ConstMatMap W(params_.data() + off_W_dec(), d_, L_);
  MatMap G(grad + off_W_dec(), d_, L_);
  for (int i = 0; i < L_; ++i) {
    const float along = dot(W.col(i).data(), G.col(i).data(), d_);
    if (along != 0.f) axpy(-along, W.col(i).data(), G.col(i).data(), d_);
  }
}

void Sae::normalise_decoder() {
  MatMap W = W_dec();
  for (int i = 0; i < L_; ++i) {
    const float n = W.col(i).norm();
    if (n > 0) W.col(i) /= n;
  }
}

void Sae::resample_latent(int i, const Eigen::Ref<const Vec>& direction, float encoder_scale) {
  W_dec().col(i) = direction;
  W_enc_t().col(i) = encoder_scale * direction;
  b_enc()[i] = 0.f;
}

std::vector<std::size_t> Sae::extra_indices(int) const { return {}; }

void Sae::encode(const Eigen::Ref<const Mat>& X, SparseCode& code) {
  encoder_forward(X);
  activate(code, false);
}

void Sae::decode(const SparseCode& code, Mat& X_hat) const {
  const int B = code.batch_size();
  X_hat.resize(d_, B);
  const float* W = params_.data() + off_W_dec();
  const float* b = params_.data() + off_b_dec();
  for (int s = 0; s < B; ++s) {
    const int e0 = code.start[s], n = code.start[s + 1] - e0;
    gather_combine(W, d_, code.index.data() + e0, code.value.data() + e0, n, b, X_hat.col(s).data(), d_);
  }
}

void Sae::encoder_forward(const Eigen::Ref<const Mat>& X) {
  Xc_ = X.colwise() - b_dec();
  pre_.resize(L_, X.cols());
#ifdef EIGEN_DONT_VECTORIZE
  // Eigen without SIMD (the wasm build): the xsimd kernel, on W_enc laid out (L, d).
  W_enc_ = W_enc_t().transpose();
  gemm_nn(W_enc_.data(), L_, Xc_.data(), d_, pre_.data(), L_, L_, d_, Xc_.cols());
#else
  pre_.noalias() = W_enc_t().transpose() * Xc_;
#endif
}

void Sae::training_forward(const Eigen::Ref<const Mat>& X, float* grad) {
  encoder_forward(X);
  activate(code_, true);
  if (grad) zero_grad(grad);
}

SaeLoss Sae::reconstruction_loss(const Eigen::Ref<const Mat>& X, float* grad) {
  training_forward(X, grad);
  SaeLoss out;
  out.mse = reconstruction_backward(X, grad);
  out.l0 = code_.l0();
  return out;
}

void Sae::collect_column(int s, const float* threshold, SparseCode& code) {
  const float* col = pre_.col(s).data();
  const float* b = params_.data() + off_b_enc();
  const std::size_t n = collect_above(col, b, threshold, active_.data(), L_);
  // Grow the three arrays once per column (not per entry): this runs for every sample.
  const std::size_t at = code.index.size();
  code.index.resize(at + n);
  code.value.resize(at + n);
  code.extra.resize(at + n);
  int* idx = code.index.data() + at;
  float* val = code.value.data() + at;
  float* ext = code.extra.data() + at;
  for (std::size_t a = 0; a < n; ++a) {
    const int i = active_[a];
    idx[a] = i;
    val[a] = ext[a] = col[i] + b[i];
  }
}

void Sae::zero_grad(float* grad) const { std::fill(grad, grad + params_.size(), 0.f); }

double Sae::reconstruction_backward(const Eigen::Ref<const Mat>& X, float* grad) {
  const SparseCode& code = code_;
  const int B = code.batch_size();
  X_hat_.resize(d_, B);
  df_.assign(code.nnz(), 0.f);
  const float* W = params_.data() + off_W_dec();
  const float* b = params_.data() + off_b_dec();
  float* gW = grad ? grad + off_W_dec() : nullptr;
  float* gb = grad ? grad + off_b_dec() : nullptr;
  const float scale = 2.f / static_cast<float>(B);
  double total = 0;
  for (int s = 0; s < B; ++s) {
    float* xh = X_hat_.col(s).data();
    const int e0 = code.start[s], n = code.start[s + 1] - e0;
    const int* idx = code.index.data() + e0;
    const float* f = code.value.data() + e0;
    gather_combine(W, d_, idx, f, n, b, xh, d_);  // x̂ = W_dec f + b_dec
    total += residual_grad(xh, X.col(s).data(), g_.data(), d_, scale);  // g = ∂mse/∂x̂
    if (!grad) continue;
    axpy(1.f, g_.data(), gb, d_);
    gather_dots(W, d_, idx, n, g_.data(), df_.data() + e0, d_);  // ∂mse/∂f = W_decᵀ g
    scatter_axpy(gW, d_, idx, f, n, g_.data(), d_);                // ∂mse/∂W_dec += g fᵀ
  }
  return total / B;
}

void Sae::encoder_backward(const SparseCode& code, const float* dpre, const float* db_enc,
                           float* grad) const {
  const int B = code.batch_size();
  float* gWe = grad;
  float* gbe = grad + off_b_enc();
  // ∂L/∂b_dec through xc = x − b_dec is −W_encᵀ Σ_s dpre_s: summed per latent here, one dense
  // product at the end (instead of a d-long axpy per entry).
  dpre_sum_.setZero(L_);
  for (int s = 0; s < B; ++s) {
    const int e0 = code.start[s], n = code.start[s + 1] - e0;
    for (int e = e0; e < e0 + n; ++e) {
      const int i = code.index[e];
      gbe[i] += db_enc ? db_enc[e] : dpre[e];
      dpre_sum_[i] += dpre[e];
    }
    scatter_axpy(gWe, d_, code.index.data() + e0, dpre + e0, n, Xc_.col(s).data(), d_);  // += dpre xcᵀ
  }
  VecMap(grad + off_b_dec(), d_).noalias() -= W_enc_t() * dpre_sum_;
}

std::unique_ptr<Sae> make_sae(const SaeConfig& config, int d, const Vec& data_mean) {
  config.validate();
  if (data_mean.size() != d) fail_config("data_mean must have input_dim entries");
  std::unique_ptr<Sae> sae;
  switch (config.arch_kind()) {
    case SaeArch::relu: sae = std::make_unique<ReluSae>(config, d); break;
    case SaeArch::gated: sae = std::make_unique<GatedSae>(config, d); break;
    case SaeArch::jumprelu: sae = std::make_unique<JumpReluSae>(config, d); break;
    case SaeArch::topk: sae = std::make_unique<TopKSae>(config, d); break;
    case SaeArch::batchtopk: sae = std::make_unique<BatchTopKSae>(config, d); break;
    case SaeArch::matryoshka: sae = std::make_unique<MatryoshkaSae>(config, d); break;
  }
  Rng rng(static_cast<uint64_t>(config.seed), 3);
  sae->initialise(rng, data_mean);
  return sae;
}

}  // namespace superpose
