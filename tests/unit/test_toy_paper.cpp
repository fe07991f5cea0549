// The paper's known results, trained in the test (Elhage et al. 2022):
//  - no sparsity: the ReLU model keeps only the m most important features, orthogonally
//    (section "Demonstrating Superposition", the dense column of Figure "superposition as a
//    phase change");
//  - n=5, m=2, sparse: all five features on a regular pentagon, D_i ≈ 2/5
//    (section "The Geometry of Superposition"); 2-D training sometimes sticks in a local
//    minimum, so several instances train and most (not all) must reach the pentagon;
//  - n=2, m=1, sparse: the two features are antipodal, D_i ≈ 1/2;
//  - the toy page's intro preset (web/lib/presets.js) shows what its text says for every seed
//    tried: two features when dense, four as antipodal pairs, then the pentagon (issue 14).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "toy/readouts.hpp"
#include "toy/toy_model.hpp"

namespace test_toy_paper {

using namespace superpose;

namespace {
constexpr double kPi = 3.14159265358979323846;

// Angles (degrees) between angularly neighbouring feature arrows of a 2-D W.
std::vector<double> neighbour_angles(const Mat& W) {
  std::vector<double> theta;
  for (int i = 0; i < W.cols(); ++i) theta.push_back(std::atan2(W(1, i), W(0, i)));
  std::sort(theta.begin(), theta.end());
  std::vector<double> gaps;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const double next = i + 1 < theta.size() ? theta[i + 1] : theta[0] + 2 * kPi;
    gaps.push_back((next - theta[i]) * 180.0 / kPi);
  }
  return gaps;
}

// The lab config the toy page sends for its intro preset (toLabConfig of web/lib/presets.js
// "intro"); tests/web/unit/presets.test.mjs fails if the two differ.
const char* const kIntroPresetConfig = R"json({"n_features":5,"n_hidden":2,"n_instances":6,"importance_decay":0.9,"correlation":"none","model":"relu","lr":0.001,"batch_size":1024,"steps":10000,"schedule":"constant","seed":0,"feature_probability":[1,0.457305,0.209128,0.0956352,0.0437345,0.02]})json";

// Five represented features about 72° apart (importance 0.9^i distorts the pentagon a little).
bool is_pentagon(const Mat& W) {
  if (compute_readouts(W).represented != 5) return false;
  for (double g : neighbour_angles(W))
    if (std::fabs(g - 72.0) > 10.0) return false;
  return true;
}

// Four represented features on two antipodal pairs: four gaps of about 90°.
bool is_square(const Mat& W) {
  const ToyReadouts r = compute_readouts(W);
  if (r.represented != 4) return false;
  Mat kept(2, 4);
  for (int i = 0, j = 0; i < W.cols(); ++i)
    if (r.feature_norms[i] > 0.5f) kept.col(j++) = W.col(i);
  for (double g : neighbour_angles(kept))
    if (std::fabs(g - 90.0) > 10.0) return false;
  return true;
}
}  // namespace

TEST_CASE("dense features: only the m most important are represented, orthogonally") {
  ToyConfig c;
  c.n_features = 8;
  c.n_hidden = 3;
  c.n_instances = 4;
  c.feature_probability = {1.0};
  c.importance_decay = 0.7;
  c.steps = 4000;
  c.lr = 1e-2;
  c.seed = 1;
  ToyModel model(c);
  model.train(c.steps);
  int good = 0;
  for (int k = 0; k < c.n_instances; ++k) {
    const ToyReadouts r = compute_readouts(model.W(k));
    bool ok = true;
    for (int i = 0; i < c.n_hidden; ++i) ok = ok && std::fabs(r.feature_norms[i] - 1.0) < 0.1;
    for (int i = c.n_hidden; i < c.n_features; ++i) ok = ok && r.feature_norms[i] < 0.1;
    for (int i = 0; i < c.n_hidden; ++i)
      for (int j = 0; j < i; ++j) ok = ok && std::fabs(r.WtW(i, j)) < 0.1;
    for (int i = 0; i < c.n_hidden; ++i) ok = ok && r.dimensionality[i] > 0.9;
    INFO("instance " << k << " norms " << r.feature_norms.transpose());
    CHECK(ok);
    good += ok;
  }
  CHECK(good == c.n_instances);
}

