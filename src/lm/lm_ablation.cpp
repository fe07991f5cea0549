#include "lm/lm_ablation.hpp"

#include "core/check.hpp"

namespace superpose {

std::vector<LmComponent> lm_components(const LmConfig& config) {
  std::vector<LmComponent> all;
  for (int l = 0; l < config.n_layers; ++l) {
    for (int h = 0; h < config.n_heads; ++h) all.push_back({l, h});
    all.push_back({l, -1});
  }
  return all;
}

std::string component_name(const LmComponent& c) {
  const std::string layer = "L" + std::to_string(c.layer);
  return c.head >= 0 ? layer + "H" + std::to_string(c.head) : layer + ".mlp";
}

HookRecords ablation_means(Transformer& model, const int32_t* x, int B, int T) {
  HookSpec spec;
  for (int l = 0; l < model.config().n_layers; ++l) {
    spec.record.push_back(block_hook(l, "attn.hook_z"));
    spec.record.push_back(block_hook(l, "hook_mlp_out"));
  }
  HookRecords records;
  model.forward(x, nullptr, B, T, &spec, &records);
  return records;
}

HookEdit ablation_edit(const LmComponent& c, LmAblationMode mode, const HookRecords* means) {
  HookEdit e;
  e.hook = block_hook(c.layer, c.head >= 0 ? "attn.hook_z" : "hook_mlp_out");
  e.head = c.head;
  if (mode == LmAblationMode::zero) {
    e.op = HookOp::zero;
    return e;
  }
  if (!means || !means->count(e.hook))
    fail_config("mean ablation of " + component_name(c) + " needs the means of " + e.hook);
  e.op = HookOp::set;
  e.vector = slice_mean(means->at(e.hook), c.head);
  return e;
}

AblationEffects ablation_effects(Transformer& model, const int32_t* x, const int32_t* y, int B,
                                 int T, LmAblationMode mode, int position, int token) {
  require_in_range("position", position, 0, T - 1, false, false, nullptr, "T-1");
  require_in_range("token", token, 0, model.vocab_size() - 1, false, false, nullptr, "vocab_size-1");
  const int V = model.vocab_size();
  HookRecords means;
  if (mode == LmAblationMode::mean) means = ablation_means(model, x, B, T);
  auto p_token = [&] { return static_cast<double>(model.activations().probs[std::size_t(position) * V + token]); };
  AblationEffects out;
  out.loss = model.forward(x, y, B, T);
  out.p_token = p_token();
  for (const LmComponent& c : lm_components(model.config())) {
    HookSpec spec;
    spec.edits = {ablation_edit(c, mode, &means)};
    AblationEffect e;
    e.component = c;
    e.name = component_name(c);
    e.loss = model.forward(x, y, B, T, &spec);
    e.p_token = p_token();
    out.components.push_back(e);
  }
  return out;
}

}  // namespace superpose
