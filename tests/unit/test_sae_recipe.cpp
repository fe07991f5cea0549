// The W2 recipe (issue 14, item 5): the SaeConfig defaults (256 true unit features in d = 64, 5
// active on average; a ReLU SAE of 512 latents, λ 0.3, Adam with its schedule over 3000 steps,
// batch 1024) learn the true features as well as the PyTorch reference at the same number of
// steps. The reference is bench/peers/torch_w2.py, the same recipe written independently.
//
// Measured (3000 steps; MMCS, L0, FVE on held-out samples):
//   lr 1e-3 (the default before):  PyTorch seed 0: 0.593, 34.0, 0.655
//                                  Superpose seeds 0, 1, 2, 11: MMCS 0.617, 0.627, 0.616, 0.640,
//                                  L0 32.3–33.3, FVE 0.665–0.672
//   lr 3e-3 (the default now):     PyTorch seeds 0, 1, 2: MMCS 0.950, 0.935, 0.949,
//                                  L0 16.4, 17.4, 16.5, FVE 0.785, 0.776, 0.781
//                                  (MMCS 0.9 first at steps 2050, 2300, 2050)
//                                  Superpose seeds 0, 1, 2, 11: MMCS 0.979, 0.986, 0.978, 0.985,
//                                  L0 14.1–15.2, FVE 0.801–0.808
// The thresholds are the reference's worst seed with a margin for seed spread (and far from what
// lr 1e-3 reaches): MMCS ≥ 0.93, L0 ≤ 18, FVE ≥ 0.77.
// Cost: one W2 run of 3000 steps: 5.3 s of CPU natively on a loaded machine (3.3 s and 7.2 s in
// wasm at the README's native and wasm speeds, 900 and 416 steps/s).
#include <doctest/doctest.h>

#include <memory>

#include "sae/sae_data.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"

namespace test_sae_recipe {

using namespace superpose;

TEST_CASE("W2 recipe: the default ReLU SAE learns the true features as the PyTorch reference does in 3000 steps" *
          doctest::test_suite("slow")) {
  const SaeConfig c;  // the defaults are W2
  REQUIRE(c.arch == "relu");
  REQUIRE(c.data == "synthetic");
  REQUIRE(c.input_dim == 64);
  REQUIRE(c.true_features == 256);
  REQUIRE(c.active == 5);
  REQUIRE(c.n_latents == 512);
  REQUIRE(c.l1 == 0.3);
  REQUIRE(c.batch_size == 1024);
  REQUIRE(c.steps == 3000);
  std::shared_ptr<SaeData> data = make_sae_data(c);
  SaeTrainer trainer(c, data);
  trainer.train(c.steps);
  const SaeMetrics m = compute_sae_metrics(trainer.sae(), data->held_out(4096), data->true_features());
  INFO("MMCS " << m.mmcs << ", L0 " << m.l0 << ", FVE " << m.fve);
  CHECK(m.mmcs >= 0.93);
  CHECK(m.l0 <= 18);
  CHECK(m.fve >= 0.77);
}

}  // namespace test_sae_recipe
