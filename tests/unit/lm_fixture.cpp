// The shared trained language model and SAE of lm_fixture.hpp (no test cases here).
#include "lm_fixture.hpp"

#include "lm/toy_world.hpp"

namespace superpose::test {

TrainedLm& trained_lm() {
  static TrainedLm t = [] {
    TrainedLm t;
    t.config.model.steps = 400;
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
    s.config.steps = 600;
    s.config.batch_size = 512;
    s.config.l1_warmup_steps = 100;
    s.config.seed = 0;
    s.trainer = std::make_unique<SaeTrainer>(s.config, s.data);
    s.trainer->train(s.config.steps);
    return s;
  }();
  return s;
}

}  // namespace superpose::test
