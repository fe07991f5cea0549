#include "lm/lm_sae_splice.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "core/rng.hpp"
#include "lm/lm_activations.hpp"

namespace superpose {

namespace {
void check_hook(const Transformer& model, const Sae& sae, const std::string& hook) {
  const int D = sae_hook_dim(hook, model.config());
  if (D != sae.d())
    fail_config("the SAE reads " + std::to_string(sae.d()) + " values, hook \"" + hook + "\" has " +
                std::to_string(D));
}

// The clean forward's hook values as (D, B·T) (a record is (B, T, D) row-major: the same bytes).
Mat record_hook(Transformer& model, const std::string& hook, const int32_t* tokens,
                const int32_t* targets, int B, int T, double* loss) {
  HookSpec spec;
  spec.record.push_back(hook);
  HookRecords rec;
  const double l = model.forward(tokens, targets, B, T, &spec, &rec);
  if (loss) *loss = l;
  const HookRecord& r = rec.at(hook);
  const int D = r.shape.back();
  return Eigen::Map<const Mat>(r.data.data(), D, static_cast<Eigen::Index>(B) * T);
}

// log softmax of a row of V logits, in double.
void log_softmax(const float* logits, int V, std::vector<double>& out) {
  out.resize(V);
  const double m = *std::max_element(logits, logits + V);
  double sum = 0;
  for (int v = 0; v < V; ++v) sum += std::exp(logits[v] - m);
  const double lse = m + std::log(sum);
  for (int v = 0; v < V; ++v) out[v] = logits[v] - lse;
}
}  // namespace

std::vector<HookEdit> sae_splice_edits(Sae& sae, const SaeSplice& splice,
                                       const Eigen::Ref<const Mat>& X, int B, int T) {
  const int D = sae.d(), L = sae.n_latents();
  if (X.rows() != D)
    fail_config("the SAE reads " + std::to_string(D) + " values, the hook has " + std::to_string(X.rows()));
  if (X.cols() != static_cast<Eigen::Index>(B) * T) fail_config("sae_splice_edits: X must have B·T columns");
  for (const LatentAblation& a : splice.ablations) require_in_range("latent", a.latent, 0, L - 1);
  SparseCode code;
  sae.encode(X, code);
  Mat out;
  if (splice.error_term) out = X;
  else sae.decode(code, out);
  if (!splice.ablations.empty()) {
    const ConstMatMap W_dec = static_cast<const Sae&>(sae).W_dec();  // (D, L)
    for (int s = 0; s < code.batch_size(); ++s)
      for (const LatentAblation& a : splice.ablations) {
        float f = 0.f;  // the latent's activation at s (0 when it does not fire)
        for (int e = code.start[s]; e < code.start[s + 1]; ++e)
          if (code.index[e] == a.latent) f = code.value[e];
        if (a.value != f) out.col(s) += (a.value - f) * W_dec.col(a.latent);
      }
  }
  std::vector<HookEdit> edits(static_cast<std::size_t>(B) * T);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      HookEdit& e = edits[std::size_t(b) * T + t];
      const float* col = out.data() + (std::size_t(b) * T + t) * D;
      e.hook = splice.hook;
      e.batch = b;
      e.positions = {t};
      e.op = HookOp::set;
      e.vector.assign(col, col + D);
    }
  return edits;
}

double spliced_forward(Transformer& model, Sae& sae, const SaeSplice& splice,
                       const int32_t* tokens, const int32_t* targets, int B, int T) {
  check_hook(model, sae, splice.hook);
  const Mat X = record_hook(model, splice.hook, tokens, nullptr, B, T, nullptr);
  HookSpec spec;
  spec.edits = sae_splice_edits(sae, splice, X, B, T);
  return model.forward(tokens, targets, B, T, &spec);
}

