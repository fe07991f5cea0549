// The grokking models' backward passes against central finite differences: the Gromov MLP and
// the residual variant, each with MSE and cross-entropy. Both models are smooth (quadratic
// activation, no kinks), so every entry must match.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "grok/grok_run.hpp"
#include "tolerance.hpp"

namespace test_grok_gradients {

using namespace superpose;

namespace {
void check_gradient(const std::string& model, const std::string& loss) {
  GrokConfig c;
  c.p = 7;
  c.width = 6;
  c.d_model = 5;
  c.train_fraction = 0.5;
  c.model = model;
  c.loss = loss;
  c.lr = 1e-2;
  c.seed = 4;
  GrokRun run(c);
  run.train(15);  // a non-trivial point away from the init
  const PairSet& data = run.split().train;
  std::vector<float> grad(run.params().size());
  run.evaluate(data, grad.data());

  std::vector<float>& p = run.params();
  const float eps = 1e-3f;
  double diff2 = 0, norm2 = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const float saved = p[i];
    p[i] = saved + eps;
    const double up = run.evaluate(data).loss;
    p[i] = saved - eps;
    const double down = run.evaluate(data).loss;
    p[i] = saved;
    const double fd = (up - down) / (2.0 * eps);
    INFO("model " << model << ", loss " << loss << ", parameter " << i << ": fd " << fd
                  << ", analytic " << grad[i]);
    CHECK(superpose::test::close(fd, grad[i], 3e-2, 2e-4 * (loss == "ce" ? 10 : 1)));
    diff2 += (fd - grad[i]) * (fd - grad[i]);
    norm2 += fd * fd;
  }
  INFO("model " << model << ", loss " << loss);
  CHECK(norm2 > 0);
  CHECK(std::sqrt(diff2 / norm2) < 1e-2);
}
}  // namespace

TEST_CASE("gradients of the Gromov MLP (MSE) match finite differences") { check_gradient("mlp", "mse"); }
TEST_CASE("gradients of the Gromov MLP (cross-entropy) match finite differences") { check_gradient("mlp", "ce"); }
TEST_CASE("gradients of the residual model (MSE) match finite differences") { check_gradient("residual", "mse"); }
TEST_CASE("gradients of the residual model (cross-entropy) match finite differences") { check_gradient("residual", "ce"); }

}  // namespace test_grok_gradients
