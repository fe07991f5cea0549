// A decoder-only transformer language model of GPT-2's shape (Radford et al. 2019), small
// enough to train in a browser tab: learned token and position embeddings, n_layers pre-LayerNorm
// blocks (causal multi-head attention, then a GELU MLP of width 4·d_model, each added to the
// residual stream), a final LayerNorm and the tied unembedding (logits = ln_f(x) · wteᵀ), with
// the mean next-token cross-entropy. Forward and backward are written layer by layer as in
// karpathy/llm.c's train_gpt2.c (lm/lm_ops.hpp); the products run on core/gemm.hpp.
//
// Legend: B batch, T positions (≤ context), N = B·T, C d_model, H n_heads, hs = C / H,
// F = 4·C the MLP width, V vocab_size, L n_layers.
//
// Parameters live in one contiguous float buffer (gradients in a twin buffer of the same
// layout), as named tensors with Hugging Face GPT-2's names and shapes (param_tensors()), so a
// model saves to safetensors under those names: wte.weight (V, C), wpe.weight (context, C),
// h.{l}.ln_1.weight/bias (C), h.{l}.attn.c_attn.weight (C, 3C)/bias (3C),
// h.{l}.attn.c_proj.weight (C, C)/bias (C), h.{l}.ln_2.weight/bias (C),
// h.{l}.mlp.c_fc.weight (C, F)/bias (F), h.{l}.mlp.c_proj.weight (F, C)/bias (C),
// ln_f.weight/bias (C). Initialisation as GPT-2: every weight matrix and both embeddings
// N(0, 0.02²), the two c_proj weights N(0, (0.02/sqrt(2L))²), biases 0, LayerNorm weights 1.
//
// Not here: the optimiser step (lm/lm_trainer.hpp), the data (lm/corpus.hpp), sampling, saving.
// A forward with hook edits (lm/lm_hooks.hpp) is for inference: backward() refuses to follow it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lm/lm_config.hpp"
#include "lm/lm_hooks.hpp"

namespace superpose {

// One named tensor of the parameter buffer.
struct ParamTensor {
  std::string name;        // Hugging Face GPT-2's name, e.g. "h.0.attn.c_attn.weight"
  std::vector<int> shape;  // row-major, e.g. {C, 3C}
  std::size_t offset = 0;  // into params() / grads()
  std::size_t size = 0;    // product of shape
};

// Pointers into a parameter (or gradient) buffer, by role.
struct LmLayerParams {
  float* ln_1_w;       // (C)
  float* ln_1_b;       // (C)
  float* c_attn_w;     // (C, 3C)
  float* c_attn_b;     // (3C)
  float* attn_proj_w;  // (C, C)    attn.c_proj
  float* attn_proj_b;  // (C)
  float* ln_2_w;       // (C)
  float* ln_2_b;       // (C)
  float* c_fc_w;       // (C, F)
  float* c_fc_b;       // (F)
  float* mlp_proj_w;   // (F, C)    mlp.c_proj
  float* mlp_proj_b;   // (C)
};
struct LmParams {
  float* wte;  // (V, C)       also the unembedding
  float* wpe;  // (context, C)
  std::vector<LmLayerParams> h;  // (L)
  float* ln_f_w;  // (C)
  float* ln_f_b;  // (C)
};

// The activations of one forward at (B, T), kept for the backward; the same layout holds their
// gradients. resid_pre of block l is block l-1's resid_post (block 0: `encoded`). The gradient
// layout leaves unwritten what needs none: att, the LayerNorm statistics, probs and losses, and
// attn_out and mlp_out (their gradients are resid_mid's and resid_post's: a residual add passes
// its gradient on unchanged), and fch (GELU's backward runs in place: after backward(),
// fch_gelu holds the gradient of fch).
struct LmLayerActivations {
  float* resid_pre;  // (N, C)     points at encoded or the previous block's resid_post
  float* ln1;        // (N, C)
  float* ln1_mean;   // (N)
  float* ln1_rstd;   // (N)
  float* qkv;        // (N, 3C)    q | k | v
  float* att;        // (B, H, T, T)  the causal softmax pattern (0 above the diagonal)
  float* atty;       // (N, C)     = (B, T, H, hs): each head's attention-weighted values (hook_z)
  float* attn_out;   // (N, C)
  float* resid_mid;  // (N, C)
  float* ln2;        // (N, C)
  float* ln2_mean;   // (N)
  float* ln2_rstd;   // (N)
  float* fch;        // (N, F)     the MLP's hidden layer before GELU
  float* fch_gelu;   // (N, F)     after GELU (mlp.hook_post)
  float* mlp_out;    // (N, C)
  float* resid_post; // (N, C)
};
struct LmActivations {
  float* encoded;   // (N, C)  wte[token] + wpe[t]
  std::vector<LmLayerActivations> h;  // (L)
  float* lnf;       // (N, C)
  float* lnf_mean;  // (N)
  float* lnf_rstd;  // (N)
  float* logits;    // (N, V)
  float* probs;     // (N, V)
  float* losses;    // (N)
};

class Transformer {
 public:
  // Validates the config and vocab_size (in [2, 65536]); initialises from config.seed.
  Transformer(const LmConfig& config, int vocab_size);
  Transformer(const Transformer& other);
  Transformer& operator=(const Transformer& other);

