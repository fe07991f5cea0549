// The sparse autoencoders of the suppression lab, behind one small interface: a flat parameter
// buffer (for the shared Adam), the training objective with its backward, and the latents that
// get decoded. Two architectures implement it (one file each): the ReLU encoder with an optional
// scale vector (suppression_relu_encoder.hpp) and the gated encoder (suppression_gated_encoder.hpp).
// Both decode with unit-norm columns W_dec and, when configured, a bias b_dec, and lay out their
// parameters alike: an encoder matrix read along W_dec at the start, the per-latent vectors,
// then the decoder; the base holds that layout, the initialisation and the gradient mask.
//
// Legend:  d = input dimensions, n = latents (here n = d = n_features), B = batch
//   X  (d, B)  inputs, one sample per column      F  (n, B)  latents
//   W_dec (d, n) unit-norm columns                 b_dec (d)  (held at 0 without decoder_bias)
//
// This is the lab's self-contained version for the single/multi-feature story, not the full
// SAE library of src/sae/ (no resampling, no data sources, no warm-ups).
#pragma once
#include <cstddef>
#include <vector>

#include "core/eigen.hpp"
#include "core/rng.hpp"

namespace superpose {

// What a training step optimises.
enum class SuppressionObjective {
  l1,    // the architecture's own loss: reconstruction + sparsity (+ the gated aux term)
  scale  // reconstruction only, through the scale vector (the Wright & Sharkey fit)
};

class SuppressionEncoder {
 public:
  // Parameters: the encoder matrix (n, d) | `latent_vectors` vectors (n) each | W_dec (d, n) |
  // b_dec (d). scale_vector: which of the latent vectors the scale objective trains (−1: none).
  SuppressionEncoder(int n, int d, bool decoder_bias, double l1, int latent_vectors, int scale_vector);
  virtual ~SuppressionEncoder() = default;

  int n_latents() const { return n_; }
  int dims() const { return d_; }
  bool decoder_bias() const { return decoder_bias_; }
  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }

  // Parameters from the seed: W_dec near the feature basis (columns e_i + 0.2·noise, unit
  // norm; exactly 1 for d = 1), the encoder matrix W_decᵀ (reading along it), every latent
  // vector 0 (biases 0; log-scales 0, scales 1), b_dec 0.
  void init(Rng& rng);
  // The loss on X (mean over the batch) with objective `obj`; when grad is not null, its
  // gradient over EVERY parameter (laid out like params(); nothing masked or projected).
  virtual double forward_backward(const Mat& X, float* grad, SuppressionObjective obj) = 0;
  // Zeroes the gradient of the parameters `obj` does not train (the scale fit trains the scale
  // vector only, nothing without one; b_dec is trained only with decoder_bias).
  void mask_gradient(float* grad, SuppressionObjective obj) const;
  // The latents that the decoder reads (n, B): s ⊙ f, or f_gate ⊙ f_mag.
  virtual void latents(const Mat& X, Mat& F) const = 0;
  // The L1-penalised activations (n, B): f for the ReLU encoder, ReLU(π_gate) for the gated one.
  virtual void sparse_latents(const Mat& X, Mat& F) const = 0;

  // Decoder, inside params().
  ConstMatMap W_dec() const { return ConstMatMap(&params_[dec_offset_], d_, n_); }  // (d, n)
  ConstVecMap b_dec() const { return ConstVecMap(&params_[dec_offset_ + d_ * n_], d_); }  // (d)
  // Y (d, B) = W_dec F + b_dec.
  void decode(const Mat& F, Mat& Y) const;
  // Unit-norm decoder columns: remove each column's gradient component along the column before
  // the optimiser step, and renormalise after it (the L1 cannot be dodged by growing W_dec).
  void project_decoder_gradient(float* grad) const;
  void normalize_decoder();

 protected:
  int n_, d_;
  bool decoder_bias_;
  float c_;  // the L1 coefficient
  int scale_vector_;
  std::vector<float> params_;
  std::size_t dec_offset_;  // W_dec (d, n) then b_dec (d) start here
  MatMap W_dec_mut() { return MatMap(&params_[dec_offset_], d_, n_); }
  VecMap b_dec_mut() { return VecMap(&params_[dec_offset_ + d_ * n_], d_); }
  // The encoder matrix (n, d) and latent vector v (n), inside params().
  ConstMatMap encoder_matrix() const { return ConstMatMap(&params_[0], n_, d_); }
  MatMap encoder_matrix() { return MatMap(&params_[0], n_, d_); }
  std::size_t vector_offset(int v) const { return static_cast<std::size_t>(n_) * (d_ + v); }
  ConstVecMap latent_vector(int v) const { return ConstVecMap(&params_[vector_offset(v)], n_); }
  VecMap latent_vector(int v) { return VecMap(&params_[vector_offset(v)], n_); }
};

}  // namespace superpose
