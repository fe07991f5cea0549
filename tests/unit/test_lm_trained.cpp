// The default language model trained as the page and the CLI train it (issue 15's known result):
// on the toy world, 2 layers, d_model 64, 4 heads, context 24, 2000 AdamW steps, it answers the
// temperature probe ("in S the weather in C is", 36 prompts) with ≥ 34 right for most seeds,
// completes "the weather in california is" with "hot", and needs its first layer's heads:
// zero-ablating all of them at once raises the held-out loss.
// Seeds 0, 1 and 2 (at least 2 of the 3 must pass). The models are the page's, trained once by
// the lm session (lm_fixture.hpp page_recipe) and shared with the other slow lm tests. Native
// only (CMakeLists.txt): in wasm the page's own seed example trains the same recipe and checks
// the held-out loss, the probe and "hot" (tests/web/browser/lm.test.mjs); the layer-0
// ablation is checked here alone.
#include <doctest/doctest.h>

#include <string>

#include "lm/lm_probe.hpp"
#include "lm/sampler.hpp"
#include "lm/toy_world.hpp"
#include "lm_fixture.hpp"
#include "tolerance.hpp"

namespace test_lm_trained {

using namespace superpose;

TEST_CASE("lm trained: the default passes the temperature probe and says hot for california" *
          doctest::test_suite("slow")) {
  const std::vector<int> seeds = {0, 1, 2};
  int passed = 0;
  for (int seed : seeds) {
    LmRun& run = test::page_recipe(seed).run();
    const ProbeResult probe = temperature_probe_result(run.model(), run.corpus());
    const std::vector<int32_t> ids = run.corpus().encode(california_probe().prompt);
    const std::vector<float> p = next_token_probs(run.model(), ids.data(), static_cast<int>(ids.size()));
    const int32_t hot = run.corpus().tokenizer.id_of("hot");
    const double eval = run.eval_loss();
    MESSAGE("seed " << seed << ": probe " << probe.correct << "/" << probe.total << ", P(hot | california) "
                    << p[hot] << ", held-out loss " << eval);
    CHECK(top_tokens(p, 1)[0].token == hot);
    CHECK(eval < 1.6);  // ln 75 = 4.32 untrained; the toy world's entropy floor is 1.07
    passed += probe.correct >= 34;

    if (seed == 0) {
      // all of layer 0's heads zero-ablated at once: the held-out loss rises
      HookSpec spec;
      spec.edits.push_back(HookEdit{block_hook(0, "attn.hook_result"), -1, {}, HookOp::zero, {}});
      Transformer& m = run.model();
      const int B = run.config().eval_batch, T = run.eval_T();
      const double clean = m.forward(run.eval_x().data(), run.eval_y().data(), B, T);
      const double ablated = m.forward(run.eval_x().data(), run.eval_y().data(), B, T, &spec);
      MESSAGE("layer 0 heads zero-ablated: held-out loss " << clean << " -> " << ablated);
      CHECK(ablated > clean + 0.1);
    }
  }
  CHECK(2 * passed > static_cast<int>(seeds.size()));
}

}  // namespace test_lm_trained
