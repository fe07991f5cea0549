// What the suppression lab measures on a trained encoder.
//   feature activation  the amount of feature i that comes back when it is alone at magnitude t:
//                       (W_dec F(t·e_i))_i, with F the decoded latents (effective) or the
//                       L1-penalised ones (raw). For one feature and |w_d| = 1 this is f(t)
//                       itself; b_dec is left out (it is there for every input).
//   transfer curve      that amount over t ∈ [0, 1]
//   relative reconstruction bias (Rajamanoharan et al. 2024, section 5.2)
//                       γ = argmin_γ ‖x̂/γ − x‖² over a batch. With u = 1/γ the objective is a
//                       quadratic in u with minimum at u = ⟨x̂, x⟩/‖x̂‖², so γ = ‖x̂‖²/⟨x̂, x⟩,
//                       both sums over the whole batch. γ < 1: shrinkage; γ = 1: unbiased.
//                       Undefined for a dead encoder (no latent fires: nothing decoded along x).
//   expected loss       the exact E[‖W_dec f + b_dec − x‖²/n + c·Σ_j f_j] of the L1-penalised
//                       latents f over all 2^n binary inputs, each weighted p^k (1 − p)^(n − k):
//                       what the L1 encoder minimises (s = 1: the scale fit comes after), without
//                       the sampling noise of a batch; for the gated encoder, its gate's L1 and
//                       auxiliary reconstruction. The lab compares it with analytic.hpp's
//                       monosemantic optimum and lower bound.
//   decoder mixing      how far the dictionary is from the feature basis: the largest sine of
//                       the angle between a decoder column and its nearest feature axis (0 when
//                       every latent writes one feature; polysemantic latents for n ≥ 2)
#pragma once
#include "core/eigen.hpp"
#include "suppression/suppression_encoder.hpp"

namespace superpose {

// γ = ‖X̂‖²/⟨X̂, X⟩ for (d, B) batches; NaN when ⟨X̂, X⟩ ≤ 0 (nothing reconstructed along x:
// total suppression, where the argmin does not exist).
double relative_reconstruction_bias(const Mat& X_hat, const Mat& X);

// The largest input dimension whose 2^n binary inputs expected_loss enumerates.
constexpr int kMaxExactFeatures = 16;
// E[‖W_dec f(x) + b_dec − x‖²/n + c·Σ_j f_j(x)] over every binary x, feature probability p, with
// f the L1-penalised latents (sparse_latents). NaN for n > kMaxExactFeatures.
double expected_loss(const SuppressionEncoder& encoder, double c, double p);

// max_j sqrt(1 − max_i W_dec(i, j)²): 0 for a dictionary of feature axes.
double decoder_mixing(const SuppressionEncoder& encoder);

// True when no latent fires on any column of X (d, B): the encoder decodes nothing but b_dec.
bool dead(const SuppressionEncoder& encoder, const Mat& X);

// (points) values of feature i's transfer curve, t_g = g/(points − 1).
Vec transfer_curve(const SuppressionEncoder& encoder, int feature, int points, bool effective);

// (n) activations of each feature alone at magnitude 1.
Vec feature_activations(const SuppressionEncoder& encoder, bool effective);

}  // namespace superpose
