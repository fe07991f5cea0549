// The toy models' backward passes against central finite differences, for every model kind.
// Kinks: where a ReLU switches inside ±eps the loss is not differentiable and the central
// difference means nothing. Such entries are recognised by their one-sided differences
// disagreeing; there the analytic gradient must equal one of them (the side without the kink).
// Every other entry must match the central difference, and kinked entries must stay a small
// minority.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "toy/toy_model.hpp"
#include "tolerance.hpp"

namespace test_toy_gradients {

using namespace superpose;

namespace {
// batched_from: the density from which an instance trains batched (0: every instance batched,
// 2: every instance per sample); both strategies must give the same gradients.
void check_gradient(const std::string& model_kind, const std::string& correlation = "none",
                    double batched_from = 0.2) {
  ToyConfig c;
  c.n_features = 6;
  c.n_hidden = 3;
  c.n_instances = 2;
  c.feature_probability = {0.6, 0.05};
  c.importance_decay = 0.8;
  c.model = model_kind;
  c.correlation = correlation;
  c.batch_size = 32;
  c.seed = 5;
  ToyModel model(c);
  model.set_batched_from(batched_from);
  // A non-trivial point: a few training steps away from the init, and a non-zero bias.
  model.train(20);
  for (int k = 0; k < c.n_instances; ++k) model.b(k).setConstant(0.05f);

  ToyRng rng(99, 3);
  ToyBatch batch;
  ToyDataGenerator(c).sample(rng, batch, c.batch_size);
  std::vector<float> grad(model.params().size());
  model.forward_backward(batch, grad.data(), nullptr);

  std::vector<float>& p = model.params();
  const float eps = 5e-4f;
  const double f0 = model.forward_backward(batch, nullptr, nullptr);
  double diff2 = 0, norm2 = 0;
  int kinked = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const float saved = p[i];
    p[i] = saved + eps;
    const double up = model.forward_backward(batch, nullptr, nullptr);
    p[i] = saved - eps;
    const double down = model.forward_backward(batch, nullptr, nullptr);
    p[i] = saved;
    const double right = (up - f0) / eps, left = (f0 - down) / eps, fd = (up - down) / (2.0 * eps);
    INFO("model " << model_kind << ", correlation " << correlation << ", parameter " << i
                  << ": right " << right << ", left " << left << ", analytic " << grad[i]);
    if (!superpose::test::close(right, left, 0.05, 5e-4)) {
      // A kink within ±eps: the side without it still gives the derivative at the point.
      ++kinked;
      CHECK((superpose::test::close(right, grad[i], 2e-2, 3e-4) ||
             superpose::test::close(left, grad[i], 2e-2, 3e-4)));
      continue;
    }
    CHECK(superpose::test::close(fd, grad[i], 2e-2, 3e-4));
    diff2 += (fd - grad[i]) * (fd - grad[i]);
    norm2 += fd * fd;
  }
  INFO("model " << model_kind << ", correlation " << correlation << ", kinked " << kinked
                 << ", batched from " << batched_from);
  CHECK(norm2 > 0);
  CHECK(std::sqrt(diff2 / norm2) < 1e-2);
  CHECK(kinked <= static_cast<int>(0.15 * p.size()));
}
}  // namespace

TEST_CASE("gradients of the linear model match finite differences") { check_gradient("linear"); }
TEST_CASE("gradients of the ReLU-output model match finite differences") { check_gradient("relu"); }
TEST_CASE("gradients of the ReLU-hidden model match finite differences") { check_gradient("relu-hidden"); }
TEST_CASE("gradients of the abs model match finite differences") { check_gradient("abs"); }
TEST_CASE("gradients with correlated inputs match finite differences") {
  check_gradient("relu", "correlated");
  check_gradient("relu", "anticorrelated");
}

TEST_CASE("gradients match finite differences with every instance batched, and per sample") {
  for (const char* kind : {"linear", "relu", "relu-hidden", "abs"}) {
    check_gradient(kind, "none", 0.0);
    check_gradient(kind, "none", 2.0);
  }
}

TEST_CASE("the batched and per-sample strategies give the same loss and gradient") {
  for (const char* kind : {"linear", "relu", "relu-hidden", "abs"}) {
    ToyConfig c;
    c.n_features = 11;  // not a multiple of any SIMD width
    c.n_hidden = 4;
    c.n_instances = 3;
    c.feature_probability = {1.0, 0.3, 0.02};
    c.model = kind;
    c.batch_size = 300;  // not a multiple of the block
    c.seed = 2;
    ToyModel a(c), b(c);
    a.train(10);
    b.params() = a.params();
    a.set_batched_from(0.0);
    b.set_batched_from(2.0);
    ToyRng rng(5, 7);
    ToyBatch batch;
    ToyDataGenerator(c).sample(rng, batch, c.batch_size);
    std::vector<float> ga(a.params().size()), gb(b.params().size()), la, lb;
    a.forward_backward(batch, ga.data(), &la);
    b.forward_backward(batch, gb.data(), &lb);
    INFO("model " << kind);
    for (int k = 0; k < 3; ++k) CHECK(superpose::test::close(la[k], lb[k], 1e-5, 1e-7));
    for (std::size_t i = 0; i < ga.size(); ++i) CHECK(superpose::test::close(ga[i], gb[i], 1e-4, 1e-6));
  }
}

}  // namespace test_toy_gradients