  const LmConfig& config() const { return config_; }
  int vocab_size() const { return V_; }
  std::size_t n_params() const { return params_.size(); }

  // The flat buffers and their named tensors (for optimisers, snapshots and saving).
  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  std::vector<float>& grads() { return grads_; }
  const std::vector<float>& grads() const { return grads_; }
  const std::vector<ParamTensor>& param_tensors() const { return tensors_; }
  // The tensor of that name, or throws std::invalid_argument.
  const ParamTensor& param_tensor(const std::string& name) const;
  const LmParams& weights() const { return p_; }
  const LmParams& weight_grads() const { return g_; }

  // GPT-2's initialisation from `seed` (deterministic: the same seed gives the same bits).
  void init(uint64_t seed);

  // The forward pass over tokens (B, T), B ≥ 1, 1 ≤ T ≤ context, ids in [0, V). With targets
  // (B, T) it answers the mean cross-entropy; without, NaN (logits and probs are still made).
  // A spec reads, replaces or adds at hook points (lm/lm_hooks.hpp); records go to `records`.
  // Throws std::invalid_argument for a bad shape, token id or spec.
  double forward(const int32_t* tokens, const int32_t* targets, int B, int T,
                 const HookSpec* spec = nullptr, HookRecords* records = nullptr);
  // Zeroes grads().
  void zero_grad();
  // Accumulates d(mean loss)/d(params) into grads() for the last forward, which must have had
  // targets and no hook edits (else std::logic_error).
  void backward();

  // The last forward's shape and activations (valid until the next forward).
  int batch() const { return B_; }
  int seq_len() const { return T_; }
  const LmActivations& activations() const { return a_; }
  const LmActivations& activation_grads() const { return da_; }
  // The last forward's logits at (b, t): (V).
  const float* logits(int b, int t) const { return a_.logits + (std::size_t(b) * T_ + t) * V_; }

 private:
  void layout();                 // tensors_, p_, g_ from config_ and V_
  void resize_activations(int B, int T);
  void point(LmParams& p, float* base) const;
  void point(LmActivations& a, float* base, int B, int T) const;
  std::size_t activation_floats(int B, int T) const;

  LmConfig config_;
  int V_;
  std::vector<float> params_, grads_;
  std::vector<ParamTensor> tensors_;
  LmParams p_, g_;
  // Activations of the last forward and their gradients, at (B_, T_).
  int B_ = 0, T_ = 0;
  std::vector<float> acts_, dacts_;
  LmActivations a_, da_;
  std::vector<int32_t> tokens_, targets_;  // (B, T) of the last forward
  bool has_targets_ = false, edited_ = false;
  // Scratch of a hooked forward: embed and pos_embed (N, C) each; per-head results (N, H, C).
  std::vector<float> hook_embed_, hook_pos_, hook_result_, hook_scale_;
};

}  // namespace superpose
