#include "lm/lm_hooks.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/check.hpp"

namespace superpose {

namespace {
// The per-block hook points, in forward order.
const char* const kBlockHooks[] = {"hook_resid_pre", "attn.hook_pattern", "attn.hook_z",
                                   "attn.hook_result", "hook_attn_out", "hook_resid_mid",
                                   "mlp.hook_post", "hook_mlp_out", "hook_resid_post"};
const char* const kScaleHook = "ln_final.hook_scale";

std::string edit_name(const HookEdit& e) { return "hook edit on \"" + e.hook + "\""; }
}  // namespace

bool HookSpec::touches(const std::string& name) const {
  for (const auto& r : record)
    if (r == name) return true;
  for (const auto& e : edits)
    if (e.hook == name) return true;
  return false;
}

std::string block_hook(int layer, const char* suffix) {
  return "blocks." + std::to_string(layer) + "." + suffix;
}

std::vector<std::string> hook_names(int n_layers) {
  std::vector<std::string> names = {"hook_embed", "hook_pos_embed"};
  for (int l = 0; l < n_layers; ++l)
    for (const char* s : kBlockHooks) names.push_back(block_hook(l, s));
  names.push_back(kScaleHook);
  return names;
}

HookTensor hook_shape(const std::string& name, int B, int T, int n_layers, int d_model,
                      int n_heads) {
  const int C = d_model, H = n_heads;
  if (name == "hook_embed" || name == "hook_pos_embed") return {nullptr, {B, T, C}, -1};
  if (name == kScaleHook) return {nullptr, {B, T, 1}, -1};
  const std::string prefix = "blocks.";
  if (name.compare(0, prefix.size(), prefix) == 0) {
    const char* start = name.c_str() + prefix.size();
    char* end = nullptr;
    const long l = std::strtol(start, &end, 10);
    if (end != start && *end == '.' && l >= 0 && l < n_layers) {
      const std::string suffix(end + 1);
      if (suffix == "attn.hook_pattern") return {nullptr, {B, H, T, T}, 1};
      if (suffix == "attn.hook_z") return {nullptr, {B, T, H, C / H}, 2};
      if (suffix == "attn.hook_result") return {nullptr, {B, T, H, C}, 2};
      if (suffix == "mlp.hook_post") return {nullptr, {B, T, 4 * C}, -1};
      for (const char* s : kBlockHooks)
        if (suffix == s) return {nullptr, {B, T, C}, -1};
    }
  }
  fail_config("unknown hook \"" + name + "\" (hooks: hook_embed, hook_pos_embed, blocks.{l}.… for l in [0, " +
              std::to_string(n_layers - 1) + "], ln_final.hook_scale)");
}

void validate_hook_spec(const HookSpec& spec, int B, int T, int n_layers, int d_model, int n_heads) {
  for (const auto& r : spec.record) hook_shape(r, 1, T, n_layers, d_model, n_heads);
  for (const auto& e : spec.edits) {
    const HookTensor t = hook_shape(e.hook, 1, T, n_layers, d_model, n_heads);
    if (e.hook == kScaleHook) fail_config(edit_name(e) + ": the hook is record-only");
    if (e.head != -1) {
      if (t.head_axis < 0) fail_config(edit_name(e) + ": the hook has no head axis (head must be -1)");
      require_in_range(edit_name(e) + ": head", e.head, 0, n_heads - 1, false, false, nullptr, nullptr);
    }
    if (e.batch != -1) require_in_range(edit_name(e) + ": batch row", e.batch, 0, B - 1);
    for (int p : e.positions) require_in_range(edit_name(e) + ": position", p, 0, T - 1);
    const int D = t.shape.back();
    if (e.op == HookOp::zero && !e.vector.empty())
      fail_config(edit_name(e) + ": zero takes no vector (got " + std::to_string(e.vector.size()) + " values)");
    if (e.op != HookOp::zero && static_cast<int>(e.vector.size()) != D)
      fail_config(edit_name(e) + ": vector must have " + std::to_string(D) + " values (got " +
                  std::to_string(e.vector.size()) + ")");
  }
}

namespace {
// Calls f(slice pointer) for every slice [b, t(, h), :] an edit addresses.
template <class F> void for_each_slice(const HookTensor& t, const HookEdit& e, F f) {
  const int B = t.shape[0];
  const bool heads = t.head_axis >= 0;
  const int H = heads ? t.shape[t.head_axis] : 1;
  const int T = t.head_axis == 1 ? t.shape[2] : t.shape[1];
  const int D = t.shape.back();
  std::vector<int> all;
  const std::vector<int>* positions = &e.positions;
  if (e.positions.empty()) {
    all.resize(T);
    for (int i = 0; i < T; ++i) all[i] = i;
    positions = &all;
  }
  const int h0 = e.head < 0 ? 0 : e.head, h1 = e.head < 0 ? H : e.head + 1;
  const int b0 = e.batch < 0 ? 0 : e.batch, b1 = e.batch < 0 ? B : e.batch + 1;
  for (int b = b0; b < b1; ++b)
    for (int pos : *positions)
      for (int h = h0; h < h1; ++h) {
        const std::size_t slice = t.head_axis == 1 ? (std::size_t(b) * H + h) * T + pos
                                                   : (std::size_t(b) * T + pos) * H + h;
        f(t.data + slice * D, D);
      }
}
}  // namespace

void run_hook(const std::string& name, const HookTensor& t, const HookSpec& spec,
              HookRecords* records) {
  for (const auto& e : spec.edits) {
    if (e.hook != name) continue;
    for_each_slice(t, e, [&](float* s, int D) {
      switch (e.op) {
        case HookOp::zero: std::fill(s, s + D, 0.f); break;
        case HookOp::set: std::copy(e.vector.begin(), e.vector.end(), s); break;
        case HookOp::add:
          for (int i = 0; i < D; ++i) s[i] += e.vector[i];
          break;
      }
    });
  }
  if (records && std::find(spec.record.begin(), spec.record.end(), name) != spec.record.end()) {
    std::size_t n = 1;
    for (int d : t.shape) n *= static_cast<std::size_t>(d);
    HookRecord& r = (*records)[name];
    r.shape = t.shape;
    r.head_axis = t.head_axis;
    r.data.assign(t.data, t.data + n);
  }
}

std::vector<float> slice_mean(const HookRecord& r, int head) {
  if (r.head_axis >= 0 && (head < 0 || head >= r.shape[r.head_axis]))
    fail_config("slice_mean: a hook with heads needs a head in [0, " +
                std::to_string(r.shape[r.head_axis] - 1) + "] (got " + std::to_string(head) + ")");
  HookTensor t{const_cast<float*>(r.data.data()), r.shape, r.head_axis};
  HookEdit every;
  every.head = r.head_axis >= 0 ? head : -1;
  const int D = r.shape.back();
  std::vector<double> sum(D, 0.0);
  std::size_t count = 0;
  for_each_slice(t, every, [&](float* s, int) {
    for (int i = 0; i < D; ++i) sum[i] += s[i];
    ++count;
  });
  std::vector<float> mean(D);
  for (int i = 0; i < D; ++i) mean[i] = static_cast<float>(sum[i] / static_cast<double>(count));
  return mean;
}

}  // namespace superpose
