// Steering and ablation on a trained toy model (issue 6), with the hand-built "perfect" SAE
// (interp/perfect_sae.hpp) standing in for a trained one: the interventions only see SaeView.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "interp/ablation.hpp"
#include "interp/activation_stats.hpp"
#include "interp/effects.hpp"
#include "interp/interp_data.hpp"
#include "interp/latent_matching.hpp"
#include "interp/perfect_sae.hpp"
#include "interp/steering.hpp"
#include "toy/readouts.hpp"
#include "pentagon_fixture.hpp"
#include "toy/toy_model.hpp"

namespace test_interp {

using namespace superpose;
using superpose::test::Pentagon;
using superpose::test::pentagon;

namespace {

bool all_represented(const SplitToyModel& m) {
  return m.feature_directions().colwise().norm().minCoeff() > 0.5f;
}
}  // namespace

TEST_CASE("the split model reproduces the toy model's loss") {
  const Pentagon& t = pentagon();
  REQUIRE(all_represented(t.model));
  const InterpBatch data = draw_interp_batch(t.config, t.instance, 4096, 7, kInterpEvalStream);
  const Vec L = t.model.loss_per_feature(t.model.output(t.model.hidden(data.X)), data.Y);
  CHECK(L.minCoeff() >= 0.f);
  // a trained model reconstructs its sparse inputs well: far below predicting zero everywhere
  const Vec L0 = t.model.loss_per_feature(Mat::Zero(5, data.X.cols()), data.Y);
  CHECK(L.sum() < 0.3f * L0.sum());
}

TEST_CASE("steering with strength 0 changes nothing") {
  const Pentagon& t = pentagon();
  const SaeView sae = perfect_sae(t.model);
  const InterpBatch ref = draw_interp_batch(t.config, t.instance, 2048, 0, kInterpReferenceStream);
  const ActivationStats stats = activation_stats(t.model, &sae, ref.X);
  for (const char* input : {"zero", "sample"}) {
    const Vec x = steering_input(t.config, t.instance, input, 3);
    for (const char* dir : {"latent:2", "feature:1", "unit:0"}) {
      const Vec v = steering_vector(t.model, &sae, stats, parse_steer_target(dir));
      CHECK(v.norm() > 0.1f);
      const SteerResult r = steer(t.model, x, v, 0.0);
      CHECK(r.after == r.before);
      const SteerResult r1 = steer(t.model, x, v, 1.0);
      CHECK((r1.h_after - r1.h_before - v).norm() < 1e-6f);
    }
  }
  CHECK(steering_input(t.config, t.instance, "sample", 3).maxCoeff() > 0.f);
  CHECK(steering_input(t.config, t.instance, "zero", 3).isZero());
}

TEST_CASE("steering along the latent matched to feature k raises output k monotonically") {
  const Pentagon& t = pentagon();
  const SaeView sae = perfect_sae(t.model);
  const LatentMatch match = match_latents(sae.W_dec, t.model.feature_directions());
  for (int k = 0; k < 5; ++k) {
    CHECK(match.feature[k] == k);
    CHECK(match.cosine[k] > 0.999f);
  }
  const InterpBatch ref = draw_interp_batch(t.config, t.instance, 4096, 0, kInterpReferenceStream);
  const ActivationStats stats = activation_stats(t.model, &sae, ref.X);
  const Vec x = Vec::Zero(5);
  for (int k = 0; k < 5; ++k) {
    const int latent = latent_for_feature(match, k);
    REQUIRE(latent >= 0);
    CHECK(stats.latents.max[latent] > 0.5f);
    const Vec v = steering_vector(t.model, &sae, stats, {SteerKind::latent, latent});
    float previous = -1.f;
    for (int s = 0; s <= 8; ++s) {
      const float out_k = steer(t.model, x, v, 0.25 * s).after[k];
      INFO("feature " << k << " strength " << 0.25 * s);
      CHECK(out_k >= previous);
      previous = out_k;
    }
    const SteerResult r = steer(t.model, x, v, 2.0);
    CHECK(r.after[k] > r.before[k] + 0.5f);
    // and it is the top output: the steered feature switches on most
    Eigen::Index top;
    r.after.maxCoeff(&top);
    CHECK(top == k);
  }
}

TEST_CASE("zero-ablation of a latent equals removing its term from the reconstruction") {
  const Pentagon& t = pentagon();
  const SaeView sae = perfect_sae(t.model);
  const InterpBatch ref = draw_interp_batch(t.config, t.instance, 1024, 0, kInterpReferenceStream);
  const InterpBatch data = draw_interp_batch(t.config, t.instance, 512, 0, kInterpEvalStream);
  const ActivationStats stats = activation_stats(t.model, &sae, ref.X);
  const Mat F = sae.encode(t.model.hidden(data.X));  // (L, B)
  for (int i = 0; i < sae.n_latents(); ++i) {
    const Mat removed = sae.decode(F) - sae.W_dec.col(i) * F.row(i);
    const Mat expected = t.model.output(removed);
    const Mat got = ablated_output(t.model, &sae, stats, AblationTarget::latent, i,
                                   AblationMode::zero, data.X, 0);
    CHECK((got - expected).cwiseAbs().maxCoeff() < 1e-5f);
    // and it does change the output (latent i is active somewhere in the batch)
    CHECK((got - clean_output(t.model, &sae, AblationTarget::latent, data.X)).cwiseAbs().maxCoeff() > 0.1f);
  }
}

TEST_CASE("mean ablation leaves the mean output unchanged to first order") {
  // In a linear model the output is affine in h (and in f), so replacing a value by its mean over
  // the data leaves the mean output exactly unchanged; zero ablation does not.
  ToyConfig c;
  c.n_features = 5;
  c.n_hidden = 2;
  c.model = "linear";
  c.feature_probability = {0.2};
  c.steps = 300;
  c.lr = 1e-2;
  ToyModel toy(c);
  toy.train(c.steps);
  const SplitToyModel model = SplitToyModel::from(toy, 0);
  const SaeView sae = perfect_sae(model);
  const InterpBatch data = draw_interp_batch(c, 0, 2048, 0, kInterpEvalStream);
  const ActivationStats stats = activation_stats(model, &sae, data.X);  // means over this data
  for (AblationTarget target : {AblationTarget::unit, AblationTarget::latent}) {
    const int rows = target == AblationTarget::unit ? 2 : 5;
    const Vec clean_mean = clean_output(model, &sae, target, data.X).rowwise().mean();
    float largest_zero_change = 0.f;
    for (int r = 0; r < rows; ++r) {
      INFO(std::string(to_string(target)) << " " << r);
      const Vec mean_ablated =
          ablated_output(model, &sae, stats, target, r, AblationMode::mean, data.X, 0).rowwise().mean();
      const Vec zero_ablated =
          ablated_output(model, &sae, stats, target, r, AblationMode::zero, data.X, 0).rowwise().mean();
      CHECK((mean_ablated - clean_mean).cwiseAbs().maxCoeff() < 1e-5f);
      // zero ablation moves the mean output by exactly the row's mean contribution
      const Vec dir = target == AblationTarget::unit ? Vec(Vec::Unit(2, r)) : Vec(sae.W_dec.col(r));
      const float mean_r = target == AblationTarget::unit ? stats.units.mean[r] : stats.latents.mean[r];
      CHECK((zero_ablated - clean_mean + model.W_out * dir * mean_r).cwiseAbs().maxCoeff() < 1e-5f);
      largest_zero_change = std::max(largest_zero_change, (zero_ablated - clean_mean).cwiseAbs().maxCoeff());
    }
    CHECK(largest_zero_change > 0.02f);
  }
}

TEST_CASE("resample ablation is seeded and reproducible") {
  const Pentagon& t = pentagon();
  const SaeView sae = perfect_sae(t.model);
  const InterpBatch ref = draw_interp_batch(t.config, t.instance, 1024, 0, kInterpReferenceStream);
  const InterpBatch data = draw_interp_batch(t.config, t.instance, 1024, 0, kInterpEvalStream);
  const ActivationStats stats = activation_stats(t.model, &sae, ref.X);
  for (AblationTarget target : {AblationTarget::unit, AblationTarget::latent}) {
    const Mat a = ablated_output(t.model, &sae, stats, target, 1, AblationMode::resample, data.X, 5);
    const Mat b = ablated_output(t.model, &sae, stats, target, 1, AblationMode::resample, data.X, 5);
    const Mat c = ablated_output(t.model, &sae, stats, target, 1, AblationMode::resample, data.X, 6);
    CHECK(a == b);
    CHECK(a != c);
    // one row alone equals that row of the full effects matrix
    const Vec one = ablation_loss_change(t.model, &sae, stats, target, 1, AblationMode::resample,
                                         data.X, data.Y, 5);
    const Mat all = effects_matrix(t.model, &sae, stats, target, AblationMode::resample, data.X, data.Y, 5);
    CHECK((all.row(1).transpose() - one).cwiseAbs().maxCoeff() < 1e-7f);
  }
  // the resampled values come from the reference activations
  Mat H = t.model.hidden(data.X);
  ablate_row(H, 0, AblationMode::resample, stats.units, 9);
  for (Eigen::Index b = 0; b < 20; ++b)
    CHECK((stats.units.reference.row(0).array() == H(0, b)).any());
}

TEST_CASE("the effects matrix of a good SAE is more diagonal than that of hidden units") {
  const Pentagon& t = pentagon();
  const SaeView sae = perfect_sae(t.model);
  const InterpBatch ref = draw_interp_batch(t.config, t.instance, 4096, 0, kInterpReferenceStream);
  const InterpBatch data = draw_interp_batch(t.config, t.instance, 4096, 0, kInterpEvalStream);
  const ActivationStats stats = activation_stats(t.model, &sae, ref.X);
  for (AblationMode mode : {AblationMode::zero, AblationMode::mean, AblationMode::resample}) {
    const Mat latents = effects_matrix(t.model, &sae, stats, AblationTarget::latent, mode, data.X, data.Y, 0);
    const Mat units = effects_matrix(t.model, &sae, stats, AblationTarget::unit, mode, data.X, data.Y, 0);
    REQUIRE(latents.rows() == 5);
    REQUIRE(units.rows() == 2);
    const double dl = diagonality(latents), du = diagonality(units);
    INFO(std::string(to_string(mode)) << ": latents " << dl << ", units " << du << "\n" << latents << "\n" << units);
    CHECK(dl > 0.8);
    CHECK(du < 0.6);
    CHECK(dl > du + 0.3);
    // latent i hurts feature i most: sorted by top feature, the rows are 0..4
    const std::vector<int> top = top_features(latents);
    for (int i = 0; i < 5; ++i) CHECK(top[i] == i);
    // ablating a hidden unit hurts several features (polysemantic): ≥ 3 get ≥ 10% of the top
    for (int j = 0; j < 2; ++j) {
      const Eigen::RowVectorXf row = units.row(j).cwiseAbs();
      CHECK((row.array() >= 0.1f * row.maxCoeff()).count() >= 3);
    }
  }
}

TEST_CASE("diagonality and the diagonal order on hand-made matrices") {
  Mat E(4, 3);
  E << 0, 0, 2,   //
      1, 0, 0,    //
      0, 0, 0,    // dead
      0.5, 0.5, 0;
  CHECK(diagonality(E) == doctest::Approx((1.0 + 1.0 + 0.5) / 3));
  CHECK(top_features(E) == std::vector<int>{2, 0, -1, 0});
  CHECK(diagonal_order(E) == std::vector<int>{1, 3, 0, 2});
  CHECK(diagonality(Mat::Zero(2, 3)) == 0.0);
  CHECK(diagonality(Mat::Identity(3, 3)) == doctest::Approx(1.0));
  CHECK(diagonality(Mat::Ones(2, 4)) == doctest::Approx(0.25));
}

TEST_CASE("interventions name the bad field") {
  const Pentagon& t = pentagon();
  const SaeView sae = perfect_sae(t.model);
  const InterpBatch ref = draw_interp_batch(t.config, t.instance, 64, 0, kInterpReferenceStream);
  const ActivationStats stats = activation_stats(t.model, &sae, ref.X);
  CHECK_THROWS_WITH_AS(steering_vector(t.model, &sae, stats, {SteerKind::latent, 5}),
                       "latent must be in [0, n_latents-1=4] (got 5)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(steering_vector(t.model, &sae, stats, {SteerKind::unit, 2}),
                       "unit must be in [0, n_hidden-1=1] (got 2)", std::invalid_argument);
  CHECK_THROWS_AS(steering_vector(t.model, nullptr, stats, {SteerKind::latent, 0}), std::invalid_argument);
  CHECK_THROWS_AS(parse_steer_target("neuron:1"), std::invalid_argument);
  CHECK_THROWS_AS(parse_steer_target("unit:"), std::invalid_argument);
  CHECK_THROWS_AS(parse_steer_target("unit:-1"), std::invalid_argument);
  CHECK(to_string(parse_steer_target("feature:3")) == "feature:3");
  CHECK_THROWS_WITH_AS(parse_ablation_mode("half"), "mode must be one of zero|mean|resample (got \"half\")",
                       std::invalid_argument);
  CHECK_THROWS_AS(ablated_output(t.model, nullptr, stats, AblationTarget::latent, 0, AblationMode::zero,
                                 ref.X, 0), std::invalid_argument);
  CHECK_THROWS_AS(steering_input(t.config, t.instance, "ones", 0), std::invalid_argument);
}

}  // namespace test_interp
