#include "grok/grok_residual.hpp"

#include <cmath>

#include "grok/grok_kernels.hpp"
#include "grok/grok_product.hpp"

namespace superpose {

GrokResidual::GrokResidual(int p, int d_model, int width) : p_(p), d_(d_model), w_(width) {
  off_in_ = std::size_t(d_) * 2 * p_;
  off_out_ = off_in_ + std::size_t(w_) * d_;
  off_U_ = off_out_ + std::size_t(d_) * w_;
}

std::size_t GrokResidual::n_params() const { return off_U_ + std::size_t(p_) * d_; }

ConstMatMap GrokResidual::embedding(const float* params) const {
  return ConstMatMap(params, d_, 2 * p_);
}

void GrokResidual::init(float* params, Rng& rng) const {
  const double sd = 1.0 / std::sqrt(double(d_)), sw = 1.0 / std::sqrt(double(w_));
  for (std::size_t i = 0; i < n_params(); ++i) {
    const bool out = i >= off_out_ && i < off_U_;
    params[i] = static_cast<float>((out ? sw : sd) * rng.normal());
  }
}

void GrokResidual::forward(const float* params, const PairSet& data, Mat& logits) {
  const int N = data.size(), p = p_;
  const ConstMatMap E(params, d_, 2 * p), W_in(params + off_in_, w_, d_),
      W_out(params + off_out_, d_, w_), U(params + off_U_, p, d_);
  const int* a = data.a.data();
  const int* b = data.b.data();
  A_.resize(w_, 2 * p);
  grok_product(A_, W_in, false, E, false);
  D_.resize(p, 2 * p);
  grok_product(D_, U, false, E, false);
  pre_.resize(w_, N);
  pair_gather_add(A_.data(), A_.data() + std::size_t(w_) * p, a, b, pre_.data(), w_, N);
  h_ = pre_.array().square();
  m_.resize(d_, N);
  grok_product(m_, W_out, false, h_, false);
  mlp_.resize(p, N);
  grok_product(mlp_, U, false, m_, false);
  direct_.resize(p, N);
  pair_gather_add(D_.data(), D_.data() + std::size_t(p) * p, a, b, direct_.data(), p, N);
  logits = direct_ + mlp_;
}

void GrokResidual::backward(const float* params, const PairSet& data, const Mat& G, float* grad) {
  const int N = data.size(), p = p_;
  const ConstMatMap E(params, d_, 2 * p), W_in(params + off_in_, w_, d_),
      W_out(params + off_out_, d_, w_), U(params + off_U_, p, d_);
  MatMap dE(grad, d_, 2 * p), dW_in(grad + off_in_, w_, d_), dW_out(grad + off_out_, d_, w_),
      dU(grad + off_U_, p, d_);
  const int* a = data.a.data();
  const int* b = data.b.data();
  S_G_.setZero(p, 2 * p);
  pair_scatter_add(G.data(), a, b, S_G_.data(), S_G_.data() + std::size_t(p) * p, p, N);
  grok_product(dU, G, false, m_, true);
  grok_product(dU, S_G_, false, E, true, true);
  dm_.resize(d_, N);
  grok_product(dm_, U, true, G, false);
  grok_product(dW_out, dm_, false, h_, true);
  dh_.resize(w_, N);
  grok_product(dh_, W_out, true, dm_, false);
  dh_.array() *= 2.f * pre_.array();  // dpre
  S_.setZero(w_, 2 * p);
  pair_scatter_add(dh_.data(), a, b, S_.data(), S_.data() + std::size_t(w_) * p, w_, N);
  grok_product(dW_in, S_, false, E, true);
  grok_product(dE, W_in, true, S_, false);
  grok_product(dE, U, true, S_G_, false, true);
}

}  // namespace superpose
