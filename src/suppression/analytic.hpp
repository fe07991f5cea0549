// Closed forms of feature suppression (issue 4), which the trained runs are held to.
//
// One feature, x = 1 with probability p (else 0), d = 1, encoder f(x) = ReLU(w_e x + b_e),
// decoder y = w_d f with |w_d| = 1 and no bias, loss ‖y − x‖²/d + c·f:
//   E[loss] = p·[(1 − a)² + c·a] + (1 − p)·[f(0)² + c·f(0)],   a = f(1)
// f(0) = 0 is free (b_e ≤ 0), and d/da = 0 gives a = 1 − c/2, independent of p (0 for c ≥ 2,
// where the L1 outweighs the whole reconstruction); the expected reconstruction error is then
// p·(1 − a)² = p·c²/4. With n = d orthogonal features (one per input dimension, decoder aligned)
// each feature is the same problem with the L1 weighed d times the per-dimension MSE: c → c·d.
//
// A free decoder bias b moves the optimum: with y = a·x + b,
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

// The optimal activation f(1) of a binary feature; NaN where no closed form is derived here
// (a decoder bias with n_features > 1 is covered; uniform magnitudes with a bias are not).
double analytic_activation(double c, double p, int d = 1, bool decoder_bias = false,
                           bool uniform = false);
// p·(1 − a)²: the expected reconstruction error ‖y − x‖² of one binary feature at the optimum
// without decoder bias (p·c²/4 for d = 1, c < 2).
double analytic_reconstruction_error(double c, double p, int d = 1);
// s* = 1/a for the binary feature without bias; infinity where a = 0 (nothing left to rescale).
double analytic_scale(double c, int d = 1);
// The optimal transfer curve without bias: max(0, x − c·d/2).
double analytic_transfer(double x, double c, int d = 1);

}  // namespace superpose
