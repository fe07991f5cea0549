// The data of the suppression experiments: n features, one per input dimension (d = n), each
// active independently with probability p, with value 1 (binary) or U[0, 1) (uniform) when
// active, else 0. Batches are dense (d, B): d is small here (1 for the single-feature story),
// so a dense column per sample is simpler and as fast as a sparse list.
// Not here: the toy models' sparse, correlated data (toy/toy_data.hpp).
#pragma once
#include "core/eigen.hpp"
#include "core/rng.hpp"
#include "suppression/suppression_config.hpp"

namespace superpose {

class SuppressionData {
 public:
  explicit SuppressionData(const SuppressionConfig& config);
  // Fills X (d, B) with B fresh samples from rng.
  void sample(Rng& rng, Mat& X, int batch_size) const;
  int dims() const { return d_; }

 private:
  int d_;
  float p_;
  bool binary_;
};

// Probe inputs for readouts: column g is t_g·e_feature, t_g = g/(points − 1) over [0, 1].
Mat feature_probe(int d, int feature, int points);

}  // namespace superpose