TEST_CASE("n=5, m=2, sparse: five features on a regular pentagon, D_i = 2/5") {
  ToyConfig c;
  c.n_features = 5;
  c.n_hidden = 2;
  c.n_instances = 8;
  c.feature_probability = {0.02};
  c.steps = 6000;
  c.lr = 1e-2;
  c.seed = 0;
  ToyModel model(c);
  model.train(c.steps);
  int pentagons = 0;
  for (int k = 0; k < c.n_instances; ++k) {
    const ToyReadouts r = compute_readouts(model.W(k));
    const auto gaps = neighbour_angles(model.W(k));
    bool ok = r.represented == 5;
    for (double g : gaps) ok = ok && std::fabs(g - 72.0) < 8.0;
    for (int i = 0; i < 5; ++i) ok = ok && std::fabs(r.dimensionality[i] - 0.4) < 0.05;
    const float lo = r.feature_norms.minCoeff(), hi = r.feature_norms.maxCoeff();
    ok = ok && hi - lo < 0.15 * hi;
    INFO("instance " << k << ": norms " << r.feature_norms.transpose() << "; D "
                     << r.dimensionality.transpose() << "; gaps " << gaps[0] << " " << gaps[1]
                     << " " << gaps[2] << " " << gaps[3] << " " << gaps[4]);
    CHECK_MESSAGE(true, "");  // keeps INFO attached to the instance in failure output
    pentagons += ok;
  }
  MESSAGE("pentagons: " << pentagons << " of " << c.n_instances);
  CHECK(pentagons >= 5);
}

TEST_CASE("n=2, m=1, sparse: the two features are antipodal, D_i = 1/2") {
  // Instances whose two weights start with the same sign can stick in a local minimum (one
  // feature shrunk, its interference filtered by a negative bias). So the check is that the
  // antipodal solution is reached by a good share of instances and is the best one found:
  // every antipodal instance has a lower loss than every other instance.
  ToyConfig c;
  c.n_features = 2;
  c.n_hidden = 1;
  c.n_instances = 12;
  c.feature_probability = {0.03};
  c.steps = 4000;
  c.lr = 1e-2;
  c.seed = 3;
  ToyModel model(c);
  model.train(c.steps);
  const std::vector<float> loss = model.evaluate(8192);
  int antipodal = 0;
  float worst_antipodal = 0, best_other = 1e30f;
  for (int k = 0; k < c.n_instances; ++k) {
    const ToyReadouts r = compute_readouts(model.W(k));
    const auto W = model.W(k);
    const bool ok = W(0, 0) * W(0, 1) < 0 && r.represented == 2 &&
                    std::fabs(r.dimensionality[0] - 0.5) < 0.05 &&
                    std::fabs(r.dimensionality[1] - 0.5) < 0.05;
    MESSAGE("instance " << k << ": W " << W(0, 0) << " " << W(0, 1) << " loss " << loss[k]
                        << std::string(ok ? " antipodal" : ""));
    antipodal += ok;
    if (ok) worst_antipodal = std::max(worst_antipodal, loss[k]);
    else best_other = std::min(best_other, loss[k]);
  }
  CHECK(antipodal >= c.n_instances / 3);
  CHECK(worst_antipodal < best_other);
}

TEST_CASE("the intro preset shows its text for every seed tried: 2 features, 4 as antipodal pairs, a pentagon" *
          doctest::test_suite("slow")) {
  // Measured with the CLI over seeds 0-19: the sparsest instance (p = 0.02) is a pentagon for
  // 20 of 20; at p = 0.05 (the preset before issue 14) seeds 0, 3, 11 and 19 stopped as two
  // antipodal pairs with the fifth feature shrunk (‖W_4‖ 0.27-0.37), which this test catches.
  const ToyConfig base = ToyConfig::from_json(parse_json(kIntroPresetConfig));
  const int last = base.n_instances - 1;
  int squares = 0;
  constexpr int kSeeds = 6;
  for (int seed = 0; seed < kSeeds; ++seed) {
    CAPTURE(seed);
    ToyConfig c = base;
    c.seed = seed;
    ToyModel model(c);
    model.train(c.steps);
    // Dense (p = 1): the two most important features, nothing else.
    const ToyReadouts dense = compute_readouts(model.W(0));
    CHECK(dense.represented == 2);
    CHECK(dense.feature_norms[0] > 0.5f);
    CHECK(dense.feature_norms[1] > 0.5f);
    // Sparsest: all five on a pentagon.
    INFO("sparsest: norms " << compute_readouts(model.W(last)).feature_norms.transpose());
    CHECK(is_pentagon(model.W(last)));
    bool square = false;
    for (int k = 1; k < last; ++k) square = square || is_square(model.W(k));
    squares += square;
  }
  // In between, four features as two antipodal pairs (19 of seeds 0-19; 5 of 0-5).
  MESSAGE("seeds with a square in between: " << squares << " of " << kSeeds);
  CHECK(squares >= kSeeds - 2);
}

}  // namespace test_toy_paper
