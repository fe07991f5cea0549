// Component ablation (lm/lm_ablation.hpp): every head and MLP in order, each effect equal to the
// forward with that component's hook edited by hand (a head's z zeroed removes exactly its
// result; mean ablation sets the head's z to its mean over the batch), and refusals.
// The trained case (ablating a layer's heads raises the loss) is in test_lm_trainer.cpp (slow).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "lm/lm_ablation.hpp"

namespace test_lm_ablation {

using namespace superpose;

namespace {
constexpr int V = 11, T = 6, B = 3;
Transformer model() {
  LmConfig c;
  c.n_layers = 2;
  c.d_model = 12;
  c.n_heads = 3;
  c.context = 6;
  c.batch_size = B;
  Transformer m(c, V);
  Rng rng(51);
  for (float& x : m.params()) x += static_cast<float>(0.3 * rng.normal());
  return m;
}
std::vector<int32_t> tokens(uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> t(B * T);
  for (auto& x : t) x = static_cast<int32_t>(rng.below(V));
  return t;
}
}  // namespace

TEST_CASE("lm ablation: every head then the MLP per layer, each effect the hand-edited forward's") {
  Transformer m = model();
  const auto comps = lm_components(m.config());
  REQUIRE(comps.size() == 2 * 4);
  CHECK(component_name(comps[0]) == "L0H0");
  CHECK(component_name(comps[3]) == "L0.mlp");
  CHECK(component_name(comps[6]) == "L1H2");
  const auto x = tokens(1), y = tokens(2);
  const int position = 4, token = 7;
  const double plain = m.forward(x.data(), y.data(), B, T);
  const double p_plain = m.activations().probs[position * V + token];
  for (LmAblationMode mode : {LmAblationMode::zero, LmAblationMode::mean}) {
    const AblationEffects fx = ablation_effects(m, x.data(), y.data(), B, T, mode, position, token);
    CHECK(fx.loss == plain);
    CHECK(fx.p_token == p_plain);
    REQUIRE(fx.components.size() == comps.size());
    HookSpec means_spec;
    HookRecords means;
    for (int l = 0; l < 2; ++l) {
      means_spec.record.push_back(block_hook(l, "attn.hook_z"));
      means_spec.record.push_back(block_hook(l, "hook_mlp_out"));
    }
    m.forward(x.data(), nullptr, B, T, &means_spec, &means);
    for (std::size_t i = 0; i < comps.size(); ++i) {
      const LmComponent& c = comps[i];
      HookEdit e;
      e.hook = block_hook(c.layer, c.head >= 0 ? "attn.hook_result" : "hook_mlp_out");
      e.head = c.head;
      if (mode == LmAblationMode::zero) {
        e.op = HookOp::zero;
      } else {  // the mean of z through the head's rows of c_proj is the mean of its result
        e.hook = block_hook(c.layer, c.head >= 0 ? "attn.hook_z" : "hook_mlp_out");
        e.op = HookOp::set;
        e.vector = slice_mean(means.at(e.hook), c.head);
      }
      HookSpec spec;
      spec.edits = {e};
      const double loss = m.forward(x.data(), y.data(), B, T, &spec);
      INFO(fx.components[i].name << (mode == LmAblationMode::zero ? " zero" : " mean"));
      CHECK(fx.components[i].name == component_name(c));
      CHECK(std::fabs(fx.components[i].loss - loss) < 1e-5);
      CHECK(std::fabs(fx.components[i].p_token - m.activations().probs[position * V + token]) < 1e-6);
      CHECK(std::fabs(fx.components[i].loss - plain) > 1e-4);  // every component matters here
    }
  }
  CHECK_THROWS_WITH_AS(ablation_edit({0, 1}, LmAblationMode::mean, nullptr),
                       "mean ablation of L0H1 needs the means of blocks.0.attn.hook_z", std::invalid_argument);
  CHECK_THROWS_WITH_AS(ablation_effects(m, x.data(), y.data(), B, T, LmAblationMode::zero, 6, 0),
                       "position must be in [0, T-1=5] (got 6)", std::invalid_argument);
}

}  // namespace test_lm_ablation
