// Reading an effects matrix (rows = ablated units or latents, columns = output features, cell =
// loss change): how monosemantic the rows are, and an order of rows that shows it.
//   diagonality = mean over rows of  max_j |E_rj| / Σ_j |E_rj|
// 1 when every row hurts exactly one feature (a monosemantic dictionary); 1/n when a row hurts all
// n features alike (a polysemantic unit). Rows with no effect at all (dead latents) are left out
// of the mean; a matrix of only such rows scores 0.
// Not here: computing the matrix (interp/ablation.hpp).
#pragma once
#include <vector>

#include "core/eigen.hpp"

namespace superpose {

double diagonality(const Eigen::Ref<const Mat>& E);

// Each row's top feature (argmax_j |E_rj|), -1 for a row with no effect.
std::vector<int> top_features(const Eigen::Ref<const Mat>& E);

// Row order that makes a near-diagonal matrix look diagonal: by top feature ascending, then by the
// top cell's size descending; rows with no effect last (stable otherwise).
std::vector<int> diagonal_order(const Eigen::Ref<const Mat>& E);

}  // namespace superpose
