// The toy data: feature probabilities, value ranges, correlated and anticorrelated pairs.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "toy/toy_data.hpp"

namespace test_toy_data {

using namespace superpose;

namespace {
ToyBatch sample(const ToyConfig& c, int batch, uint64_t seed = 1) {
  ToyRng rng(seed, 0);
  ToyBatch b;
  ToyDataGenerator(c).sample(rng, b, batch);
  return b;
}
}  // namespace

TEST_CASE("each feature is active with its instance's probability, with values in [0, 1)") {
  ToyConfig c;
  c.n_features = 7;
  c.n_instances = 3;
  c.feature_probability = {1.0, 0.3, 0.01};
  const ToyBatch b = sample(c, 20000);
  REQUIRE(b.x.size() == 3);
  CHECK_FALSE(b.abs_target);
  for (int k = 0; k < 3; ++k) {
    const Mat x = b.dense(k);
    CHECK(b.dense_target(k) == x);
    CHECK(x.rows() == 7);
    CHECK(x.cols() == 20000);
    CHECK(x.minCoeff() >= 0.f);
    CHECK(x.maxCoeff() < 1.f);
    const double active = static_cast<double>((x.array() > 0.f).count()) / x.size();
    CHECK(active == doctest::Approx(c.probability(k)).epsilon(0.05));
  }
  CHECK(b.x[0].nnz() > 0.99 * 7 * 20000);  // p = 1: dense
}

TEST_CASE("correlated pairs fire together; anticorrelated pairs never do") {
  ToyConfig c;
  c.n_features = 5;  // pairs (0,1), (2,3) and an independent feature 4
  c.feature_probability = {0.2};
  c.correlation = "correlated";
  Mat x = sample(c, 20000).dense(0);
  for (int s = 0; s < x.cols(); ++s) {
    REQUIRE((x(0, s) > 0) == (x(1, s) > 0));
    REQUIRE((x(2, s) > 0) == (x(3, s) > 0));
  }
  CHECK((x.row(4).array() > 0).count() == doctest::Approx(0.2 * 20000).epsilon(0.05));
  c.correlation = "anticorrelated";
  x = sample(c, 20000).dense(0);
  for (int s = 0; s < x.cols(); ++s) {
    REQUIRE(!(x(0, s) > 0 && x(1, s) > 0));
    REQUIRE(!(x(2, s) > 0 && x(3, s) > 0));
  }
  for (int i = 0; i < 4; ++i)  // marginals stay p
    CHECK((x.row(i).array() > 0).count() == doctest::Approx(0.2 * 20000).epsilon(0.06));
}

TEST_CASE("the abs model's inputs are signed and its targets are |x|") {
  ToyConfig c;
  c.model = "abs";
  c.feature_probability = {0.5};
  const ToyBatch b = sample(c, 5000);
  CHECK(b.abs_target);
  CHECK(b.dense(0).minCoeff() < -0.5f);
  CHECK(b.dense(0).maxCoeff() > 0.5f);
  CHECK(b.dense_target(0) == b.dense(0).cwiseAbs());
}

TEST_CASE("the same seed gives the same batch") {
  ToyConfig c;
  c.feature_probability = {0.1};
  CHECK(sample(c, 512, 3).dense(0) == sample(c, 512, 3).dense(0));
  CHECK(sample(c, 512, 3).dense(0) != sample(c, 512, 4).dense(0));
}

TEST_CASE("sparse and dense batches convert both ways, for gap-sampled and drawn instances") {
  ToyConfig c;
  c.n_features = 9;
  c.n_instances = 2;
  c.feature_probability = {0.01, 0.4};  // below and above the gap-sampling threshold
  const ToyBatch b = sample(c, 3000);
  const ToyBatch back = ToyBatch::from_dense({b.dense(0), b.dense(1)}, false);
  for (int k = 0; k < 2; ++k) {
    const std::size_t nnz = b.x[k].nnz();
    CHECK(back.x[k].start == b.x[k].start);
    CHECK(std::equal(b.x[k].index.begin(), b.x[k].index.begin() + nnz, back.x[k].index.begin()));
    CHECK(std::equal(b.x[k].value.begin(), b.x[k].value.begin() + nnz, back.x[k].value.begin()));
    for (int s = 0; s < b.batch_size(); ++s)  // features ascending within each sample
      for (int e = b.x[k].start[s] + 1; e < b.x[k].start[s + 1]; ++e)
        REQUIRE(b.x[k].index[e - 1] < b.x[k].index[e]);
  }
}

TEST_CASE("a share's sample writes its instances as the whole sample does, round after round") {
  // every way an instance is drawn: all active (p = 1), by draws, by gaps; independent, correlated
  // and anticorrelated pairs (these draw their pairs' members from the bits stream); abs values
  for (const char* correlation : {"none", "correlated", "anticorrelated"})
    for (const char* model : {"relu", "abs"}) {
      ToyConfig c;
      c.n_features = 7;
      c.n_instances = 5;
      c.feature_probability = {1, 0.3, 0.05, 0.01, 0.002};
      c.correlation = correlation;
      c.model = model;
      const ToyDataGenerator gen(c);
      // shares as the worker pool gives them: adjacent instances or not (a range too)
      for (const std::vector<int>& share :
           std::vector<std::vector<int>>{{0}, {1, 2}, {2, 3, 4}, {4}, {0, 1, 2, 3, 4}, {0, 2, 4}, {1, 3}}) {
        std::string list;
        for (int k : share) list += std::to_string(k) + " ";
        CAPTURE(correlation);
        CAPTURE(model);
        CAPTURE(list);
        const bool adjacent = share.back() - share.front() + 1 == static_cast<int>(share.size());
        ToyRng whole_rng(4, 1), part_rng(4, 1), range_rng(4, 1);
        ToyBatch whole, part, range;
        for (int round = 0; round < 3; ++round) {  // the streams after each call are the same
          gen.sample(whole_rng, whole, 333);
          gen.sample(part_rng, part, 333, share);
          if (adjacent) gen.sample(range_rng, range, 333, share.front(), share.back() + 1);
          for (int k = 0; k < c.n_instances; ++k) {
            CAPTURE(k);
            if (!std::binary_search(share.begin(), share.end(), k)) {
              CHECK(part.x[k].nnz() == 0);
              continue;
            }
            if (adjacent) CHECK(range.x[k].start == part.x[k].start);
            const std::size_t nnz = whole.x[k].nnz();
            REQUIRE(part.x[k].start == whole.x[k].start);
            CHECK(std::equal(whole.x[k].index.begin(), whole.x[k].index.begin() + nnz, part.x[k].index.begin()));
            CHECK(std::equal(whole.x[k].value.begin(), whole.x[k].value.begin() + nnz, part.x[k].value.begin()));
          }
        }
      }
    }
}

TEST_CASE("each instance has its own stream: its batches do not depend on the other instances") {
  // Instance k's batches come from (seed, use, k) and its own probability only: other instances'
  // probabilities, their number, and whether they are drawn at all change nothing (the worker
  // pool's shards, web/lib/shards.js, rely on it). Instances of equal probability, and the same
  // instance under another use or seed, draw different batches.
  for (const char* correlation : {"none", "correlated", "anticorrelated"}) {
    CAPTURE(correlation);
    ToyConfig a, b;
    a.n_features = b.n_features = 7;
    a.correlation = b.correlation = correlation;
    a.n_instances = 4;
    a.feature_probability = {1, 0.3, 0.01, 0.3};
    b.n_instances = 6;
    b.feature_probability = {0.5, 0.3, 0.01, 0.02, 0.9, 0.001};
    ToyRng rng_a(4, 1), rng_b(4, 1), rng_one(4, 1), rng_use(4, 2), rng_seed(5, 1);
    ToyBatch x_a, x_b, x_one, x_use, x_seed;
    for (int round = 0; round < 3; ++round) {
      ToyDataGenerator(a).sample(rng_a, x_a, 200);
      ToyDataGenerator(b).sample(rng_b, x_b, 200);
      ToyDataGenerator(b).sample(rng_one, x_one, 200, 2, 3);
      ToyDataGenerator(a).sample(rng_use, x_use, 200);
      ToyDataGenerator(a).sample(rng_seed, x_seed, 200);
      for (int k : {1, 2}) {  // the same probability in a and b
        CAPTURE(k);
        CHECK(x_a.dense(k) == x_b.dense(k));
        CHECK(x_a.dense(k) != x_use.dense(k));
        CHECK(x_a.dense(k) != x_seed.dense(k));
      }
      CHECK(x_one.dense(2) == x_a.dense(2));
      CHECK(x_a.dense(1) != x_a.dense(3));  // equal probabilities, independent streams
    }
  }
}

}  // namespace test_toy_data
