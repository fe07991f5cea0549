// The trained toy-world language model the issue-16 tests share (test_lm_sae_splice.cpp,
// test_lm_saelens.cpp, the dashboard and steering tests): the default architecture (2 layers,
// d_model 64, 4 heads, context 24) trained for a short run (400 AdamW steps of batch 32, about
// 3 s natively), and a ReLU SAE on its blocks.0.hook_resid_post (256 latents, λ 1, 600 steps),
// each trained once per test binary, on first use. The short run already answers most of the
// temperature probe (30 of 36); the full recipe (2000 steps, 3000 SAE steps, several
// seeds) runs in test_lm_sae_trained.cpp, labelled slow. Under the sanitizers both runs are a
// quarter as long (lm_fixture.cpp; CMakeLists.txt leaves the trained-quality case out there).
#pragma once
#include <memory>

#include "lm/lm_activations.hpp"
#include "lm/lm_run.hpp"
#include "sae/sae_trainer.hpp"
#include "session/lm_session.hpp"

namespace superpose::test {

struct TrainedLm {
  LmRunConfig config;
  std::unique_ptr<LmRun> run;  // run->model(), run->corpus(); do not train or edit its parameters
};
TrainedLm& trained_lm();

struct TrainedLmSae {
  std::string hook = "blocks.0.hook_resid_post";
  SaeConfig config;
  std::shared_ptr<LmActivationData> data;  // 512 train windows, 64 held-out windows
  std::unique_ptr<SaeTrainer> trainer;     // trainer->sae(); do not train it further
};
TrainedLmSae& trained_lm_sae();

// The page's recipe for one seed, as a user meets it (slow: about a minute natively): the lm
// session configured {seed, sae_steps 3000, sae_seed} with every other key at its default (the
// default model, 2000 steps; then the SAE stage's ReLU SAE of 256 latents, λ 2, on
// blocks.0.hook_resid_post, 2,560 training and 256 held-out windows), stepped to the end. Each
// seed's session is trained once per test binary, on first use, and shared by test_lm_trained,
// test_lm_sae_trained and test_lm_steering (they read it; they must not train it further).
LmSession& page_recipe(int seed);
constexpr int64_t kPageRecipeSaeSteps = 3000;

// An untrained small model for exact checks (activations, dashboards): 2 layers, d_model 16,
// 4 heads, context 8, on a small toy world (4,000 train and 2,000 held-out tokens, built once).
LmConfig small_lm_config();
const Corpus& small_toy_world();
// That model with every parameter moved by scale · N(0, 1) from Rng(seed): weights larger than
// GPT-2's init and LayerNorm weights away from 1, so positions and tokens differ visibly.
Transformer perturbed_small_model(uint64_t seed, double scale);

}  // namespace superpose::test
