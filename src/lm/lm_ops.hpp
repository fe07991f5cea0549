// The layers of a GPT-2-style transformer, each forward beside its backward, in the manner of
// karpathy/llm.c's train_gpt2.c: plain functions over row-major float buffers whose shapes are
// written next to them. A forward writes its output (overwrites); a backward ACCUMULATES (+=)
// into the gradients of its inputs and parameters (gelu_backward excepted, see there), so the caller zeroes gradients once per step
// and shared inputs (the residual stream, the tied embedding) sum their contributions.
//
// Dimensions: B batch, T sequence length, N = B·T positions, C d_model, H heads, hs = C / H,
// OC output channels, V vocabulary.
// Layouts follow Hugging Face's GPT-2 tensors: a linear layer's weight is (C, OC) (Conv1D: out =
// inp · W + b), the token embedding wte is (V, C) and doubles as the unembedding (logits = x ·
// wteᵀ), qkv is (N, 3C) with q, k, v side by side and head h in columns [h·hs, (h+1)·hs) of each.
//
// Not here: the model's parameter and activation bookkeeping (lm/transformer.hpp), hooks
// (lm/lm_hooks.hpp), anything with state.
// Reference: Vaswani et al. 2017 (scaled dot-product attention); Radford et al. 2019 (GPT-2:
// pre-LayerNorm, GELU); Ba et al. 2016 (LayerNorm); Hendrycks & Gimpel 2016 (GELU, tanh form).
#pragma once
#include <cstddef>
#include <cstdint>

namespace superpose {

// out (N, C) = wte[tokens] + wpe[t]; tokens (B, T) ids in [0, V), wte (V, C), wpe (≥T, C).
void encoder_forward(float* out, const int32_t* tokens, const float* wte, const float* wpe, int B,
                     int T, int C);
// dwte (V, C) += Σ dout at each token's row; dwpe (T, C) += Σ_b dout[b, t].
void encoder_backward(float* dwte, float* dwpe, const float* dout, const int32_t* tokens, int B,
                      int T, int C);

// out (N, C) = (inp - mean) · rstd · weight + bias per row, eps 1e-5 (PyTorch's default).
// mean, rstd (N): kept for the backward pass.
constexpr float kLayerNormEps = 1e-5f;
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C);
// dinp (N, C), dweight (C), dbias (C) += from dout (N, C).
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean, const float* rstd,
                        int N, int C);

// out (N, OC) = inp (N, C) · weight (C, OC) + bias (OC) (bias may be null). On core/gemm.hpp.
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int C, int OC);
// dinp (N, C) += dout · weightᵀ; dweight (C, OC) += inpᵀ · dout; dbias (OC) += Σ_n dout
// (dinp or dbias may be null: not wanted).
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC);

// Causal multi-head attention in two halves, so that the pattern can be read or replaced
// between them (lm/lm_hooks.hpp):
//   attention_pattern_forward: att (B, H, T, T) = softmax_t2(q_t · k_t2 / sqrt(hs)) for t2 ≤ t,
//                              0 for t2 > t; qkv (N, 3C).
//   attention_mix_forward:     out (N, C), head h in columns [h·hs, (h+1)·hs): Σ_t2 att · v_t2.
void attention_pattern_forward(float* att, const float* qkv, int B, int T, int C, int H);
void attention_mix_forward(float* out, const float* att, const float* qkv, int B, int T, int C,
                           int H);
// dqkv (N, 3C) += from dout (N, C), given the forward's qkv and att.
void attention_backward(float* dqkv, const float* dout, const float* qkv, const float* att, int B,
                        int T, int C, int H);

// out = GELU(inp), GPT-2's tanh approximation: 0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³))).
void gelu_forward(float* out, const float* inp, std::size_t n);
// dinp = GELU'(inp) · dout. The one backward that WRITES rather than accumulates: it is
// elementwise and its input (the MLP's hidden layer) has no other reader, so it may run in place
// (dinp == dout), sparing the model a buffer and its zeroing.
void gelu_backward(float* dinp, const float* inp, const float* dout, std::size_t n);

// out = a + b (n). The backward is an accumulate of dout into both (residual_backward).
void residual_forward(float* out, const float* a, const float* b, std::size_t n);
void residual_backward(float* da, float* db, const float* dout, std::size_t n);

// Tied unembedding: logits (N, V) = x (N, C) · wteᵀ, wte (V, C).
void unembed_forward(float* logits, const float* x, const float* wte, int N, int C, int V);
// dx (N, C) += dlogits · wte; dwte (V, C) += dlogitsᵀ · x.
void unembed_backward(float* dx, float* dwte, const float* dlogits, const float* x,
                      const float* wte, int N, int C, int V);

// probs (N, V) = softmax(logits) per row (inference: no targets).
void softmax_forward(float* probs, const float* logits, int N, int V);
// probs (N, V) = softmax(logits); losses (N) = -log probs[target]; returns the mean loss.
// targets (N) in [0, V).
double softmax_crossentropy_forward(float* probs, float* losses, const float* logits,
                                    const int32_t* targets, int N, int V);
// dlogits (N, V) += (probs - onehot(target)) · dloss / N: the gradient of the mean loss, scaled.
void softmax_crossentropy_backward(float* dlogits, const float* probs, const int32_t* targets,
                                   int N, int V, float dloss = 1.f);

}  // namespace superpose
