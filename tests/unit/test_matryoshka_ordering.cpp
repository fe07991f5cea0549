// The Matryoshka paper's claim on hierarchical data (issue 17; Bussmann et al. 2025, arXiv
// 2503.17547; SynthSAEBench, arXiv 2602.14687, table at L0 = 25: Matryoshka F1 0.879,
// BatchTopK 0.732, ReLU 0.556): at matched L0, Matryoshka BatchTopK has the higher mean F1 and
// the lower absorption than BatchTopK, and BatchTopK the higher mean F1 than ReLU + L1, for most
// of several seeds. Matched L0: BatchTopK and Matryoshka share k; ReLU's λ is the one of a
// small sweep whose held-out L0 is nearest k (its L0 must be within 35% of k).
// Scale: the hierarchical data's preset (sae_data_presets, which the CLI and the sae page apply):
// 1,024 features in 128 dims, 32 trees of branching 4 and depth 3, 256 latents, k 8, 2,000
// steps of 512; the prefixes are the default 16 and 64.
// Seeds 1, 2 and 3 natively (the ordering must hold for at least 2 of them); in wasm seed 1 alone,
// where it must hold (the same code and data in the module the page runs, with its SIMD kernels
// and libm: twelve trainings of 2,000 steps cost 70 s of the wasm suite, four 27 s).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"
#include "tolerance.hpp"

namespace test_matryoshka_ordering {

using namespace superpose;

namespace {
SaeConfig ordering_config(const std::string& arch, int64_t seed) {
  Json j = with_data_preset(Json{{"data", "hierarchical"}});
  j["arch"] = arch;
  j["seed"] = seed;
  return SaeConfig::from_json(j);
}

struct Result {
  double l0, f1, absorption, mcc;
};

Result train_and_measure(const SaeConfig& c) {
  std::shared_ptr<SaeData> data = make_sae_data(c);
  SaeTrainer trainer(c, data);
  trainer.train(c.steps);
  const int n = 4096;
  const Mat X = data->held_out(n);
  const TrueFiring firing = data->held_out_firing(n);
  const SaeMetrics m = compute_sae_metrics(trainer.sae(), X, data->true_features(), &firing, data->hierarchy());
  return {m.l0, m.truth.f1, m.truth.absorption, m.truth.mcc};
}
}  // namespace

TEST_CASE("hierarchical data at matched L0: Matryoshka > BatchTopK > ReLU in mean F1, Matryoshka absorbs less" *
          doctest::test_suite("slow")) {
  int matryoshka_f1 = 0, batchtopk_f1 = 0, absorption = 0;
  const std::vector<int64_t> seeds = test::running_in_wasm() ? std::vector<int64_t>{1} : std::vector<int64_t>{1, 2, 3};
  for (int64_t seed : seeds) {
    const Result m = train_and_measure(ordering_config("matryoshka", seed));
    const Result b = train_and_measure(ordering_config("batchtopk", seed));
    Result r{};
    double gap = INFINITY;
    for (double l1 : {0.8, 1.2}) {
      SaeConfig c = ordering_config("relu", seed);
      c.l1 = l1;
      const Result t = train_and_measure(c);
      if (std::fabs(t.l0 - c.k) < gap) { gap = std::fabs(t.l0 - c.k); r = t; }
    }
    std::printf("seed %lld: matryoshka L0 %.2f F1 %.3f absorption %.3f MCC %.3f | batchtopk L0 %.2f F1 %.3f "
                "absorption %.3f MCC %.3f | relu L0 %.2f F1 %.3f absorption %.3f MCC %.3f\n",
                static_cast<long long>(seed), m.l0, m.f1, m.absorption, m.mcc, b.l0, b.f1, b.absorption, b.mcc,
                r.l0, r.f1, r.absorption, r.mcc);
    INFO("seed " << seed);
    const int k = ordering_config("relu", seed).k;
    CHECK(std::fabs(r.l0 - k) < 0.35 * k);
    CHECK(std::fabs(m.l0 - b.l0) < 0.15 * k);
    CHECK(std::isfinite(m.f1));
    CHECK(std::isfinite(m.absorption));
    matryoshka_f1 += m.f1 > b.f1;
    batchtopk_f1 += b.f1 > r.f1;
    absorption += m.absorption < b.absorption;
  }
  const int most = static_cast<int>(seeds.size()) / 2 + 1;
  CHECK(matryoshka_f1 >= most);
  CHECK(batchtopk_f1 >= most);
  CHECK(absorption >= most);
}

}  // namespace test_matryoshka_ordering
