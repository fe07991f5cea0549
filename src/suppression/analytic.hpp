// Closed forms of feature suppression (issue 4, issue 14), which the trained runs are held to.
// The trained loss (suppression_config.hpp): n binary features, one per input dimension (d = n),
// each 1 with probability p independently; a ReLU encoder f = ReLU(W_enc x + b_enc) with n
// latents, a decoder y = W_dec f (+ b_dec) with unit-norm columns;
//   loss = ‖y − x‖²/n + c·Σ_j f_j.
//
// One feature (n = 1): E[loss] = p·[(1 − a)² + c·a] + (1 − p)·[f(0)² + c·f(0)], a = f(1).
// f(0) = 0 is free (b_e ≤ 0), and d/da = 0 gives a = 1 − c/2, independent of p (0 for c ≥ 2,
// where the L1 outweighs the whole reconstruction); the reconstruction error is p·c²/4.
//
// One latent per feature (W_dec = I, "monosemantic"): for each input, min over f ≥ 0 of
// (1/n)‖f − x‖² + c·Σ f is f_i = max(0, x_i − c·n/2), so a = 1 − c·n/2 (the MSE is averaged over
// n dimensions: each feature sees c·n), with expected loss p·(1 − a)² + c·n·p·a. This is the
// optimum only among dictionaries that are the feature basis. It is NOT the optimum of the
// trained loss for n ≥ 2, p > 0, 0 < c·n < 2; it is not even a stationary point. Two features
// are both active with probability p², and there the error of feature i, (a − 1), meets latent
// j's activation a: ∂loss/∂W_dec(i, j) = −(2/n)·p²·a·(1 − a) = −p²·c·a for i ≠ j, a direction
// along the unit sphere of column j. Follow it: tilt the decoder columns of features 1 and 2
// towards each other by θ, (cos θ, sin θ) and (sin θ, cos θ), and let the encoder give s on a
// feature alone and t on both (f_2(e_1) = 0 needs b_enc ≤ s − t, which is free). Then
//   alone: (1/n)·(1 − 2s·cos θ + s²) + c·s,  minimum (1/n)·(1 − s²) at s = cos θ − c·n/2
//   both:  (2/n)·(t·u − 1)² + 2c·t,          minimum (2/n)·(1 − (1 − c·n/(2u))²), u = cos θ + sin θ
// The first has zero slope at θ = 0; the second falls, d/dθ = −2c·(1 − c·n/2) = −2c·a: the
// expected loss falls at the rate 2p²·c·a per radian. When features co-occur, a latent that also
// writes a little of its co-active neighbour pays less L1 for the same reconstruction
// (‖D f‖ < Σ f for non-orthogonal columns). Training leaves the monosemantic point for
// polysemantic dictionaries whose single-feature activation lies below 1 − c·n/2 (or is 0:
// latents kept for co-active groups only). No closed form of that optimum is derived here;
// readouts.hpp measures the exact expected loss of a trained encoder, and
// tests/unit/test_suppression_optimum.cpp minimises it by brute force.
//
// Lower bound, any dictionary: ‖D f‖ ≤ Σ_j f_j for unit-norm columns, so per input the loss is
// at least min_z (1/n)‖z − x‖² + c·‖z‖ = g(‖x‖), g(r) = r²/n for r ≤ c·n/2, else c·r − c²·n/4;
// with k of n features active ‖x‖ = √k, and E[g(√k)] bounds every encoder's expected loss.
//
// A free decoder bias b (n = 1; per dimension for n > 1, monosemantic): with y = a·x + b,
//   ∂/∂b: p(1 − a − b) = (1 − p)·b   and   ∂/∂a: 1 − a − b = c/2
// give a = 1 − c/(2(1 − p)), b = p·c/(2(1 − p)): the bias carries part of the feature, so the
// activation shrinks further, and now depends on p (0 once c ≥ 2(1 − p)).
//
// Continuous magnitudes (x ~ U[0,1) when active, no bias): pointwise, min_f (x − f)² + c·f over
// f ≥ 0 gives the soft threshold f*(x) = max(0, x − c/2), which a ReLU encoder represents exactly
// (w_e = 1, b_e = −c/2): small values suppressed entirely, every larger one shifted down by c/2.
//
// The scale fix (Wright & Sharkey 2024) refits s in y = w_d·s·f on reconstruction alone:
// s* = 1/a = 1/(1 − c/2) for the binary feature, so s*·a = 1.
#pragma once

namespace superpose {

// The optimal activation f(1) of the trained loss where it is derived: n = 1 (binary, with or
// without decoder bias; uniform without bias: the soft threshold at x = 1). NaN otherwise: for
// n ≥ 2 the optimum mixes co-active features and has no closed form here.
double analytic_activation(double c, double p, int n = 1, bool decoder_bias = false,
                           bool uniform = false);
// The optimum with one latent per feature (W_dec = the feature basis): 1 − c·n/2, with a decoder
// bias 1 − c·n/(2(1 − p)); NaN for uniform magnitudes with a bias. Equal to analytic_activation
// for n = 1; for n ≥ 2 not an optimum of the trained loss (see above).
double monosemantic_activation(double c, double p, int n = 1, bool decoder_bias = false,
                               bool uniform = false);
// The exact expected loss of that monosemantic optimum (binary features):
// p·(1 − a − b)² + (1 − p)·b² + c·n·p·a, with b = 0 without decoder bias.
double monosemantic_loss(double c, double p, int n = 1, bool decoder_bias = false);
// E[g(√k)], k ~ Binomial(n, p): no encoder with unit-norm decoder columns and no decoder bias
// has a lower expected loss on binary features.
double loss_lower_bound(double c, double p, int n);
// p·(1 − a)²: the expected reconstruction error ‖y − x‖² of one binary feature at the optimum
// without decoder bias (p·c²/4 for n = 1, c < 2).
double analytic_reconstruction_error(double c, double p, int n = 1);
// s* = 1/a for the binary feature without bias; infinity where a = 0 (nothing left to rescale).
double analytic_scale(double c, int n = 1);
// The monosemantic transfer curve without bias: max(0, x − c·n/2) (the optimum for n = 1).
double analytic_transfer(double x, double c, int n = 1);

}  // namespace superpose
