// Exact minimum-cost assignment on a rectangular cost matrix (the Hungarian method, Kuhn 1955 /
// Munkres 1957, in the O(n² m) shortest-augmenting-path form with potentials of Jonker &
// Volgenant 1987): each of the n = min(rows, cols) smaller side's items gets a distinct partner
// on the other side, minimising the sum of their costs. scipy's linear_sum_assignment solves the
// same problem (SAELens' MCC calls it).
// Not here: what the costs mean (ground_truth_metrics: 1 − |cos| of decoder columns and true
// features); approximate or greedy matching.
#pragma once
#include <vector>

#include "core/eigen.hpp"

namespace superpose {

// cost (rows, cols), finite. Returns row_to_col (rows): the column assigned to each row, or −1
// for the rows left over when rows > cols. Throws std::invalid_argument for a non-finite cost.
// Time O(n² m) at worst (n = min, m = max of rows and cols), far less when each row's cheapest
// column is mostly free; memory n·m floats (a row-major copy).
std::vector<int> hungarian(const Eigen::Ref<const Mat>& cost);

}  // namespace superpose
