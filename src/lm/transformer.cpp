#include "lm/transformer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/check.hpp"
#include "core/gemm.hpp"
#include "core/memory_limit.hpp"
#include "core/rng.hpp"
#include "lm/lm_ops.hpp"

namespace superpose {

namespace {
constexpr int kMaxVocab = 4096;
// The logits and probabilities of a batch (N·V floats each, twice with their gradients).
constexpr double kMaxLogitFloats = 16.0 * 1024 * 1024;
// The activations of one forward (LmConfig bounds the training batch's; this, any forward's).
constexpr double kMaxForwardFloats = 48.0 * 1024 * 1024;
// The Rng stream of the initialisation (the data draws from others with the same seed).
constexpr uint64_t kLmInitStream = 0x4c4d;  // "LM"
constexpr double kInitStd = 0.02;         // GPT-2's initializer_range

bool ends_with(const std::string& s, const char* suffix) {
  const std::string t(suffix);
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}
}  // namespace

Transformer::Transformer(const LmConfig& config, int vocab_size) : config_(config), V_(vocab_size) {
  config_.validate();
  require_in_range("vocab_size", vocab_size, 2, kMaxVocab);
  require_fits_browser("batch_size × context × vocab_size",
                       double(config_.batch_size) * config_.context * vocab_size, kMaxLogitFloats, 4);
  layout();
  init(static_cast<uint64_t>(config_.seed));
}

Transformer::Transformer(const Transformer& o)
    : config_(o.config_), V_(o.V_), params_(o.params_), grads_(o.grads_) {
  layout();
}

Transformer& Transformer::operator=(const Transformer& o) {
  if (this != &o) {
    config_ = o.config_;
    V_ = o.V_;
    params_ = o.params_;
    grads_ = o.grads_;
    layout();
    B_ = T_ = 0;
    edited_ = has_targets_ = false;
  }
  return *this;
}

void Transformer::layout() {
  const int C = config_.d_model, F = config_.d_mlp(), L = config_.n_layers;
  tensors_.clear();
  std::size_t offset = 0;
  auto add = [&](std::string name, std::vector<int> shape) {
    ParamTensor t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    t.size = 1;
    for (int d : t.shape) t.size *= static_cast<std::size_t>(d);
    t.offset = offset;
    offset += t.size;
    tensors_.push_back(std::move(t));
  };
  add("wte.weight", {V_, C});
  add("wpe.weight", {config_.context, C});
  for (int l = 0; l < L; ++l) {
    const std::string h = "h." + std::to_string(l) + ".";
    add(h + "ln_1.weight", {C});
    add(h + "ln_1.bias", {C});
    add(h + "attn.c_attn.weight", {C, 3 * C});
    add(h + "attn.c_attn.bias", {3 * C});
    add(h + "attn.c_proj.weight", {C, C});
    add(h + "attn.c_proj.bias", {C});
    add(h + "ln_2.weight", {C});
    add(h + "ln_2.bias", {C});
    add(h + "mlp.c_fc.weight", {C, F});
    add(h + "mlp.c_fc.bias", {F});
    add(h + "mlp.c_proj.weight", {F, C});
    add(h + "mlp.c_proj.bias", {C});
  }
  add("ln_f.weight", {C});
  add("ln_f.bias", {C});
  params_.resize(offset, 0.f);
  grads_.resize(offset, 0.f);
  point(p_, params_.data());
  point(g_, grads_.data());
}

void Transformer::point(LmParams& p, float* base) const {
  // In layout()'s order: 2 embeddings, 12 tensors per block, 2 for ln_f.
  auto at = [&](std::size_t i) { return base + tensors_[i].offset; };
  p.wte = at(0);
  p.wpe = at(1);
  p.h.resize(config_.n_layers);
  for (int l = 0; l < config_.n_layers; ++l) {
    const std::size_t i = 2 + 12 * static_cast<std::size_t>(l);
    LmLayerParams& w = p.h[l];
    w.ln_1_w = at(i + 0);
    w.ln_1_b = at(i + 1);
    w.c_attn_w = at(i + 2);
    w.c_attn_b = at(i + 3);
    w.attn_proj_w = at(i + 4);
    w.attn_proj_b = at(i + 5);
    w.ln_2_w = at(i + 6);
    w.ln_2_b = at(i + 7);
    w.c_fc_w = at(i + 8);
    w.c_fc_b = at(i + 9);
    w.mlp_proj_w = at(i + 10);
    w.mlp_proj_b = at(i + 11);
  }
  const std::size_t f = 2 + 12 * static_cast<std::size_t>(config_.n_layers);
  p.ln_f_w = at(f);
  p.ln_f_b = at(f + 1);
}

const ParamTensor& Transformer::param_tensor(const std::string& name) const {
  for (const auto& t : tensors_)
    if (t.name == name) return t;
  throw std::invalid_argument("no parameter tensor \"" + name + "\"");
}

void Transformer::init(uint64_t seed) {
  Rng rng(seed, kLmInitStream);
  const double proj_std = kInitStd / std::sqrt(2.0 * config_.n_layers);
  for (const auto& t : tensors_) {
    float* x = params_.data() + t.offset;
    if (ends_with(t.name, ".bias")) {
      std::fill(x, x + t.size, 0.f);
    } else if (t.shape.size() == 1) {  // LayerNorm weights
      std::fill(x, x + t.size, 1.f);
    } else {
      const double std = ends_with(t.name, "c_proj.weight") ? proj_std : kInitStd;
      for (std::size_t i = 0; i < t.size; ++i) x[i] = static_cast<float>(rng.normal() * std);
    }
  }
  zero_grad();
}

void Transformer::zero_grad() { std::fill(grads_.begin(), grads_.end(), 0.f); }

std::size_t Transformer::activation_floats(int B, int T) const {
  const std::size_t N = std::size_t(B) * T, C = config_.d_model, F = config_.d_mlp(),
                    H = config_.n_heads, V = V_;
  // per block: ln1, atty, attn_out, resid_mid, ln2, mlp_out, resid_post (7 · N·C), qkv (3 N·C),
  // fch, fch_gelu (2 N·F), four (N) statistics, att (B·H·T·T)
  const std::size_t block = 10 * N * C + 2 * N * F + 4 * N + std::size_t(B) * H * T * T;
  return N * C + config_.n_layers * block + N * C + 2 * N + 2 * N * V + N;
}

void Transformer::point(LmActivations& a, float* base, int B, int T) const {
  const std::size_t N = std::size_t(B) * T, C = config_.d_model, F = config_.d_mlp(),
                    H = config_.n_heads;
  float* p = base;
  auto take = [&](std::size_t n) {
    float* r = p;
    p += n;
    return r;
  };
  a.encoded = take(N * C);
  a.h.resize(config_.n_layers);
  for (int l = 0; l < config_.n_layers; ++l) {
    LmLayerActivations& h = a.h[l];
    h.resid_pre = l == 0 ? a.encoded : a.h[l - 1].resid_post;
    h.ln1 = take(N * C);
    h.ln1_mean = take(N);
    h.ln1_rstd = take(N);
    h.qkv = take(3 * N * C);
    h.att = take(std::size_t(B) * H * T * T);
    h.atty = take(N * C);
    h.attn_out = take(N * C);
    h.resid_mid = take(N * C);
    h.ln2 = take(N * C);
    h.ln2_mean = take(N);
    h.ln2_rstd = take(N);
    h.fch = take(N * F);
    h.fch_gelu = take(N * F);
    h.mlp_out = take(N * C);
    h.resid_post = take(N * C);
  }
  a.lnf = take(N * C);
  a.lnf_mean = take(N);
  a.lnf_rstd = take(N);
  a.logits = take(N * V_);
  a.probs = take(N * V_);
  a.losses = take(N);
}

void Transformer::resize_activations(int B, int T) {
  if (B == B_ && T == T_) return;
  const std::size_t n = activation_floats(B, T);
  if (acts_.size() < n) {
    acts_.resize(n);
    dacts_.resize(n);
  }
  point(a_, acts_.data(), B, T);
  point(da_, dacts_.data(), B, T);
  B_ = B;
  T_ = T;
}

double Transformer::forward(const int32_t* tokens, const int32_t* targets, int B, int T,
                            const HookSpec* spec, HookRecords* records) {
  const int C = config_.d_model, H = config_.n_heads, F = config_.d_mlp(), L = config_.n_layers;
  const int hs = C / H;
  require_in_range("batch", B, 1, 1 << 16);
  require_in_range("sequence length", T, 1, config_.context, false, false, nullptr, "context");
  // A forward at any (B, T) keeps its activations and room for their gradients.
  require_fits_browser("the activations of batch × sequence length = " + std::to_string(B) + " × " +
                           std::to_string(T),
                       static_cast<double>(activation_floats(B, T)), kMaxForwardFloats, 2);
  const std::size_t N = std::size_t(B) * T;
  for (std::size_t i = 0; i < N; ++i) {
    if (tokens[i] < 0 || tokens[i] >= V_)
      require_in_range("token id", tokens[i], 0, V_ - 1, false, false, nullptr, "vocab_size-1");
    if (targets && (targets[i] < 0 || targets[i] >= V_))
      require_in_range("target id", targets[i], 0, V_ - 1, false, false, nullptr, "vocab_size-1");
  }
  const bool hooked = spec && !spec->empty();
  if (hooked) validate_hook_spec(*spec, B, T, L, C, H);
  if (records) records->clear();

  resize_activations(B, T);
  tokens_.assign(tokens, tokens + N);
  has_targets_ = targets != nullptr;
  if (targets) targets_.assign(targets, targets + N);
  edited_ = hooked && !spec->edits.empty();

  auto hook = [&](const std::string& name, float* data) {
    HookTensor t = hook_shape(name, B, T, L, C, H);
    t.data = data;
    run_hook(name, t, *spec, records);
  };

  // embeddings
  if (hooked) {
    hook_embed_.resize(N * C);
    hook_pos_.resize(N * C);
    for (std::size_t n = 0; n < N; ++n) {
      std::copy_n(p_.wte + std::size_t(tokens[n]) * C, C, hook_embed_.data() + n * C);
      std::copy_n(p_.wpe + (n % T) * C, C, hook_pos_.data() + n * C);
    }
    hook("hook_embed", hook_embed_.data());
    hook("hook_pos_embed", hook_pos_.data());
    residual_forward(a_.encoded, hook_embed_.data(), hook_pos_.data(), N * C);
  } else {
    encoder_forward(a_.encoded, tokens, p_.wte, p_.wpe, B, T, C);
  }

  for (int l = 0; l < L; ++l) {
    const LmLayerParams& w = p_.h[l];
    LmLayerActivations& a = a_.h[l];
    if (hooked) hook(block_hook(l, "hook_resid_pre"), a.resid_pre);
    // attention
    layernorm_forward(a.ln1, a.ln1_mean, a.ln1_rstd, a.resid_pre, w.ln_1_w, w.ln_1_b, N, C);
    linear_forward(a.qkv, a.ln1, w.c_attn_w, w.c_attn_b, N, C, 3 * C);
    attention_pattern_forward(a.att, a.qkv, B, T, C, H);
    if (hooked) hook(block_hook(l, "attn.hook_pattern"), a.att);
    attention_mix_forward(a.atty, a.att, a.qkv, B, T, C, H);
    if (hooked) hook(block_hook(l, "attn.hook_z"), a.atty);
    const std::string result = hooked ? block_hook(l, "attn.hook_result") : std::string();
    if (hooked && spec->touches(result)) {
      // Each head's output through its rows of c_proj: result (N, H, C), then their sum.
      hook_result_.assign(N * H * C, 0.f);
      for (int h = 0; h < H; ++h)  // (C, N) with ldc H·C += W[h·hs:(h+1)·hs, :]ᵀ · z_h
        gemm(Trans::No, Trans::No, C, N, hs, w.attn_proj_w + std::size_t(h) * hs * C, C,
             a.atty + h * hs, C, hook_result_.data() + h * C, std::size_t(H) * C);
      hook(result, hook_result_.data());
      for (std::size_t n = 0; n < N; ++n) {
        float* o = a.attn_out + n * C;
        std::copy_n(w.attn_proj_b, C, o);
        for (int h = 0; h < H; ++h) {
          const float* r = hook_result_.data() + (n * H + h) * C;
          for (int i = 0; i < C; ++i) o[i] += r[i];
        }
      }
    } else {
      linear_forward(a.attn_out, a.atty, w.attn_proj_w, w.attn_proj_b, N, C, C);
    }
    if (hooked) hook(block_hook(l, "hook_attn_out"), a.attn_out);
    residual_forward(a.resid_mid, a.resid_pre, a.attn_out, N * C);
    if (hooked) hook(block_hook(l, "hook_resid_mid"), a.resid_mid);
    // MLP
    layernorm_forward(a.ln2, a.ln2_mean, a.ln2_rstd, a.resid_mid, w.ln_2_w, w.ln_2_b, N, C);
    linear_forward(a.fch, a.ln2, w.c_fc_w, w.c_fc_b, N, C, F);
    gelu_forward(a.fch_gelu, a.fch, N * F);
    if (hooked) hook(block_hook(l, "mlp.hook_post"), a.fch_gelu);
    linear_forward(a.mlp_out, a.fch_gelu, w.mlp_proj_w, w.mlp_proj_b, N, F, C);
    if (hooked) hook(block_hook(l, "hook_mlp_out"), a.mlp_out);
    residual_forward(a.resid_post, a.resid_mid, a.mlp_out, N * C);
    if (hooked) hook(block_hook(l, "hook_resid_post"), a.resid_post);
  }

  const float* resid = a_.h[L - 1].resid_post;
  layernorm_forward(a_.lnf, a_.lnf_mean, a_.lnf_rstd, resid, p_.ln_f_w, p_.ln_f_b, N, C);
  if (hooked && spec->touches("ln_final.hook_scale")) {
    hook_scale_.resize(N);
    for (std::size_t n = 0; n < N; ++n) hook_scale_[n] = 1.f / a_.lnf_rstd[n];
    hook("ln_final.hook_scale", hook_scale_.data());
  }
  unembed_forward(a_.logits, a_.lnf, p_.wte, N, C, V_);
  if (!targets) {
    softmax_forward(a_.probs, a_.logits, N, V_);
    return std::nan("");
  }
  return softmax_crossentropy_forward(a_.probs, a_.losses, a_.logits, targets, N, V_);
}

void Transformer::backward() {
  if (B_ == 0 || !has_targets_)
    throw std::logic_error("Transformer::backward needs a forward with targets first");
  if (edited_)
    throw std::logic_error("Transformer::backward cannot follow a forward with hook edits");
  const int B = B_, T = T_, C = config_.d_model, H = config_.n_heads, F = config_.d_mlp(),
            L = config_.n_layers;
  const std::size_t N = std::size_t(B) * T;
  // Each backward accumulates into its inputs' gradients: zero each buffer just before the
  // first backward that writes it. A residual add passes its gradient unchanged to both
  // branches, so a branch's backward reads the stream's gradient (dresid) directly.
  auto zero = [](float* x, std::size_t n) { std::fill(x, x + n, 0.f); };
  zero(da_.logits, N * V_);
  softmax_crossentropy_backward(da_.logits, a_.probs, targets_.data(), N, V_);
  zero(da_.lnf, N * C);
  unembed_backward(da_.lnf, g_.wte, da_.logits, a_.lnf, p_.wte, N, C, V_);
  zero(da_.h[L - 1].resid_post, N * C);
  layernorm_backward(da_.h[L - 1].resid_post, g_.ln_f_w, g_.ln_f_b, da_.lnf, a_.h[L - 1].resid_post,
                     p_.ln_f_w, a_.lnf_mean, a_.lnf_rstd, N, C);
  for (int l = L - 1; l >= 0; --l) {
    const LmLayerParams& w = p_.h[l];
    const LmLayerParams& dw = g_.h[l];
    const LmLayerActivations& a = a_.h[l];
    const LmLayerActivations& d = da_.h[l];
    // MLP: resid_post = resid_mid + mlp_out (d.mlp_out would equal d.resid_post)
    std::copy_n(d.resid_post, N * C, d.resid_mid);
    zero(d.fch_gelu, N * F);
    linear_backward(d.fch_gelu, dw.mlp_proj_w, dw.mlp_proj_b, d.resid_post, a.fch_gelu,
                    w.mlp_proj_w, N, F, C);
    gelu_backward(d.fch_gelu, a.fch, d.fch_gelu, N * F);  // in place: now d(fch)
    zero(d.ln2, N * C);
    linear_backward(d.ln2, dw.c_fc_w, dw.c_fc_b, d.fch_gelu, a.ln2, w.c_fc_w, N, C, F);
    layernorm_backward(d.resid_mid, dw.ln_2_w, dw.ln_2_b, d.ln2, a.resid_mid, w.ln_2_w, a.ln2_mean,
                       a.ln2_rstd, N, C);
    // attention: resid_mid = resid_pre + attn_out (d.attn_out would equal d.resid_mid)
    std::copy_n(d.resid_mid, N * C, d.resid_pre);
    zero(d.atty, N * C);
    linear_backward(d.atty, dw.attn_proj_w, dw.attn_proj_b, d.resid_mid, a.atty, w.attn_proj_w, N,
                    C, C);
    zero(d.qkv, 3 * N * C);
    attention_backward(d.qkv, d.atty, a.qkv, a.att, B, T, C, H);
    zero(d.ln1, N * C);
    linear_backward(d.ln1, dw.c_attn_w, dw.c_attn_b, d.qkv, a.ln1, w.c_attn_w, N, C, 3 * C);
    layernorm_backward(d.resid_pre, dw.ln_1_w, dw.ln_1_b, d.ln1, a.resid_pre, w.ln_1_w, a.ln1_mean,
                       a.ln1_rstd, N, C);
  }
  encoder_backward(g_.wte, g_.wpe, da_.encoded, tokens_.data(), B, T, C);
}

}  // namespace superpose
