#include "lm/logit_lens.hpp"

#include <cmath>

#include "core/check.hpp"
#include "lm/lm_ops.hpp"

namespace superpose {

std::vector<float> lens_logits(const Transformer& model, const float* resid, int n) {
  const int C = model.config().d_model, V = model.vocab_size();
  const LmParams& p = model.weights();
  std::vector<float> normed(std::size_t(n) * C), mean(n), rstd(n), logits(std::size_t(n) * V);
  layernorm_forward(normed.data(), mean.data(), rstd.data(), resid, p.ln_f_w, p.ln_f_b, n, C);
  unembed_forward(logits.data(), normed.data(), p.wte, n, C, V);
  return logits;
}

std::vector<std::string> logit_lens_points(int n_layers) {
  std::vector<std::string> points;
  for (int l = 0; l < n_layers; ++l) {
    points.push_back(block_hook(l, "hook_resid_pre"));
    points.push_back(block_hook(l, "hook_resid_mid"));
  }
  points.push_back(block_hook(n_layers - 1, "hook_resid_post"));
  return points;
}

std::vector<std::string> dla_component_names(int n_layers, int n_heads) {
  std::vector<std::string> names = {"embed", "pos_embed"};
  for (int l = 0; l < n_layers; ++l) {
    const std::string layer = "L" + std::to_string(l);
    for (int h = 0; h < n_heads; ++h) names.push_back(layer + "H" + std::to_string(h));
    names.push_back(layer + ".b_O");
    names.push_back(layer + ".mlp");
  }
  return names;
}

LogitLens logit_lens(Transformer& model, const int32_t* tokens, int T) {
  const int L = model.config().n_layers;
  LogitLens lens;
  lens.T = T;
  lens.V = model.vocab_size();
  lens.points = logit_lens_points(L);
  HookSpec spec;
  spec.record = lens.points;
  HookRecords records;
  model.forward(tokens, nullptr, 1, T, &spec, &records);
  lens.logits.reserve(lens.points.size() * std::size_t(T) * lens.V);
  for (const auto& name : lens.points) {
    const HookRecord& r = records.at(name);  // (1, T, C)
    const std::vector<float> l = lens_logits(model, r.data.data(), T);
    lens.logits.insert(lens.logits.end(), l.begin(), l.end());
  }
  return lens;
}

DirectLogitAttribution direct_logit_attribution(Transformer& model, const int32_t* tokens, int T,
                                                int position, int token) {
  const LmConfig& c = model.config();
  const int L = c.n_layers, C = c.d_model, H = c.n_heads, V = model.vocab_size();
  require_in_range("position", position, 0, T - 1, false, false, nullptr, "T-1");
  require_in_range("token", token, 0, V - 1, false, false, nullptr, "vocab_size-1");
  HookSpec spec;
  spec.record = {"hook_embed", "hook_pos_embed", "ln_final.hook_scale"};
  for (int l = 0; l < L; ++l) {
    spec.record.push_back(block_hook(l, "attn.hook_result"));
    spec.record.push_back(block_hook(l, "hook_mlp_out"));
  }
  HookRecords records;
  model.forward(tokens, nullptr, 1, T, &spec, &records);

  const LmParams& p = model.weights();
  const float* w_u = p.wte + std::size_t(token) * C;  // W_U[token]: (C)
  const double rstd = 1.0 / records.at("ln_final.hook_scale").data[position];
  // ((x − mean(x)) · rstd ⊙ γ) · W_U[token] for one component's vector x (C)
  auto direct = [&](const float* x) {
    double mean = 0;
    for (int i = 0; i < C; ++i) mean += x[i];
    mean /= C;
    double s = 0;
    for (int i = 0; i < C; ++i) s += (x[i] - mean) * rstd * p.ln_f_w[i] * w_u[i];
    return s;
  };

  DirectLogitAttribution dla;
  dla.position = position;
  dla.token = token;
  const std::size_t at = std::size_t(position) * C;
  dla.components.push_back({"embed", -1, -1, direct(records.at("hook_embed").data.data() + at)});
  dla.components.push_back({"pos_embed", -1, -1, direct(records.at("hook_pos_embed").data.data() + at)});
  for (int l = 0; l < L; ++l) {
    const std::string layer = "L" + std::to_string(l);
    const float* result = records.at(block_hook(l, "attn.hook_result")).data.data();  // (1, T, H, C)
    for (int h = 0; h < H; ++h)
      dla.components.push_back({layer + "H" + std::to_string(h), l, h,
                                direct(result + (std::size_t(position) * H + h) * C)});
    dla.components.push_back({layer + ".b_O", l, -1, direct(p.h[l].attn_proj_b)});
    dla.components.push_back({layer + ".mlp", l, -1, direct(records.at(block_hook(l, "hook_mlp_out")).data.data() + at)});
  }
  for (int i = 0; i < C; ++i) dla.bias_term += double(p.ln_f_b[i]) * w_u[i];
  dla.logit = model.logits(0, position)[token];
  return dla;
}

}  // namespace superpose
