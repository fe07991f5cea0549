// The Gromov MLP (Gromov 2023, "Grokking modular arithmetic", eq. 1–2): two layers, no biases,
// a quadratic activation.
//
// Legend:  p = modulus (tokens and classes), w = width, N = pairs
//   pre = W₁ [1_a; 1_b] = W₁[:, a] + W₁[:, p + b]      (w, N)   a gather of two columns
//   h   = pre ⊙ pre                                    (w, N)
//   logits = W₂ h                                      (p, N)   one GEMM
// Backward:
//   dW₂ = G hᵀ,   dh = W₂ᵀ G,   dpre = 2 pre ⊙ dh,   dW₁[:, a] += dpre, dW₁[:, p + b] += dpre
//
// Parameters (flat, in this order):  W₁ (w, 2p) column-major, W₂ (p, w) column-major.
// Init: normal with standard deviation 1/√fan_in (fan_in 2p for W₁, w for W₂).
// Not here: the loss (grok/grok_loss.hpp), training (grok/grok_run.hpp).
#pragma once
#include "grok/grok_net.hpp"

namespace superpose {

class GrokMlp : public GrokNet {
 public:
  GrokMlp(int p, int width);
  std::size_t n_params() const override;
  void init(float* params, Rng& rng) const override;
  void forward(const float* params, const PairSet& data, Mat& logits) override;
  void backward(const float* params, const PairSet& data, const Mat& G, float* grad) override;
  ConstMatMap embedding(const float* params) const override;

  static ConstMatMap W1(const float* params, int p, int width);  // (w, 2p)
  static ConstMatMap W2(const float* params, int p, int width);  // (p, w)

 private:
  int p_, w_;
  Mat pre_, h_;  // (w, N) of the latest forward
  Mat dh_;       // (w, N)
};

}  // namespace superpose
