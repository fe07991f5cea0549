// One instance of a trained toy model split at its hidden state, so interventions can edit h
// between the two halves (Elhage et al. 2022, "Toy Models of Superposition", section 2).
//
// Legend:  n = n_features, m = n_hidden, B = batch
//   relu         h = W x          x' = ReLU(Wᵀh + b)
//   linear       h = W x          x' = Wᵀh + b
//   relu-hidden  h = ReLU(W x)    x' = ReLU(Wᵀh + b)
//   abs          h = ReLU(W₁ x)   y  = ReLU(W₂h + b)   (target |x|)
// A copy of the weights (not a view), so a model that keeps training does not change the
// interventions computed from it. Not here: training (toy/toy_model.hpp), the interventions.
#pragma once
#include "core/eigen.hpp"
#include "toy/toy_model.hpp"

namespace superpose {

struct SplitToyModel {
  Mat W_in;        // (m, n): h_pre = W_in x
  Mat W_out;       // (n, m): out_pre = W_out h + b
  Vec b;           // (n)
  Vec importance;  // (n)
  bool hidden_relu = false, output_relu = true;

  // Throws std::invalid_argument when instance is out of range.
  static SplitToyModel from(const ToyModel& model, int instance);

  int n_features() const { return static_cast<int>(W_in.cols()); }
  int n_hidden() const { return static_cast<int>(W_in.rows()); }
  // The toy model's feature directions in h: column i is where x = e_i lands (W_i).
  const Mat& feature_directions() const { return W_in; }  // (m, n)

  Mat hidden(const Eigen::Ref<const Mat>& X) const;  // (n, B) -> (m, B)
  Mat output(const Eigen::Ref<const Mat>& H) const;  // (m, B) -> (n, B)
  // Importance-weighted squared error per output feature, mean over the batch:
  // L_i = I_i · mean_b (Y_ib − out_ib)²  (the toy loss is Σ_i L_i).
  Vec loss_per_feature(const Eigen::Ref<const Mat>& out, const Eigen::Ref<const Mat>& Y) const;  // (n)
};

}  // namespace superpose
