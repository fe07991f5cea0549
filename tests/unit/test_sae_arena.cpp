// The ARENA toy-model SAE story (issue 5; ARENA 1.3.1 "Sparse Autoencoders in Toy Models"):
// 5 features in 2 hidden dims with feature probability 0.025, a ReLU SAE of 5 latents from the
// independent random init (init = "random"). Without resampling some latents die (and some
// live ones turn polysemantic), so fewer than 5 features are recovered; resampling dead latents
// brings them back and recovers 5/5. Also: the init option itself (its layout, validation, JSON).
//
// Thresholds come from measuring seeds 0–29 with these settings (the CLI: superpose sae --data
// toy --input-dim 2 --true-features 5 --active 0.125 --latents 5 --init random --l1 0.6 --lr 1e-2
// --steps 6000 --batch 512 --dead-window 100 --resample-every 500): without resampling 24/30 seeds
// recover < 5 features and the mean dead fraction is 0.21; with it 30/30 recover 5/5. On the
// seeds used here (0–5): without, recovered 3,5,4,5,4,3 of 5 with 2,0,1,0,1,1 dead; with, 5/5
// and no dead latent on all six.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "core/check.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"
#include "sae/toy_activations.hpp"

namespace test_sae_arena {

using namespace superpose;

namespace {
// The sae page's toy preset (web/pages/sae/sae.js ARENA).
SaeConfig arena(int64_t seed, bool resample) {
  SaeConfig c;
  c.arch = "relu";
  c.data = "toy";
  c.input_dim = 2;
  c.true_features = 5;
  c.active = 0.125;  // feature probability 0.025
  c.n_latents = 5;
  c.init = "random";
  c.l1 = 0.6;
  c.lr = 1e-2;
  c.batch_size = 512;
  c.steps = 6000;
  c.dead_window = 100;
  c.resample_every = 500;
  c.resample = resample;
  c.seed = seed;
  return c;
}

SaeMetrics trained(const SaeConfig& c, const std::shared_ptr<SaeData>& data) {
  SaeTrainer trainer(c, data);
  trainer.train(c.steps);
  return compute_sae_metrics(trainer.sae(), data->held_out(4096), data->true_features());
}
}  // namespace

TEST_CASE("arena: without resampling latents die; with it 5/5 features are recovered" *
          doctest::test_suite("slow")) {
  constexpr int kSeeds = 6;
  int short_without = 0, full_with = 0;
  double dead_without = 0, dead_with = 0;
  for (int seed = 0; seed < kSeeds; ++seed) {
    const std::shared_ptr<SaeData> data = make_sae_data(arena(seed, false));
    const SaeMetrics without = trained(arena(seed, false), data);
    const SaeMetrics with = trained(arena(seed, true), data);
    CAPTURE(seed);
    CAPTURE(without.recovered_fraction);
    CAPTURE(with.recovered_fraction);
    short_without += without.recovered_fraction < 1.0;
    full_with += with.recovered_fraction == 1.0;
    dead_without += without.dead_fraction / kSeeds;
    dead_with += with.dead_fraction / kSeeds;
  }
  // Measured: 4 of 6 short, mean dead 0.2; with resampling 6 of 6 at 5/5, none dead.
  CHECK(short_without >= 3);
  CHECK(dead_without >= 0.1);
  CHECK(full_with >= 5);
  CHECK(dead_with <= 0.05);
}

TEST_CASE("arena: init random draws W_enc and W_dec independently, with zero biases") {
  SaeConfig c = arena(3, true);
  const Vec mean = Vec::Constant(2, 0.5f);
  std::unique_ptr<Sae> sae = make_sae(c, 2, mean);
  CHECK(sae->b_enc().isZero());
  CHECK(sae->b_dec().isZero());  // not the data mean
  for (int i = 0; i < 5; ++i) CHECK(sae->W_dec().col(i).norm() == doctest::Approx(1.0).epsilon(1e-5));
  CHECK((sae->W_enc_t() - sae->W_dec()).norm() > 0.1);
  // Kaiming-uniform with fan_in = d = 2: entries in [−√3, √3].
  CHECK(sae->W_enc_t().cwiseAbs().maxCoeff() <= std::sqrt(3.0f));
  // The same seed gives the same init; tied stays tied with b_dec = the mean.
  CHECK(make_sae(c, 2, mean)->params() == sae->params());
  c.init = "tied";
  std::unique_ptr<Sae> tied = make_sae(c, 2, mean);
  CHECK(tied->W_enc_t() == tied->W_dec());
  CHECK(tied->b_dec() == mean);
}

TEST_CASE("arena: init is validated, and travels through JSON") {
  SaeConfig c;
  CHECK(c.init == "tied");
  c.init = "kaiming";
  CHECK_THROWS_WITH_AS(c.validate(), "init must be one of tied, random (got \"kaiming\")", std::invalid_argument);
  c.init = "random";
  const Json j = c.to_json();
  CHECK(j.at("init") == "random");
  CHECK(SaeConfig::from_json(j).init == "random");
  CHECK(SaeConfig::from_json(Json::object()).init == "tied");
}

}  // namespace test_sae_arena
