// The residual-stream variant of the Gromov MLP: token embeddings write the residual stream, one
// MLP block (quadratic activation, no biases) adds its output, the unembedding reads the result
// (Elhage et al. 2021, "A Mathematical Framework for Transformer Circuits", §2).
//
// Legend:  p = modulus (tokens and classes), d = d_model, w = width, N = pairs
//   x₀ = E[:, a] + E[:, p + b]                    (d, N)   the residual stream: a gather
//   pre = W_in x₀ = A[:, a] + A[:, p + b]         (w, N)   A = W_in E (w, 2p): one-hot inputs make
//                                                          the first layer a gather too
//   h = pre ⊙ pre                                 (w, N)
//   m = W_out h                                   (d, N)   the MLP's write
//   x₁ = x₀ + m
//   logits = U x₁ = direct + mlp                  (p, N)
//     direct = U x₀ = D[:, a] + D[:, p + b]       (p, N)   D = U E (p, 2p): the direct path
//     mlp    = U m                                (p, N)   the MLP path
// Backward (G = dL/dlogits (p, N); S_G, S = G, dpre scattered onto token columns, (p, 2p), (w, 2p)):
//   dU = G mᵀ + S_G Eᵀ,   dm = Uᵀ G,   dW_out = dm hᵀ,   dh = W_outᵀ dm,   dpre = 2 pre ⊙ dh,
//   dW_in = S Eᵀ,   dE = W_inᵀ S + Uᵀ S_G
//
// Parameters (flat, in this order): E (d, 2p), W_in (w, d), W_out (d, w), U (p, d), column-major.
// Init: normal with standard deviation 1/√fan_in (1/√d for E, W_in and U; 1/√w for W_out).
// Each path's logits stay available after a forward, for contributions and ablations
// (grok/grok_ablation.hpp).
#pragma once
#include "grok/grok_net.hpp"

namespace superpose {

class GrokResidual : public GrokNet {
 public:
  GrokResidual(int p, int d_model, int width);
  std::size_t n_params() const override;
  void init(float* params, Rng& rng) const override;
  void forward(const float* params, const PairSet& data, Mat& logits) override;
  void backward(const float* params, const PairSet& data, const Mat& G, float* grad) override;
  ConstMatMap embedding(const float* params) const override;  // E (d, 2p)

  // The two paths' logits of the latest forward, (p, N) each; they sum to the logits.
  const Mat& direct_logits() const { return direct_; }
  const Mat& mlp_logits() const { return mlp_; }

 private:
  int p_, d_, w_;
  std::size_t off_in_, off_out_, off_U_;
  Mat A_, D_;           // (w, 2p), (p, 2p): W_in E and U E
  Mat pre_, h_;         // (w, N)
  Mat m_;               // (d, N)
  Mat direct_, mlp_;    // (p, N)
  Mat S_G_, S_;         // (p, 2p), (w, 2p)
  Mat dm_;              // (d, N)
  Mat dh_;              // (w, N)
};

}  // namespace superpose
