// What the interventions need of a sparse autoencoder, and nothing more: a decoder
// h_hat = W_dec f + b_dec and an encode function h -> f (Bricken et al. 2023, "Towards
// Monosemanticity"; the steering formula of Templeton et al. 2024, "Scaling Monosemanticity").
// Any SAE architecture (ReLU, TopK, JumpReLU, hand-built) plugs in by filling these three fields,
// so steering and ablation are written and tested without depending on how the SAE was trained.
//
// Legend:  d = input dimension (the toy model's n_hidden), L = n_latents, B = batch
// Not here: training an SAE (sae/), the hand-built one used in tests (interp/perfect_sae.hpp).
#pragma once
#include <functional>

#include "core/eigen.hpp"

namespace superpose {

struct SaeView {
  Mat W_dec;  // (d, L): column i is latent i's decoder direction
  Vec b_dec;  // (d)
  std::function<Mat(const Eigen::Ref<const Mat>&)> encode;  // (d, B) -> (L, B), f ≥ 0

  int d() const { return static_cast<int>(W_dec.rows()); }
  int n_latents() const { return static_cast<int>(W_dec.cols()); }
  Mat decode(const Eigen::Ref<const Mat>& F) const;  // (L, B) -> (d, B)
  // Throws std::invalid_argument unless the shapes agree with a hidden state of size d.
  void check(int d_expected) const;
};

}  // namespace superpose