SpliceMetrics splice_metrics(Transformer& model, Sae& sae, const std::string& hook,
                             const int32_t* x, const int32_t* y, int B, int T) {
  check_hook(model, sae, hook);
  require_in_range("windows", B, 1, kMaxActivationWindows);
  const int V = model.vocab_size();
  SpliceMetrics m;
  double clean = 0, spliced = 0, zero = 0, kl = 0;
  std::vector<float> clean_logits;
  std::vector<double> lp, lq;
  HookSpec zero_spec;
  zero_spec.edits.push_back(HookEdit{hook, -1, {}, HookOp::zero, {}});
  SaeSplice splice;
  splice.hook = hook;
  for (int b0 = 0; b0 < B; b0 += kActivationChunk) {
    const int Bc = std::min(kActivationChunk, B - b0);
    const int32_t* xc = x + std::size_t(b0) * T;
    const int32_t* yc = y + std::size_t(b0) * T;
    const std::size_t n = std::size_t(Bc) * T;
    double l = 0;
    const Mat X = record_hook(model, hook, xc, yc, Bc, T, &l);
    clean += l * n;
    clean_logits.assign(model.activations().logits, model.activations().logits + n * V);
    zero += model.forward(xc, yc, Bc, T, &zero_spec) * n;
    HookSpec spec;
    spec.edits = sae_splice_edits(sae, splice, X, Bc, T);
    spliced += model.forward(xc, yc, Bc, T, &spec) * n;
    const float* q = model.activations().logits;
    for (std::size_t i = 0; i < n; ++i) {
      log_softmax(clean_logits.data() + i * V, V, lp);
      log_softmax(q + i * V, V, lq);
      double k = 0;
      for (int v = 0; v < V; ++v) k += std::exp(lp[v]) * (lp[v] - lq[v]);
      kl += std::max(k, 0.0);  // ≥ 0 up to rounding
    }
  }
  const double N = static_cast<double>(B) * T;
  m.tokens = static_cast<int64_t>(N);
  m.clean_loss = clean / N;
  m.sae_loss = spliced / N;
  m.zero_loss = zero / N;
  m.kl = kl / N;
  m.ce_loss_score = m.zero_loss == m.clean_loss ? kNaN
                                                : (m.zero_loss - m.sae_loss) / (m.zero_loss - m.clean_loss);
  return m;
}

LmWindows heldout_windows(const Corpus& corpus, int context, int B, uint64_t seed) {
  require_in_range("windows", B, 1, kMaxActivationWindows);
  LmWindows w;
  const int64_t n = static_cast<int64_t>(corpus.heldout.size());
  if (n < 2) fail_config("the held-out split has " + std::to_string(n) + " tokens, fewer than the 2 a window needs");
  w.B = B;
  w.T = static_cast<int>(std::min<int64_t>(context, n - 1));
  w.x.resize(std::size_t(B) * w.T);
  w.y.resize(std::size_t(B) * w.T);
  Rng rng(seed, 7);
  corpus.sample_batch(rng, B, w.T, w.x.data(), w.y.data(), Split::heldout);
  return w;
}

Vec latent_means(Sae& sae, const Eigen::Ref<const Mat>& X) {
  if (X.rows() != sae.d())
    fail_config("the SAE reads " + std::to_string(sae.d()) + " values, the data has " + std::to_string(X.rows()));
  if (X.cols() < 1) fail_config("latent_means: no data");
  SparseCode code;
  sae.encode(X, code);
  std::vector<double> sum(sae.n_latents(), 0.0);
  for (std::size_t e = 0; e < code.nnz(); ++e) sum[code.index[e]] += code.value[e];
  Vec mean(sae.n_latents());
  for (int i = 0; i < sae.n_latents(); ++i) mean[i] = static_cast<float>(sum[i] / static_cast<double>(X.cols()));
  return mean;
}

LatentAblationEffect latent_ablation_effect(Transformer& model, Sae& sae, const std::string& hook,
                                            const LatentAblation& ablation,
                                            const std::vector<int32_t>& prompt,
                                            const int32_t* x, const int32_t* y, int B, int T) {
  check_hook(model, sae, hook);
  require_in_range("latent", ablation.latent, 0, sae.n_latents() - 1);
  if (prompt.empty()) fail_config("the prompt is empty");
  require_in_range("windows", B, 1, kMaxActivationWindows);
  const int V = model.vocab_size();
  const int Tp = std::min<int>(static_cast<int>(prompt.size()), model.config().context);
  const int32_t* p = prompt.data() + (prompt.size() - Tp);
  LatentAblationEffect r;
  r.ablation = ablation;
  SaeSplice none, ablated;
  none.hook = ablated.hook = hook;
  none.error_term = ablated.error_term = true;
  ablated.ablations = {ablation};
  auto next_probs = [&](const SaeSplice& s) {
    spliced_forward(model, sae, s, p, nullptr, 1, Tp);
    const float* probs = model.activations().probs + std::size_t(Tp - 1) * V;
    return std::vector<float>(probs, probs + V);
  };
  r.probs_before = next_probs(none);
  r.probs_after = next_probs(ablated);
  double before = 0, after = 0;
  for (int b0 = 0; b0 < B; b0 += kActivationChunk) {
    const int Bc = std::min(kActivationChunk, B - b0);
    const double n = static_cast<double>(Bc) * T;
    before += spliced_forward(model, sae, none, x + std::size_t(b0) * T, y + std::size_t(b0) * T, Bc, T) * n;
    after += spliced_forward(model, sae, ablated, x + std::size_t(b0) * T, y + std::size_t(b0) * T, Bc, T) * n;
  }
  r.loss_before = before / (static_cast<double>(B) * T);
  r.loss_after = after / (static_cast<double>(B) * T);
  return r;
}

}  // namespace superpose
