#include "lm/lm_activations.hpp"

#include <algorithm>
#include <utility>

#include "core/check.hpp"

namespace superpose {

namespace {
// The block hooks of shape [B, T, D] without a head axis, in forward order.
const char* const kSaeBlockHooks[] = {"hook_resid_pre", "hook_attn_out", "hook_resid_mid",
                                      "mlp.hook_post",  "hook_mlp_out",  "hook_resid_post"};
}  // namespace

std::vector<std::string> sae_hook_names(int n_layers) {
  std::vector<std::string> names;
  for (int l = 0; l < n_layers; ++l)
    for (const char* s : kSaeBlockHooks) names.push_back(block_hook(l, s));
  return names;
}

int sae_hook_dim(const std::string& hook, const LmConfig& model) {
  for (int l = 0; l < model.n_layers; ++l)
    for (const char* s : kSaeBlockHooks)
      if (hook == block_hook(l, s)) return std::string(s) == "mlp.hook_post" ? model.d_mlp() : model.d_model;
  fail_config("hook \"" + hook + "\" cannot be read by an SAE (allowed: blocks.{l}.hook_resid_pre, "
              "blocks.{l}.hook_attn_out, blocks.{l}.hook_resid_mid, blocks.{l}.mlp.hook_post, "
              "blocks.{l}.hook_mlp_out, blocks.{l}.hook_resid_post for l in [0, " +
              std::to_string(model.n_layers - 1) + "])");
}

LmActivationSet collect_activations(Transformer& model, const Corpus& corpus,
                                    const std::string& hook, Split split, int windows,
                                    uint64_t seed) {
  const LmConfig& m = model.config();
  const int D = sae_hook_dim(hook, m);
  require_in_range("windows", windows, 1, kMaxActivationWindows);
  if (corpus.vocab_size() != model.vocab_size())
    fail_config("the corpus's vocabulary has " + std::to_string(corpus.vocab_size()) +
                " tokens, the model's " + std::to_string(model.vocab_size()));
  const std::vector<int32_t>& stream = corpus.tokens(split);
  const int64_t n_stream = static_cast<int64_t>(stream.size());
  const char* split_name = split == Split::train ? "train" : "held-out";
  if (n_stream < 2)
    fail_config(std::string("the ") + split_name + " split has " + std::to_string(n_stream) +
                " tokens, fewer than the 2 a window needs");
  const int T = static_cast<int>(std::min<int64_t>(m.context, n_stream - 1));

  LmActivationSet set;
  set.hook = hook;
  set.split = split;
  set.T = T;
  const std::size_t N = std::size_t(windows) * T;
  set.X.resize(D, static_cast<Eigen::Index>(N));
  set.tokens.resize(N);
  set.starts.resize(windows);
  Rng rng(seed, split == Split::train ? 5 : 6);
  HookSpec spec;
  spec.record.push_back(hook);
  HookRecords records;
  std::vector<int32_t> x, y;
  for (int w0 = 0; w0 < windows; w0 += kActivationChunk) {
    const int B = std::min(kActivationChunk, windows - w0);
    x.resize(std::size_t(B) * T);
    y.resize(std::size_t(B) * T);
    corpus.sample_batch(rng, B, T, x.data(), y.data(), split, set.starts.data() + w0);
    model.forward(x.data(), nullptr, B, T, &spec, &records);
    const HookRecord& r = records.at(hook);  // (B, T, D) row-major: one D-vector per (b, t)
    const std::size_t col0 = std::size_t(w0) * T;
    std::copy(r.data.begin(), r.data.begin() + std::ptrdiff_t(std::size_t(B) * T * D),
              set.X.data() + col0 * D);
    std::copy(x.begin(), x.end(), set.tokens.begin() + std::ptrdiff_t(col0));
  }
  const std::vector<uint32_t>& bits = corpus.label_bits(split);
  if (!bits.empty()) {
    set.labels.resize(N);
    for (int w = 0; w < windows; ++w)
      for (int t = 0; t < T; ++t)
        set.labels[std::size_t(w) * T + t] = bits[static_cast<std::size_t>(set.starts[w] + t)];
  }
  return set;
}

LmActivationData::LmActivationData(LmActivationSet train, LmActivationSet heldout, uint64_t seed)
    : train_(std::move(train)), heldout_(std::move(heldout)), seed_(seed), rng_(seed, 1) {
  if (train_.size() < 1 || heldout_.size() < 1) fail_config("the activations are empty");
  if (train_.dim() != heldout_.dim() || train_.hook != heldout_.hook)
    fail_config("the train activations (" + train_.hook + ", " + std::to_string(train_.dim()) +
                " wide) and the held-out ones (" + heldout_.hook + ", " +
                std::to_string(heldout_.dim()) + " wide) differ");
}

void LmActivationData::sample(Mat& X, int batch_size) {
  X.resize(dim(), batch_size);
  const uint32_t N = static_cast<uint32_t>(train_.size());
  for (int s = 0; s < batch_size; ++s) X.col(s) = train_.X.col(rng_.below(N));
}

Mat LmActivationData::held_out(int n) const {
  Mat X(dim(), n);
  const int N = heldout_.size();
  for (int s = 0; s < n; ++s) X.col(s) = heldout_.X.col(s % N);
  return X;
}

}  // namespace superpose
