// Seeded runs: the same seed gives bit-identical results twice, and a pinned run reproduces its
// golden numbers natively and in wasm (within superpose::test::kCrossPlatformRel: xsimd over
// Emscripten's SSE emulation and libm differ from native in the last bits).
// The golden numbers were produced once by this build (`superpose_tests -tc="*golden*" -s`
// prints the current values); change them only with a reason in the commit message.
#include <doctest/doctest.h>

#include <cmath>
#include <iomanip>
#include <vector>

#include "core/check.hpp"
#include "toy/toy_model.hpp"
#include "tolerance.hpp"

namespace test_toy_golden {

using namespace superpose;

namespace {
ToyConfig pinned_config(const std::string& model) {
  ToyConfig c;
  c.n_features = 5;
  c.n_hidden = 2;
  c.n_instances = 2;
  c.feature_probability = {0.1, 0.5};
  c.importance_decay = 0.9;
  c.model = model;
  c.batch_size = 256;
  c.lr = 1e-2;
  c.seed = 7;
  return c;
}
}  // namespace

TEST_CASE("the same seed gives bit-identical parameters twice; another seed does not") {
  for (const char* kind : {"relu", "linear", "relu-hidden", "abs"}) {
    ToyModel a(pinned_config(kind)), b(pinned_config(kind));
    a.train(50);
    b.train(50);
    CHECK(a.params() == b.params());
    ToyConfig other = pinned_config(kind);
    other.seed = 8;
    ToyModel c(other);
    c.train(50);
    CHECK(a.params() != c.params());
    // reset() starts the same run again
    a.reset();
    a.train(50);
    CHECK(a.params() == b.params());
  }
}

TEST_CASE("a pinned run reproduces its golden numbers (native and wasm)") {
  ToyModel model(pinned_config("relu"));
  model.train(300);
  const std::vector<float> loss = model.evaluate(2048);
  const auto W = model.W(0);
  MESSAGE(std::setprecision(9) << "golden: loss " << loss[0] << ", " << loss[1]);
  MESSAGE(std::setprecision(9) << "golden: W(0) " << W(0, 0) << ", " << W(1, 0) << ", " << W(0, 1) << ", " << W(1, 1)
                          << ", " << W(0, 4) << ", " << W(1, 4));
  const double golden_loss[] = {0.0217328928, 0.189339876};
  const double golden_W[] = {1.00822461, 0.460491449, -0.185801342, 1.10418284, -1.05098259, 0.167405456};
  const double measured_W[] = {W(0, 0), W(1, 0), W(0, 1), W(1, 1), W(0, 4), W(1, 4)};
  const double rel = superpose::test::kCrossPlatformRel;
  for (int k = 0; k < 2; ++k) CHECK(superpose::test::close(loss[k], golden_loss[k], rel, 1e-6));
  for (int i = 0; i < 6; ++i) CHECK(superpose::test::close(measured_W[i], golden_W[i], rel, 1e-4));
}

TEST_CASE("a diverging step stops with a message and keeps the state before it") {
  ToyModel model(pinned_config("relu"));
  model.train(4);
  const std::vector<float> before = model.params();
  const std::vector<float> loss_before = model.last_loss();
  model.train(1);
  // As if step 5 had overflowed a parameter: the next loss is not finite, so step 5 was the bad
  // one and the model goes back to the state before it, the last whose loss was finite.
  model.params()[3] = INFINITY;
  CHECK_THROWS_WITH_AS(model.train(1),
                       "training diverged at step 5: the loss or its gradient after it is not "
                       "finite; try a smaller learning rate (lr=0.01)",
                       Diverged);
  CHECK(model.step() == 4);
  CHECK(model.params() == before);
  CHECK(model.last_loss() == loss_before);
  CHECK_NOTHROW(model.train(1));  // training goes on from there
  model.reset();  // and reset recovers
  CHECK_NOTHROW(model.train(5));
}

}  // namespace test_toy_golden
