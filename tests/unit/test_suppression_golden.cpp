// Seeded suppression runs: a pinned mid-training run of each encoder reproduces its golden
// numbers natively and in wasm (within superpose::test::kCrossPlatformRel). Mid-training on
// purpose: converged runs land on the closed forms whatever the path (test_suppression_paper),
// while these numbers move with any change to the data stream, the init or the update.
// The golden numbers were produced once by this build (`superpose_tests -tc="*suppression golden*"
// -s` prints the current values); change them only with a reason in the commit message.
#include <doctest/doctest.h>

#include <iomanip>
#include <vector>

#include "suppression/suppression_run.hpp"
#include "tolerance.hpp"

namespace test_suppression_golden {

using namespace superpose;

namespace {
struct Golden {
  const char* fix;
  double loss, trained, effective, gamma;
};

void check_golden(const Golden& g) {
  SuppressionConfig c;
  c.fix = g.fix;
  c.n_features = 2;
  c.magnitude = "uniform";
  c.l1 = 0.2;
  c.feature_probability = 0.4;
  c.decoder_bias = true;
  c.batch_size = 128;
  c.steps = 400;
  c.scale_steps = 400;
  c.seed = 11;
  SuppressionRun run(c);
  run.train(c.fix == "scale" ? 500 : 200);  // the scale run: 100 steps into its second phase
  const double loss = run.last_loss(), trained = run.trained_activation(),
               effective = run.effective_activation(), gamma = run.relative_reconstruction_bias();
  MESSAGE(std::setprecision(9) << std::string(g.fix) << ": loss " << loss << ", trained " << trained
                               << ", effective " << effective << ", gamma " << gamma);
  const double rel = superpose::test::kCrossPlatformRel;
  CHECK(superpose::test::close(loss, g.loss, rel));
  CHECK(superpose::test::close(trained, g.trained, rel));
  CHECK(superpose::test::close(effective, g.effective, rel));
  CHECK(superpose::test::close(gamma, g.gamma, rel));
}
}  // namespace

TEST_CASE("suppression golden: pinned seeded runs of the three encoders") {
  check_golden({"none", 0.0510001843, 0.681577444, 0.681577444, 0.797428724});
  check_golden({"scale", 0.00967098027, 0.687539399, 0.991660953, 1.03502609});
  check_golden({"gated", 0.0558463677, 0.783692777, 0.988311887, 1.0002724});
}

}  // namespace test_suppression_golden
