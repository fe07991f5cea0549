// The synthetic data of the toy models (Elhage et al. 2022, section "Demonstrating
// Superposition"; correlated features: section "Superposition with correlated features").
// Each feature is active with probability p (its instance's feature probability), with value
// U[0,1] (U[-1,1] for the abs model, whose target is |x|); otherwise 0.
// Sparse entries are found by skipping geometric gaps along the batch, so the cost is the number
// of active entries, not n_features × batch.
// Correlated pairs (2i, 2i+1) are active together with probability p; anticorrelated pairs are
// active as a set with probability min(1, 2p), then exactly one member (uniformly) fires, so each
// feature's marginal probability stays p (for p ≤ 1/2). An odd last feature stays independent.
#pragma once
#include <vector>

#include "core/eigen.hpp"
#include "core/rng.hpp"
#include "toy/toy_config.hpp"

namespace superpose {

struct ToyBatch {
  std::vector<Mat> x;  // per instance: (n_features, batch)
  std::vector<Mat> y;  // per instance targets (n_features, batch); empty when the target is x
  const Mat& target(int k) const { return y.empty() ? x[k] : y[k]; }
};

class ToyDataGenerator {
 public:
  explicit ToyDataGenerator(const ToyConfig& config);
  // Fills batch (resized as needed) with a fresh sample of batch_size inputs per instance.
  void sample(Rng& rng, ToyBatch& batch, int batch_size) const;

 private:
  int n_features_, n_instances_;
  Correlation correlation_;
  bool signed_values_;  // abs model: values in [-1, 1], target |x|
  std::vector<double> probability_;
  // Fills one row set: the features [first, first+size) of instance k as one group.
  void sample_group(Rng& rng, Mat& x, int first, int size, double p, int batch_size) const;
};

}  // namespace superpose
