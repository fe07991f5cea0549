// The paper's measures of one toy-model instance (Elhage et al. 2022):
//   WᵀW                      (n, n)   which features interfere, and how
//   feature norms ‖W_i‖      (n)      is feature i represented?
//   interference             (n)      Σ_{j≠i} (Ŵ_i·W_j)², the paper's "superposition" colouring
//   dimensionality D_i       (n)      ‖W_i‖² / Σ_j (Ŵ_i·W_j)²  (section "Feature dimensionality")
//   dims per feature                  m / ‖W‖_F²               (section "The geometry ...")
// W is (m, n), column i = feature i's direction. A feature with ‖W_i‖ ≈ 0 has D_i = 0 and
// interference 0.
#pragma once
#include "core/eigen.hpp"

namespace superpose {

struct ToyReadouts {
  Mat WtW;             // (n, n)
  Vec feature_norms;   // (n)
  Vec interference;    // (n)
  Vec dimensionality;  // (n)
  float dims_per_feature = 0.f;
  int represented = 0;  // features with ‖W_i‖ > 0.5
};

ToyReadouts compute_readouts(const Eigen::Ref<const Mat>& W);

}  // namespace superpose
