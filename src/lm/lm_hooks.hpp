// Hook points of the transformer (lm/transformer.hpp), named as TransformerLens names them, and
// what an inference forward can do at each: record its value, replace it (ablation: zero, or a
// given vector such as a mean) or add a vector to it (steering), for the whole hook or one head,
// at every sequence position or chosen ones.
//
// The hook points, in the order the forward reaches them (B batch, T positions, C d_model,
// H heads, hs = C / H):
//   hook_embed                    [B, T, C]     wte[token]
//   hook_pos_embed                [B, T, C]     wpe[t]
//   blocks.{l}.hook_resid_pre     [B, T, C]     the block's input (layer 0: embed + pos_embed)
//   blocks.{l}.attn.hook_pattern  [B, H, T, T]  softmax of the causal scores (query t, key t2)
//   blocks.{l}.attn.hook_z        [B, T, H, hs] each head's attention-weighted values
//   blocks.{l}.attn.hook_result   [B, T, H, C]  each head's output through c_proj, without its
//                                               bias (computed only when a spec names it)
//   blocks.{l}.hook_attn_out      [B, T, C]     Σ_h result + c_proj.bias
//   blocks.{l}.hook_resid_mid     [B, T, C]     resid_pre + attn_out
//   blocks.{l}.mlp.hook_post      [B, T, 4C]    GELU of the MLP's hidden layer
//   blocks.{l}.hook_mlp_out       [B, T, C]
//   blocks.{l}.hook_resid_post    [B, T, C]     resid_mid + mlp_out
//   ln_final.hook_scale           [B, T, 1]     sqrt(var + eps) of the final LayerNorm's input
//                                               (record only: logit lens and DLA read it)
// An edit addresses slices of the hook's last axis (length D): [b, t, :] or, for hooks with a
// head axis, [b, t, h, :] (hook_pattern: [b, h, t, :], the query row t), for every batch row b
// or one. At one hook, edits
// apply in the order given, then the hook is recorded (a record shows the edited value).
//
// Not here: the forward itself (lm/transformer.hpp), logit lens and direct logit attribution
// (lm/logit_lens.hpp), gradients through an edit (a forward with edits is for inference only).
// Reference: Nanda & Bloom, TransformerLens (HookPoint names; utils.get_act_name).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace superpose {

enum class HookOp {
  zero,  // the slice := 0
  set,   // the slice := vector (mean ablation: vector = the slice's mean over a data set)
  add    // the slice += vector (steering)
};

struct HookEdit {
  std::string hook;            // a hook point's name, e.g. "blocks.0.attn.hook_result"
  int head = -1;               // hooks with a head axis: one head, or -1 for every head
  std::vector<int> positions;  // sequence positions t to edit; empty: every position
  HookOp op = HookOp::zero;
  std::vector<float> vector;   // set, add: (D), the hook's last axis; zero: empty
  int batch = -1;              // one batch row b (an SAE spliced in sets each (b, t) on its
                               // own: lm/lm_sae_splice.hpp), or -1 for every row
};

struct HookSpec {
  std::vector<std::string> record;  // hook names whose values the forward copies out
  std::vector<HookEdit> edits;
  bool empty() const { return record.empty() && edits.empty(); }
  // True when the spec records or edits `name`.
  bool touches(const std::string& name) const;
};

struct HookRecord {
  std::vector<int> shape;   // as in the table above, with this forward's B and T
  int head_axis = -1;       // the index of the head axis in shape, or -1
  std::vector<float> data;  // row-major in that shape
};
using HookRecords = std::map<std::string, HookRecord>;

// One hook point's value inside the forward: a contiguous buffer of `shape` (3 or 4 axes as in
// the table above). `head_axis` is the index of the head axis in shape (-1: none).
struct HookTensor {
  float* data;
  std::vector<int> shape;
  int head_axis = -1;
};

// Every hook point of a model with n_layers blocks, in forward order.
std::vector<std::string> hook_names(int n_layers);
// "blocks.{l}.{suffix}", e.g. block_hook(0, "hook_resid_pre").
std::string block_hook(int layer, const char* suffix);

// The shape of a hook point (as the table above) and its head axis, or throws
// std::invalid_argument for an unknown name.
HookTensor hook_shape(const std::string& name, int B, int T, int n_layers, int d_model,
                      int n_heads);

// Throws std::invalid_argument naming the edit when a hook name is unknown, a head is out of
// [-1, n_heads) or given for a hook without heads, a batch row is out of [-1, B), a position is
// out of [0, T), a vector's length is not the hook's last axis, or an edit targets a record-only
// hook.
void validate_hook_spec(const HookSpec& spec, int B, int T, int n_layers, int d_model, int n_heads);

// At hook `name`: applies the spec's edits to `t` in order, then records it if asked.
void run_hook(const std::string& name, const HookTensor& t, const HookSpec& spec,
              HookRecords* records);

// The mean of a recorded hook's slices over batch and positions, (D): of head `head` for a hook
// with a head axis (required there), of the whole hook otherwise. A mean-ablation vector.
std::vector<float> slice_mean(const HookRecord& r, int head = -1);

}  // namespace superpose
