#include "sae/toy_activations.hpp"

#include <algorithm>

#include "core/kernels.hpp"

namespace superpose {

ToyConfig ToyActivations::toy_config(const SaeConfig& c) {
  ToyConfig t;
  t.n_features = c.true_features;
  t.n_hidden = c.input_dim;
  t.feature_probability = {std::min(1.0, c.active / c.true_features)};
  t.model = "relu";
  t.steps = std::max<int64_t>(1, c.toy_steps);
  t.seed = c.seed;
  return t;
}

ToyActivations::ToyActivations(const SaeConfig& c)
    : seed_(static_cast<uint64_t>(c.seed)),
      model_(std::make_unique<ToyModel>(toy_config(c))),
      generator_(toy_config(c)),
      rng_(seed_, 11) {
  if (c.toy_steps > 0) model_->train(c.toy_steps);
  const ConstMatMap W = static_cast<const ToyModel&>(*model_).W(0);  // (m, n)
  true_features_ = W;
  for (int i = 0; i < W.cols(); ++i) {
    const float n = W.col(i).norm();
    if (n < 1e-3f) true_features_.col(i).setZero();
    else true_features_.col(i) /= n;
  }
}

void ToyActivations::fill(ToyRng& rng, ToyBatch& batch, Mat& X, int n) const {
  generator_.sample(rng, batch, n);
  const ConstMatMap W = static_cast<const ToyModel&>(*model_).W(0);
  const int m = model_->n_hidden();
  X.setZero(m, n);
  const SparseBatch& x = batch.x[0];
  for (int s = 0; s < n; ++s)
    for (int e = x.start[s]; e < x.start[s + 1]; ++e)
      axpy(x.value[e], W.col(x.index[e]).data(), X.col(s).data(), m);
}

void ToyActivations::sample(Mat& X, int batch_size) { fill(rng_, batch_, X, batch_size); }

Mat ToyActivations::held_out(int n) const {
  ToyRng eval(seed_, 12);
  ToyBatch batch;
  Mat X;
  fill(eval, batch, X, n);
  return X;
}

}  // namespace superpose
