// Steering and ablation with a real SAE (sae/) trained on the toy model's hidden activations
// (interp/trained_sae.hpp), instead of the hand-built perfect one: on the sparse pentagon (n=5
// features in m=2 dims) a briefly trained SAE must find the features well enough that steering
// along a latent switches its feature on and ablating latents is far more monosemantic than
// ablating hidden units.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "interp/ablation.hpp"
#include "interp/activation_stats.hpp"
#include "interp/effects.hpp"
#include "interp/interp_data.hpp"
#include "interp/latent_matching.hpp"
#include "interp/steering.hpp"
#include "interp/trained_sae.hpp"
#include "pentagon_fixture.hpp"
#include "toy/toy_model.hpp"

namespace test_interp_sae {

using namespace superpose;
using superpose::test::Pentagon;
using superpose::test::pentagon;

namespace {

SaeView train(const std::string& arch, int64_t steps = 0) {
  const Pentagon& t = pentagon();
  SaeConfig c = interp_sae_defaults(t.config);
  c.arch = arch;
  if (steps > 0) c.steps = steps;
  return trained_sae(t.model, t.config, t.instance, c);
}

// The default SAE, trained once and shared.
const SaeView& default_sae() {
  static const SaeView sae = train("topk");
  return sae;
}

// How many true features have a latent whose decoder column is within cosine `at_least` of them.
int features_found(const SaeView& sae, float at_least) {
  const LatentMatch match = match_latents(sae.W_dec, pentagon().model.feature_directions());
  int found = 0;
  for (int k = 0; k < 5; ++k) {
    const int latent = latent_for_feature(match, k);
    found += latent >= 0 && match.cosine[latent] > at_least;
  }
  return found;
}
}  // namespace

TEST_CASE("a trained SAE (the default: topk, k=1, L=2n) finds the pentagon's features") {
  const Pentagon& t = pentagon();
  REQUIRE(t.model.feature_directions().colwise().norm().minCoeff() > 0.5f);
  // the criterion can fail: one step of training leaves the decoder near its random start
  CHECK(features_found(train("topk", 1), 0.99f) < 5);
  {
    const SaeView& sae = default_sae();
    INFO("W_dec\n" << sae.W_dec);
    CHECK(features_found(sae, 0.99f) == 5);
    REQUIRE(sae.W_dec.rows() == 2);
    REQUIRE(sae.W_dec.cols() == 10);
    const LatentMatch match = match_latents(sae.W_dec, t.model.feature_directions());
    for (int k = 0; k < 5; ++k) {
      const int latent = latent_for_feature(match, k);
      INFO("feature " << k);
      REQUIRE(latent >= 0);
      CHECK(match.cosine[latent] > 0.99f);
    }
    // the encoder is the SAE's: non-negative, and a lone active feature lights its latent most
    const InterpBatch one = draw_interp_batch(t.config, t.instance, 512, 5, kInterpEvalStream);
    const Mat F = sae.encode(t.model.hidden(one.X));
    CHECK(F.minCoeff() >= 0.f);
    int lone = 0, right = 0;
    for (Eigen::Index s = 0; s < one.X.cols(); ++s) {
      if ((one.X.col(s).array() > 0.5f).count() != 1 || (one.X.col(s).array() > 0.f).count() != 1)
        continue;
      Eigen::Index feature, latent;
      one.X.col(s).maxCoeff(&feature);
      F.col(s).maxCoeff(&latent);
      ++lone;
      right += match.feature[latent] == feature;
    }
    REQUIRE(lone > 5);
    CHECK(right >= lone - 1);
  }
}

TEST_CASE("trained SAE: steering along the latent matched to feature k raises output k monotonically") {
  const Pentagon& t = pentagon();
  const SaeView& sae = default_sae();
  const LatentMatch match = match_latents(sae.W_dec, t.model.feature_directions());
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
      INFO("feature " << k << " latent " << latent << " strength " << 0.25 * s);
      CHECK(out_k >= previous);
      previous = out_k;
    }
    const SteerResult r = steer(t.model, x, v, 2.0);
    CHECK(r.after[k] > r.before[k] + 0.5f);
    Eigen::Index top;
    r.after.maxCoeff(&top);
    CHECK(top == k);
  }
}

TEST_CASE("trained SAE: the latents' effects matrix is more diagonal than the hidden units'") {
  const Pentagon& t = pentagon();
  const SaeView& sae = default_sae();
  const InterpBatch ref = draw_interp_batch(t.config, t.instance, 2048, 0, kInterpReferenceStream);
  const InterpBatch data = draw_interp_batch(t.config, t.instance, 2048, 0, kInterpEvalStream);
  const ActivationStats stats = activation_stats(t.model, &sae, ref.X);
  const LatentMatch match = match_latents(sae.W_dec, t.model.feature_directions());
  for (AblationMode mode : {AblationMode::zero, AblationMode::mean}) {
    const Mat latents = effects_matrix(t.model, &sae, stats, AblationTarget::latent, mode, data.X, data.Y, 0);
    const Mat units = effects_matrix(t.model, &sae, stats, AblationTarget::unit, mode, data.X, data.Y, 0);
    REQUIRE(latents.rows() == 10);
    REQUIRE(units.rows() == 2);
    const double dl = diagonality(latents), du = diagonality(units);
    INFO(std::string(to_string(mode)) << ": latents " << dl << ", units " << du << "\n" << latents << "\n" << units);
    CHECK(dl > 0.75);
    CHECK(du < 0.6);
    CHECK(dl > du + 0.3);
    if (mode != AblationMode::zero) continue;
    // zero-ablating a live latent (its largest effect ≥ 10% of the largest anywhere) hurts the
    // feature it matched most, and every feature has such a latent. (Mean-ablating a rarely
    // firing latent shifts every input by its mean: a small effect on several features.)
    const std::vector<int> top = top_features(latents);
    const float biggest = latents.cwiseAbs().maxCoeff();
    std::vector<int> covered(5, 0);
    for (int i = 0; i < 10; ++i) {
      if (latents.row(i).cwiseAbs().maxCoeff() < 0.1f * biggest) continue;
      INFO("latent " << i);
      CHECK(top[i] == match.feature[i]);
      covered[top[i]] = 1;
    }
    CHECK(std::count(covered.begin(), covered.end(), 1) == 5);
  }
}

TEST_CASE("trained_sae names the bad field") {
  const Pentagon& t = pentagon();
  SaeConfig c = interp_sae_defaults(t.config);
  c.arch = "sigmoid";
  CHECK_THROWS_WITH_AS(trained_sae(t.model, t.config, t.instance, c), doctest::Contains("arch"),
                       std::invalid_argument);
  c = interp_sae_defaults(t.config);
  c.n_latents = 0;
  CHECK_THROWS_WITH_AS(trained_sae(t.model, t.config, t.instance, c), doctest::Contains("n_latents"),
                       std::invalid_argument);
}

}  // namespace test_interp_sae
