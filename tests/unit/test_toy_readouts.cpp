// The paper's measures on hand-built geometries with known answers.
#include <doctest/doctest.h>

#include <cmath>

#include "toy/readouts.hpp"

namespace test_toy_readouts {

using namespace superpose;

TEST_CASE("a regular pentagon: D_i = 2/5, dims per feature = 2/5") {
  Mat W(2, 5);
  for (int i = 0; i < 5; ++i) {
    W(0, i) = static_cast<float>(std::cos(2 * M_PI * i / 5));
    W(1, i) = static_cast<float>(std::sin(2 * M_PI * i / 5));
  }
  const ToyReadouts r = compute_readouts(W);
  for (int i = 0; i < 5; ++i) {
    CHECK(r.feature_norms[i] == doctest::Approx(1.0));
    CHECK(r.dimensionality[i] == doctest::Approx(0.4));
    CHECK(r.interference[i] == doctest::Approx(1.5));  // 2cos²72° + 2cos²144°
  }
  CHECK(r.dims_per_feature == doctest::Approx(0.4));
  CHECK(r.represented == 5);
}

TEST_CASE("an antipodal pair: D = 1/2; orthogonal features: D = 1; an absent feature: D = 0") {
  Mat W(2, 4);
  W << 1, -1, 0, 0,
       0, 0, 2, 0;
  const ToyReadouts r = compute_readouts(W);
  CHECK(r.dimensionality[0] == doctest::Approx(0.5));
  CHECK(r.dimensionality[1] == doctest::Approx(0.5));
  CHECK(r.dimensionality[2] == doctest::Approx(1.0));
  CHECK(r.interference[2] == doctest::Approx(0.0));
  CHECK(r.dimensionality[3] == 0.0f);
  CHECK(r.interference[3] == 0.0f);
  CHECK(r.feature_norms[2] == doctest::Approx(2.0));
  CHECK(r.WtW(0, 1) == doctest::Approx(-1.0));
  CHECK(r.dims_per_feature == doctest::Approx(2.0 / 6.0));
  CHECK(r.represented == 3);
}

}  // namespace test_toy_readouts
