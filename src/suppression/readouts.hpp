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
#pragma once
#include "core/eigen.hpp"
#include "suppression/suppression_encoder.hpp"

namespace superpose {

// γ = ‖X̂‖²/⟨X̂, X⟩ for (d, B) batches; 0 when ⟨X̂, X⟩ ≤ 0 (nothing reconstructed along x:
// total suppression, where the argmin does not exist).
double relative_reconstruction_bias(const Mat& X_hat, const Mat& X);

// (points) values of feature i's transfer curve, t_g = g/(points − 1).
Vec transfer_curve(const SuppressionEncoder& encoder, int feature, int points, bool effective);

// (n) activations of each feature alone at magnitude 1.
Vec feature_activations(const SuppressionEncoder& encoder, bool effective);

}  // namespace superpose
