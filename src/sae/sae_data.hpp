// Where an SAE's training data comes from (issue 5, "Data sources"): a batch source with a
// training stream, a fixed held-out batch for the metrics, and the ground-truth feature
// directions when there are any.
//   synthetic  (synthetic_data.hpp)   known unit directions, sparse U[0,1] magnitudes
//   toy        (toy_activations.hpp)  a trained toy model's hidden activations h = W x
//   npy        (npy_activations.hpp)  rows of a user's (N, d) .npy file
// Legend: d = input dimension, F = number of true features, B = batch.
#pragma once
#include <memory>

#include "core/eigen.hpp"
#include "sae/sae_config.hpp"

namespace superpose {

class SaeData {
 public:
  virtual ~SaeData() = default;
  virtual int dim() const = 0;
  // Fills X (d, B) with the training stream's next batch of B samples.
  virtual void sample(Mat& X, int batch_size) = 0;
  // A held-out batch of n samples from a fixed evaluation stream (the same every call).
  virtual Mat held_out(int n) const = 0;
  // Restarts the training stream from the seed.
  virtual void reset() = 0;
  // Ground-truth feature directions (d, F), unit columns (zero for a feature the source does not
  // represent); 0 columns when unknown.
  const Mat& true_features() const { return true_features_; }
  // The mean of a large sample (the initial b_dec).
  Vec mean_estimate(int n = 4096) const { return held_out(n).rowwise().mean(); }

 protected:
  Mat true_features_;
};

// The source named by config.data (config validated).
std::unique_ptr<SaeData> make_sae_data(const SaeConfig& config);

}  // namespace superpose
