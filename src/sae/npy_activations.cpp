#include "sae/npy_activations.hpp"

#include "core/check.hpp"

namespace superpose {

NpyActivations::NpyActivations(Mat rows, uint64_t seed)
    : rows_(std::move(rows)), seed_(seed), rng_(seed, 1) {
  if (rows_.cols() < 1 || rows_.rows() < 1) fail_config("the activations are empty");
}

void NpyActivations::fill(Rng& rng, Mat& X, int n) const {
  X.resize(rows_.rows(), n);
  const uint32_t N = static_cast<uint32_t>(rows_.cols());
  for (int s = 0; s < n; ++s) X.col(s) = rows_.col(rng.below(N));
}

void NpyActivations::sample(Mat& X, int batch_size) { fill(rng_, X, batch_size); }

Mat NpyActivations::held_out(int n) const {
  Rng eval(seed_, 2);
  Mat X;
  fill(eval, X, n);
  return X;
}

}  // namespace superpose
