#include "grok/grok_mlp.hpp"

#include <cmath>

#include "grok/grok_kernels.hpp"
#include "grok/grok_product.hpp"

namespace superpose {

GrokMlp::GrokMlp(int p, int width) : p_(p), w_(width) {}

std::size_t GrokMlp::n_params() const { return std::size_t(w_) * 2 * p_ + std::size_t(p_) * w_; }

ConstMatMap GrokMlp::W1(const float* params, int p, int width) {
  return ConstMatMap(params, width, 2 * p);
}
ConstMatMap GrokMlp::W2(const float* params, int p, int width) {
  return ConstMatMap(params + std::size_t(width) * 2 * p, p, width);
}

ConstMatMap GrokMlp::embedding(const float* params) const { return W1(params, p_, w_); }

void GrokMlp::init(float* params, Rng& rng) const {
  const std::size_t n1 = std::size_t(w_) * 2 * p_;
  const double s1 = 1.0 / std::sqrt(2.0 * p_), s2 = 1.0 / std::sqrt(double(w_));
  for (std::size_t i = 0; i < n_params(); ++i)
    params[i] = static_cast<float>((i < n1 ? s1 : s2) * rng.normal());
}

void GrokMlp::forward(const float* params, const PairSet& data, Mat& logits) {
  const int N = data.size();
  const float* W1 = params;  // (w, 2p): the a block, then the b block
  pre_.resize(w_, N);
  pair_gather_add(W1, W1 + std::size_t(w_) * p_, data.a.data(), data.b.data(), pre_.data(), w_, N);
  h_ = pre_.array().square();
  logits.resize(p_, N);
  grok_product(logits, W2(params, p_, w_), false, h_, false);
}

void GrokMlp::backward(const float* params, const PairSet& data, const Mat& G, float* grad) {
  const int N = data.size();
  MatMap dW1(grad, w_, 2 * p_);
  MatMap dW2(grad + std::size_t(w_) * 2 * p_, p_, w_);
  grok_product(dW2, G, false, h_, true);
  dh_.resize(w_, N);
  grok_product(dh_, W2(params, p_, w_), true, G, false);
  dh_.array() *= 2.f * pre_.array();  // dpre
  dW1.setZero();
  pair_scatter_add(dh_.data(), data.a.data(), data.b.data(), dW1.data(),
                   dW1.data() + std::size_t(w_) * p_, w_, N);
}

}  // namespace superpose
