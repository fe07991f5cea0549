// Fourier readouts of a token embedding (Nanda et al. 2023, "Progress measures for grokking via
// mechanistic interpretability", §4; Gromov 2023, §3): after grokking, each row of the embedding
// (a neuron of the Gromov MLP, a residual dimension) is a wave over the tokens,
// W[row, a] ≈ A cos(2πka/p + φ), at one frequency k.
//
// Legend: r = rows of the embedding, p = tokens, K = p/2 (integer division): frequencies 0..K.
//   power[row, k] = Σ_blocks |Σ_a W[row, a] e^{−2πi k a/p}|² · (2 for 0 < k < p/2, else 1)
// (Parseval: Σ_k power[row, k] = p ‖W[row, :]‖²). The embedding is (r, 2p): blocks of p columns
// (token a, token b), whose powers add.
// Gromov's solution spreads its neurons over all frequencies, so the spectrum summed over rows
// stays flat while each row becomes one spike: `concentration` is what grokking changes there;
// a residual stream narrower than the frequency count must pick a few key frequencies, which
// the summed spectrum shows.
#pragma once
#include <vector>

#include "core/eigen.hpp"

namespace superpose {

// (r, K + 1)
Mat fourier_power(const Eigen::Ref<const Mat>& embedding, int p);

// (K + 1): the share of the embedding's squared norm at each frequency (sums to 1; all zeros
// for an all-zero embedding).
Vec fourier_spectrum(const Mat& power);

// Σ_rows max_k power[row, k] / Σ power: the share of the embedding's squared norm at each row's
// own dominant frequency (1: every row a single wave; about 3/K for random rows).
double fourier_concentration(const Mat& power);

// Each row's dominant frequency (r).
std::vector<int> dominant_frequencies(const Mat& power);

// The `count` frequencies k ≥ 1 with the largest share, largest first (ties: smaller k first).
std::vector<int> top_frequencies(const Vec& spectrum, int count);

}  // namespace superpose
