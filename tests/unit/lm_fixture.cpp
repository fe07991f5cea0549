// The shared trained language model and SAE of lm_fixture.hpp (no test cases here).
#include "lm_fixture.hpp"

#include <map>

#include "lm/toy_world.hpp"

namespace superpose::test {

namespace {
#ifdef SUPERPOSE_SANITIZED_TESTS
// Under the sanitizers a quarter of the training (CMakeLists.txt): the trained-quality case
// ("lm sae trained: the fixture's ...") is left to the plain runs there.
constexpr int64_t kLmSteps = 100, kSaeSteps = 150, kSaeWarmup = 25;
#else
constexpr int64_t kLmSteps = 400, kSaeSteps = 600, kSaeWarmup = 100;
#endif
}  // namespace

TrainedLm& trained_lm() {
  static TrainedLm t = [] {
    TrainedLm t;
    t.config.model.steps = kLmSteps;
    t.config.model.batch_size = 32;
    t.config.model.seed = 0;
    t.config.validate();
    auto corpus = std::make_shared<const Corpus>(make_toy_world(t.config.world));
    t.run = std::make_unique<LmRun>(t.config, corpus);
    while (!t.run->done()) t.run->train(100);
    return t;
  }();
  return t;
}

TrainedLmSae& trained_lm_sae() {
  static TrainedLmSae s = [] {
    TrainedLmSae s;
    LmRun& run = *trained_lm().run;
    s.data = std::make_shared<LmActivationData>(
        collect_activations(run.model(), run.corpus(), s.hook, Split::train, 512, 0),
        collect_activations(run.model(), run.corpus(), s.hook, Split::heldout, 64, 0), 0);
    s.config.arch = "relu";
    s.config.n_latents = 256;
    s.config.l1 = 1.0;
    s.config.steps = kSaeSteps;
    s.config.batch_size = 512;
    s.config.l1_warmup_steps = kSaeWarmup;
    s.config.seed = 0;
    s.trainer = std::make_unique<SaeTrainer>(s.config, s.data);
    s.trainer->train(s.config.steps);
    return s;
  }();
  return s;
}

LmSession& page_recipe(int seed) {
  static std::map<int, std::unique_ptr<LmSession>> sessions;
  std::unique_ptr<LmSession>& s = sessions[seed];
  if (!s) {
    s = std::make_unique<LmSession>();
    s->configure(Json{{"seed", seed}, {"sae_steps", kPageRecipeSaeSteps}, {"sae_seed", seed}});
    while (!s->progress().done) s->step(500);
  }
  return *s;
}

LmConfig small_lm_config() {
  LmConfig c;
  c.n_layers = 2;
  c.d_model = 16;
  c.n_heads = 4;
  c.context = 8;
  return c;
}

const Corpus& small_toy_world() {
  static const Corpus c = [] {
    ToyWorldConfig w;
    w.train_tokens = 4000;
    w.heldout_tokens = 2000;
    return make_toy_world(w);
  }();
  return c;
}

Transformer perturbed_small_model(uint64_t seed, double scale) {
  Transformer m(small_lm_config(), small_toy_world().vocab_size());
  Rng rng(seed);
  for (float& x : m.params()) x += static_cast<float>(scale * rng.normal());
  return m;
}

}  // namespace superpose::test
