// The gated encoder (Rajamanoharan et al. 2024, "Improving Dictionary Learning with Gated Sparse
// Autoencoders", section 3): which latents fire and how strongly are decided by two paths, so the
// L1 penalty, which acts on the gate only, no longer shrinks the magnitudes that get decoded.
//
//   x_c    = x − b_dec                                 (d)
//   π_gate = W_gate x_c + b_gate                       (n)   f_gate = 1[π_gate > 0]
//   W_mag  = exp(r_mag) ⊙ W_gate  (row j scaled)       (n, d) weight sharing
//   π_mag  = W_mag x_c + b_mag                         (n)   f_mag  = ReLU(π_mag)
//   f̃      = f_gate ⊙ f_mag                            (n)   y = W_dec f̃ + b_dec
//   loss   = ‖y − x‖²/d + c·Σ_j ReLU(π_gate)_j + ‖ŷ_frozen(ReLU(π_gate)) − x‖²/d
// where ŷ_frozen decodes with W_dec and b_dec held constant (the auxiliary loss trains the gate
// to reconstruct on its own, without moving the decoder). The step f_gate passes no gradient:
// the magnitude path learns from the reconstruction, the gate from the L1 and the aux loss.
// The encoder input x − b_dec does pass gradient to b_dec (from both paths).
//
// Parameters, one flat buffer:  W_gate (n, d) | b_gate (n) | r_mag (n) | b_mag (n) |
//                               W_dec (d, n) | b_dec (d)
// Not here: the full Gated SAE of src/sae/ (this is the lab's self-contained small version).
#pragma once
#include "suppression/suppression_encoder.hpp"

namespace superpose {

class SuppressionGatedEncoder : public SuppressionEncoder {
 public:
  // Latent vectors: b_gate, r_mag, b_mag; no scale vector (the scale objective trains nothing).
  SuppressionGatedEncoder(int n, int d, bool decoder_bias, double l1)
      : SuppressionEncoder(n, d, decoder_bias, l1, 3, -1) {}

  double forward_backward(const Mat& X, float* grad, SuppressionObjective obj) override;
  void latents(const Mat& X, Mat& F) const override;         // f_gate ⊙ f_mag
  void sparse_latents(const Mat& X, Mat& F) const override;  // ReLU(π_gate)

  ConstMatMap W_gate() const { return encoder_matrix(); }  // (n, d)
  ConstVecMap b_gate() const { return latent_vector(0); }  // (n)
  ConstVecMap r_mag() const { return latent_vector(1); }   // (n)
  ConstVecMap b_mag() const { return latent_vector(2); }   // (n)
  MatMap W_gate() { return encoder_matrix(); }
  VecMap b_gate() { return latent_vector(0); }
  VecMap r_mag() { return latent_vector(1); }
  VecMap b_mag() { return latent_vector(2); }
  Mat W_mag() const;  // (n, d) = exp(r_mag) ⊙ W_gate

  // The aux loss decodes with W_dec and b_dec held constant (a stop-gradient): its backward
  // gives them nothing. A finite-difference check perturbs the live decoder, so it first pins
  // the aux decoder to a copy of the current values (hold), making the aux loss, as a function
  // of the parameters, exactly what the backward differentiates. release() goes back to
  // decoding the aux with the live values (training: the same numbers, the same gradient).
  void hold_aux_decoder();
  void release_aux_decoder() { aux_held_ = false; }

 private:
  // Both pre-activations (n, B) for inputs X (d, B); xc (d, B) = X − b_dec.
  void preactivations(const Mat& X, Mat& xc, Mat& pi_gate, Mat& pi_mag) const;
  // Forward cache, read by the backward (reused across steps).
  Mat xc_, pi_gate_, pi_mag_, f_, g_relu_, y_, y_aux_, dy_, df_, dpi_mag_, dpi_gate_, dxc_;
  Mat W_mag_, gW_mag_;
  bool aux_held_ = false;
  Mat aux_W_dec_;  // (d, n)
  Vec aux_b_dec_;  // (d)
};

}  // namespace superpose
