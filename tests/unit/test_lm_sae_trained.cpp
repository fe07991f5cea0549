// Issue 16's recipe end to end: an SAE trained on a trained language model's residual stream
// finds the toy world's "cold" feature, and steering along it turns "hot" into "cold".
//  - fast (the shared fixture of lm_fixture.hpp: a short LM run, a short SAE run): the SAE
//    reconstructs the stream (FVE, ce_loss_score high, KL low) and some latent fires where
//    predicts_cold holds ten times as often as the label's base rate;
//  - slow: the page's recipe (lm_fixture.hpp page_recipe: the lm session's default model, 2000
//    steps, then its SAE stage: a ReLU SAE of 256 latents on blocks.0.hook_resid_post, 61,440
//    activations, 3000 steps, unit-norm decoder, λ = kRecipeL1) for seeds 0, 1, 2 (native only,
//    as test_lm_trained.cpp); for most seeds the latent that best matches predicts_cold ("the temperature being
//    predicted is cold": F1 on 256 held-out windows, firing above 0.2 of its max as the
//    dashboard counts it) has precision and recall ≥ 0.8, the bar (the label holds at
//    ~1.5% of tokens), and adding strength 8 · its max activation · W_dec[:, i] at the last token
//    of "the weather in california is" makes "cold" the most probable next token where "hot" was.
// Measured (native, 2026-11-28), P/R at f > 0.2 max: seed 0 latent 238 1.00/0.86, seed 1 latent
// 135 1.00/0.85, seed 2 latent 194 0.91/0.94; strength 8: P(cold) 0.983, 0.982, 0.986. Counting
// every f > 0, the best latents scored 0.81/0.79, 0.63/0.88, 0.53/0.93: a ReLU SAE with L1 fires
// faintly at many tokens near its feature. Before predicts_cold required the prefix to
// fix the temperature (it marked every token followed by "cold", also "in berlin it is | cold in
// winter"), recall was capped near 0.83.
#include <doctest/doctest.h>

#include <vector>

#include "lm/feature_dashboard.hpp"
#include "lm/lm_probe.hpp"
#include "lm/lm_sae_splice.hpp"
#include "lm/lm_steering.hpp"
#include "lm/sampler.hpp"
#include "lm/toy_world.hpp"
#include "lm_fixture.hpp"
#include "sae/sae_metrics.hpp"
#include "tolerance.hpp"

namespace test_lm_sae_trained {

using namespace superpose;

namespace {
constexpr double kRecipeL1 = 2.0;
const std::string kHook = "blocks.0.hook_resid_post";
}  // namespace

TEST_CASE("lm sae trained: the fixture's SAE reconstructs the stream and finds a cold latent") {
  test::TrainedLmSae& f = test::trained_lm_sae();
  LmRun& run = *test::trained_lm().run;
  Sae& sae = f.trainer->sae();
  const LmActivationSet& held = f.data->heldout_set();
  const SaeMetrics m = compute_sae_metrics(sae, held.X, f.data->true_features());
  const LmWindows w = heldout_windows(run.corpus(), run.model().config().context, 32, 0);
  const SpliceMetrics s = splice_metrics(run.model(), sae, f.hook, w.x.data(), w.y.data(), w.B, w.T);
  const LatentCodes codes = encode_set(sae, held);
  const LabelCounts counts = count_labels(codes, held, static_cast<int>(run.corpus().labels.size()));
  const int cold = toy_label::predicts_cold;
  const int i = best_latent_for_label(codes, counts, cold);
  REQUIRE(i >= 0);
  const LabelMatch match = label_match(codes, counts, i, cold);
  MESSAGE("fixture SAE: FVE " << m.fve << ", L0 " << m.l0 << ", dead " << m.dead_fraction << ", ce_loss_score "
                              << s.ce_loss_score << ", KL " << s.kl << "; predicts_cold: latent " << i << " P "
                              << match.precision << " R " << match.recall);
  CHECK(m.fve > 0.8);
  CHECK(m.l0 < 64);
  CHECK(s.ce_loss_score > 0.8);
  CHECK(s.kl < 1.0);
  // predicts_cold holds at ~2% of tokens; the latent fires where it holds ten times as often
  const double base_rate = static_cast<double>(counts.label_total[cold]) / held.size();
  MESSAGE("predicts_cold base rate " << base_rate);
  CHECK(base_rate < 0.05);
  CHECK(match.precision > 10 * base_rate);
  CHECK(match.recall > 0.5);
}

TEST_CASE("lm sae trained: for most seeds the cold latent has P >= 0.8 and R >= 0.8 and steers hot to cold" *
          doctest::test_suite("slow")) {
  const std::vector<int> seeds = {0, 1, 2};
  int passed = 0;
  for (int seed : seeds) {
    LmSession& session = test::page_recipe(seed);  // the page's model and SAE (lm_fixture.hpp)
    LmRun& run = session.run();
    Transformer& model = run.model();
    const Corpus* corpus = &run.corpus();
    const uint64_t s = static_cast<uint64_t>(seed);
    REQUIRE(session.sae() != nullptr);
    LmSaeStage& stage = *session.sae();
    CHECK(stage.config().l1 == kRecipeL1);
    CHECK(stage.step() == test::kPageRecipeSaeSteps);
    Sae& sae = stage.trainer().sae();
    const LmActivationData* data = &stage.data();

    const LmActivationSet& held = data->heldout_set();
    const SaeMetrics m = compute_sae_metrics(sae, held.X, data->true_features());
    const LmWindows w = heldout_windows(*corpus, model.config().context, 64, s);
    const SpliceMetrics sp = splice_metrics(model, sae, kHook, w.x.data(), w.y.data(), w.B, w.T);
    const LatentCodes codes = encode_set(sae, held);
    const LabelCounts counts = count_labels(codes, held, static_cast<int>(corpus->labels.size()));
    const int i = best_latent_for_label(codes, counts, toy_label::predicts_cold);
    REQUIRE(i >= 0);
    const LabelMatch match = label_match(codes, counts, i, toy_label::predicts_cold);
    float max_activation = 0;
    for (const LatentSummary& l : latent_list(codes, counts))
      if (l.index == i) max_activation = l.max_activation;

    Steering steer;
    steer.vector = latent_steering(sae, model, kHook, i, max_activation);
    steer.strength = 8;
    const std::vector<int32_t> prompt = corpus->encode(california_probe().prompt);
    const SteeringResult r = steer_lm(model, prompt, steer, 2, 0);
    const int32_t hot = corpus->tokenizer.id_of("hot"), cold = corpus->tokenizer.id_of("cold");
    MESSAGE("seed " << seed << ": FVE " << m.fve << ", L0 " << m.l0 << ", dead " << m.dead_fraction
                    << ", ce_loss_score " << sp.ce_loss_score << ", KL " << sp.kl << "; predicts_cold latent " << i
                    << ": P " << match.precision << ", R " << match.recall << ", max " << max_activation
                    << "; california: hot " << r.probs_before[hot] << " cold " << r.probs_before[cold]
                    << " -> (strength 8) hot " << r.probs_after[hot] << " cold " << r.probs_after[cold]);
    CHECK(m.fve > 0.8);
    CHECK(sp.ce_loss_score > 0.9);
    CHECK(r.top_before[0].token == hot);
    passed += match.precision >= 0.8 && match.recall >= 0.8 && r.top_after[0].token == cold;
  }
  CHECK(2 * passed > static_cast<int>(seeds.size()));
}

}  // namespace test_lm_sae_trained
