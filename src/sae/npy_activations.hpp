// SAE data from a user's own activations: the rows of a 2-D float32/float64 .npy file
// (io/npy.hpp refuses malformed, wrong-dtype and huge files). Batches are rows drawn uniformly
// with replacement from a seeded stream; the held-out batch comes from another stream over the
// same rows (there is no ground truth, so MMCS and recovery are not reported).
#pragma once
#include <cstdint>
#include <string>

#include "core/rng.hpp"
#include "sae/sae_data.hpp"

namespace superpose {

class NpyActivations : public SeededSaeData {
 public:
  // rows: (d, N), one sample per column (npy_activations()).
  NpyActivations(Mat rows, uint64_t seed);
  int dim() const override { return static_cast<int>(rows_.rows()); }
  int n_rows() const { return static_cast<int>(rows_.cols()); }

 private:
  Mat rows_;
  void fill(Rng& rng, Mat& X, int n, TrueFiring* firing) const override;  // no firing: no truth
};

}  // namespace superpose
