#include "sae/npy_activations.hpp"

#include "core/check.hpp"

namespace superpose {

NpyActivations::NpyActivations(Mat rows, uint64_t seed)
    : SeededSaeData(seed), rows_(std::move(rows)) {
  if (rows_.cols() < 1 || rows_.rows() < 1) fail_config("the activations are empty");
}

void NpyActivations::fill(Rng& rng, Mat& X, int n, TrueFiring*) const {
  X.resize(rows_.rows(), n);
  const uint32_t N = static_cast<uint32_t>(rows_.cols());
  for (int s = 0; s < n; ++s) X.col(s) = rows_.col(rng.below(N));
}

}  // namespace superpose
