// The ReLU sparse autoencoder whose activations the L1 penalty shrinks, with the scale-vector fix
// (Wright & Sharkey 2024, "Addressing Feature Suppression in SAEs"):
//
//   f   = ReLU(W_enc x + b_enc)                      (n)
//   f_s = s ⊙ f,  s = exp(log_s)                     (n)   s = 1 during the L1 training
//   y   = W_dec f_s + b_dec                          (d)   ‖W_dec[:, j]‖ = 1
//   l1 objective:     ‖y − x‖²/d + c·Σ_j f_j          (mean over the batch)
//   scale objective:  ‖y − x‖²/d                      (only s is trained; encoder, decoder frozen)
//
// Parameters, one flat buffer:  W_enc (n, d) | b_enc (n) | log_s (n) | W_dec (d, n) | b_dec (d)
// s is stored as its logarithm: it stays positive, and Adam, whose steps are about lr in the
// parameter, reaches s* = 1/(1 − c/2) (unbounded as c → 2) in a few hundred steps either way.
// The optimum is the same as for a plain s (a reparametrisation of the same quadratic).
// Not here: the phases (suppression_run.hpp), the closed forms (analytic.hpp).
#pragma once
#include "suppression/suppression_encoder.hpp"

namespace superpose {

class SuppressionReluEncoder : public SuppressionEncoder {
 public:
  // Latent vectors: b_enc, log_s (the scale objective's).
  SuppressionReluEncoder(int n, int d, bool decoder_bias, double l1)
      : SuppressionEncoder(n, d, decoder_bias, l1, 2, 1) {}

  double forward_backward(const Mat& X, float* grad, SuppressionObjective obj) override;
  void latents(const Mat& X, Mat& F) const override;         // s ⊙ f
  void sparse_latents(const Mat& X, Mat& F) const override;  // f

  ConstMatMap W_enc() const { return encoder_matrix(); }  // (n, d)
  ConstVecMap b_enc() const { return latent_vector(0); }  // (n)
  ConstVecMap log_s() const { return latent_vector(1); }  // (n)
  Vec s() const { return log_s().array().exp(); }         // (n)
  MatMap W_enc() { return encoder_matrix(); }
  VecMap b_enc() { return latent_vector(0); }
  VecMap log_s() { return latent_vector(1); }

 private:
  // Forward cache, read by the backward (reused across steps).
  Mat pre_, f_, fs_, y_, dy_, df_;  // pre, f, fs, df: (n, B); y, dy: (d, B)
  Vec s_;                           // (n)
};

}  // namespace superpose
