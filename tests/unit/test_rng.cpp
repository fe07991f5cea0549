// The seeded RNG: golden streams (the same numbers natively and in wasm: this file runs in both),
// ranges, and the moments of the derived distributions.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <iomanip>
#include <vector>

#include "core/rng.hpp"
#include "core/uniform_block.hpp"

namespace test_rng {

using superpose::Rng;

TEST_CASE("the integer stream is pinned (identical natively and in wasm)") {
  Rng rng(42, 0);
  const uint64_t golden[] = {0x15780b2e0c2ec716ull, 0x6104d9866d113a7eull, 0xae17533239e499a1ull, 0xecb8ad4703b360a1ull, 0xfde6dc7fe2ec5e64ull, 0xc50da53101795238ull};
  for (uint64_t g : golden) CHECK(rng.next_u64() == g);
  Rng other(42, 1);
  CHECK(other.next_u64() != Rng(42, 0).next_u64());  // streams differ
}

TEST_CASE("uniform floats are in [0, 1) and pinned") {
  Rng rng(7);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const float u = rng.uniform();
    REQUIRE(u >= 0.f);
    REQUIRE(u < 1.f);
    sum += u;
  }
  CHECK(sum / 100000 == doctest::Approx(0.5).epsilon(0.01));
  Rng a(7), b(7);
  for (int i = 0; i < 1000; ++i) REQUIRE(a.uniform() == b.uniform());
}

TEST_CASE("below(n) is in range and unbiased") {
  Rng rng(9);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) {
    const uint32_t v = rng.below(3);
    REQUIRE(v < 3);
    ++counts[v];
  }
  for (int c : counts) CHECK(c == doctest::Approx(10000).epsilon(0.05));
}

TEST_CASE("normal() has mean 0 and variance 1") {
  Rng rng(11);
  double s = 0, s2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal();
    s += x;
    s2 += x * x;
  }
  CHECK(std::fabs(s / n) < 0.01);
  CHECK(s2 / n == doctest::Approx(1.0).epsilon(0.01));
}

TEST_CASE("geometric gaps give Bernoulli(p) hits at rate p") {
  for (double p : {0.5, 0.05, 0.001}) {
    Rng rng(13);
    const double log1mp = std::log1p(-p);
    int64_t position = -1, hits = 0;
    const int64_t length = 4000000;
    while (true) {
      position += 1 + rng.geometric_gap(log1mp);
      if (position >= length) break;
      ++hits;
    }
    CHECK(static_cast<double>(hits) / length == doctest::Approx(p).epsilon(0.05));
  }
}


TEST_CASE("UniformBlock's SIMD fill matches its scalar twin, and its stream is pinned") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{16},
                        std::size_t{17}, std::size_t{100}, std::size_t{1024}}) {
    superpose::UniformBlock a(5, 1), b(5, 1);
    std::vector<float> x(n), y(n);
    for (int round = 0; round < 3; ++round) {
      a.fill(x.data(), n);
      b.fill_ref(y.data(), n);
      REQUIRE(x == y);
    }
  }
  superpose::UniformBlock g(42, 0);
  std::vector<float> v(20000);
  g.fill(v.data(), v.size());
  double sum = 0;
  for (float u : v) {
    REQUIRE(u >= 0.f);
    REQUIRE(u < 1.f);
    sum += u;
  }
  CHECK(sum / v.size() == doctest::Approx(0.5).epsilon(0.01));
  // Pinned: the same first values natively and in wasm (the file runs in both).
  superpose::UniformBlock pinned(1, 2);
  float first[3];
  pinned.fill(first, 3);
  MESSAGE(std::setprecision(9) << "UniformBlock(1, 2) first values: " << first[0] << " " << first[1] << " " << first[2]);
  CHECK(first[0] == 0.276482463f);
  CHECK(first[1] == 0.194407463f);
}

}  // namespace test_rng
