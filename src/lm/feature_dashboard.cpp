#include "lm/feature_dashboard.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "core/check.hpp"
#include "core/rng.hpp"

namespace superpose {

namespace {

// The layer l of "blocks.{l}.mlp.hook_post", or -1 for any other hook.
int mlp_post_layer(const std::string& hook) {
  int l = -1, n = 0;
  if (std::sscanf(hook.c_str(), "blocks.%d.mlp.hook_post%n", &l, &n) == 1 &&
      n == static_cast<int>(hook.size()))
    return l;
  return -1;
}

void require_latent(int latent, int n_latents) {
  require_in_range("latent", latent, 0, n_latents - 1, false, false, nullptr, "n_latents-1");
}

// Latent i's entries of the codes in order of activation, largest first (ties: lower column).
std::vector<int64_t> by_activation_desc(const LatentCodes& c, int latent) {
  std::vector<int64_t> e(static_cast<std::size_t>(c.fires(latent)));
  std::iota(e.begin(), e.end(), c.start[latent]);
  std::stable_sort(e.begin(), e.end(), [&](int64_t a, int64_t b) { return c.value[a] > c.value[b]; });
  return e;
}

ActivationContext make_context(const LmActivationSet& set, const std::vector<float>& dense,
                               int32_t column) {
  ActivationContext ctx;
  ctx.column = column;
  ctx.window = column / set.T;
  ctx.position = column % set.T;
  ctx.activation = dense[column];
  const std::size_t first = static_cast<std::size_t>(ctx.window) * set.T;
  ctx.tokens.assign(set.tokens.begin() + first, set.tokens.begin() + first + set.T);
  ctx.activations.assign(dense.begin() + first, dense.begin() + first + set.T);
  return ctx;
}

}  // namespace

std::vector<float> LatentCodes::dense(int latent) const {
  std::vector<float> out(static_cast<std::size_t>(N), 0.f);
  for (int64_t e = start[latent]; e < start[latent + 1]; ++e) out[column[e]] = value[e];
  return out;
}

LatentCodes encode_set(Sae& sae, const LmActivationSet& set, int chunk) {
  require_in_range("chunk", chunk, 1, 1 << 20);
  if (sae.d() != set.X.rows())
    fail_config("the SAE reads " + std::to_string(sae.d()) + " values per token but the activation set (" +
                set.hook + ") has " + std::to_string(set.X.rows()));
  const int L = sae.n_latents(), N = static_cast<int>(set.X.cols());
  std::vector<std::vector<int32_t>> cols(L);
  std::vector<std::vector<float>> vals(L);
  SparseCode code;
  for (int c0 = 0; c0 < N; c0 += chunk) {
    const int n = std::min(chunk, N - c0);
    sae.encode(set.X.middleCols(c0, n), code);
    for (int s = 0; s < n; ++s)
      for (int e = code.start[s]; e < code.start[s + 1]; ++e) {
        if (!(code.value[e] > 0)) continue;
        cols[code.index[e]].push_back(c0 + s);
        vals[code.index[e]].push_back(code.value[e]);
      }
  }
  LatentCodes out;
  out.n_latents = L;
  out.N = N;
  out.start.assign(L + 1, 0);
  for (int i = 0; i < L; ++i) out.start[i + 1] = out.start[i] + static_cast<int64_t>(cols[i].size());
  out.column.reserve(static_cast<std::size_t>(out.start[L]));
  out.value.reserve(static_cast<std::size_t>(out.start[L]));
  out.max.assign(L, 0.f);
  out.sum.assign(L, 0.0);
  for (int i = 0; i < L; ++i) {
    for (float v : vals[i]) {
      out.max[i] = std::max(out.max[i], v);
      out.sum[i] += v;
    }
    out.column.insert(out.column.end(), cols[i].begin(), cols[i].end());
    out.value.insert(out.value.end(), vals[i].begin(), vals[i].end());
    std::vector<int32_t>().swap(cols[i]);
    std::vector<float>().swap(vals[i]);
  }
  return out;
}

// --- labels -------------------------------------------------------------------------------------

int find_label(const Corpus& corpus, const std::string& name) {
  if (!corpus.has_labels())
    fail_config("label \"" + name + "\": the corpus (" + corpus.source + ") has no ground-truth labels");
  int k = corpus.label_index(name);
  if (k < 0) k = corpus.label_index("predicts_" + name);
  if (k >= 0) return k;
  std::string names;
  for (const TokenLabel& l : corpus.labels) names += (names.empty() ? "" : ", ") + l.name;
  fail_config("unknown label \"" + name + "\" (labels: " + names + "; or X for predicts_X)");
}

LabelCounts count_labels(const LatentCodes& codes, const LmActivationSet& set, int n_labels,
                         double firing_fraction) {
  LabelCounts c;
  if (!(firing_fraction >= 0 && firing_fraction < 1))
    fail_config("firing_fraction must be in [0, 1) (got " + std::to_string(firing_fraction) + ")");
  if (set.labels.empty() || n_labels <= 0) return c;
  if (static_cast<int64_t>(set.labels.size()) != codes.N)
    fail_config("the activation set has " + std::to_string(set.labels.size()) + " labels for " +
                std::to_string(codes.N) + " tokens");
  require_in_range("n_labels", n_labels, 1, kMaxTokenLabels);
  const int K = n_labels, L = codes.n_latents;
  c.n_labels = K;
  c.firing_fraction = firing_fraction;
  c.label_total.assign(K, 0);
  c.fires.assign(L, 0);
  c.joint.assign(static_cast<std::size_t>(L) * K, 0);
  for (uint32_t bits : set.labels)
    for (int k = 0; k < K; ++k) c.label_total[k] += (bits >> k) & 1u;
  for (int i = 0; i < L; ++i) {
    int64_t* row = c.joint.data() + static_cast<std::size_t>(i) * K;
    const double threshold = firing_fraction * codes.max[i];
    for (int64_t e = codes.start[i]; e < codes.start[i + 1]; ++e) {
      if (!(codes.value[e] > threshold)) continue;
      ++c.fires[i];
      const uint32_t bits = set.labels[codes.column[e]];
      for (int k = 0; k < K; ++k) row[k] += (bits >> k) & 1u;
    }
  }
  return c;
}

LabelMatch label_match(const LatentCodes& codes, const LabelCounts& counts, int latent, int label) {
  require_latent(latent, codes.n_latents);
  require_in_range("label", label, 0, counts.n_labels - 1);
  LabelMatch m;
  m.label = label;
  m.both = counts.joint[static_cast<std::size_t>(latent) * counts.n_labels + label];
  const int64_t fires = counts.fires[latent], total = counts.label_total[label];
  m.precision = fires > 0 ? static_cast<double>(m.both) / static_cast<double>(fires) : 0.0;
  m.recall = total > 0 ? static_cast<double>(m.both) / static_cast<double>(total) : 0.0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
  return m;
}

LabelMatch best_label(const LatentCodes& codes, const LabelCounts& counts, int latent) {
  require_latent(latent, codes.n_latents);
  LabelMatch best;
  for (int k = 0; k < counts.n_labels; ++k) {
    const LabelMatch m = label_match(codes, counts, latent, k);
    if (m.f1 > best.f1) best = m;
  }
  return best;
}

int best_latent_for_label(const LatentCodes& codes, const LabelCounts& counts, int label) {
  require_in_range("label", label, 0, counts.n_labels - 1);
  int best = -1;
  double best_f1 = 0;
  for (int i = 0; i < codes.n_latents; ++i) {
    const double f1 = label_match(codes, counts, i, label).f1;
    if (f1 > best_f1) best_f1 = f1, best = i;
  }
  return best;
}

// --- the latent list ----------------------------------------------------------------------------

std::vector<LatentSummary> latent_list(const LatentCodes& codes, const LabelCounts& counts,
                                       LatentOrder order) {
  std::vector<LatentSummary> out(static_cast<std::size_t>(codes.n_latents));
  for (int i = 0; i < codes.n_latents; ++i) {
    LatentSummary& s = out[i];
    s.index = i;
    const int64_t fires = codes.fires(i);
    s.frequency = codes.N > 0 ? static_cast<double>(fires) / codes.N : 0.0;
    s.max_activation = codes.max[i];
    s.mean_activation = codes.mean(i);
    s.label = best_label(codes, counts, i);
  }
  std::stable_sort(out.begin(), out.end(), [order](const LatentSummary& a, const LatentSummary& b) {
    return order == LatentOrder::frequency ? a.frequency > b.frequency : a.label.f1 > b.label.f1;
  });
  return out;
}

// --- one latent's dashboard ---------------------------------------------------------------------

void DashboardOptions::validate() const {
  require_in_range("top_contexts", top_contexts, 0, 1000);
  require_in_range("quantile_bands", quantile_bands, 0, 20);
  require_in_range("per_band", per_band, 0, 100);
  require_in_range("histogram_bins", histogram_bins, 1, 1000);
  require_in_range("logit_tokens", logit_tokens, 0, 1000);
}

std::vector<float> logit_effects(const Sae& sae, const Transformer& model, const std::string& hook,
                                 int latent) {
  const LmConfig& m = model.config();
  const int D = sae_hook_dim(hook, m), C = m.d_model, V = model.vocab_size();
  if (sae.d() != D)
    fail_config("the SAE reads " + std::to_string(sae.d()) + " values per token but " + hook + " has " +
                std::to_string(D));
  require_latent(latent, sae.n_latents());
  const LmParams& p = model.weights();
  const auto w_dec = sae.W_dec().col(latent);  // (D)
  std::vector<double> u(static_cast<std::size_t>(C), 0.0);  // the direction in the residual stream
  const int l = mlp_post_layer(hook);
  if (l >= 0) {
    const float* proj = p.h[l].mlp_proj_w;  // (F, C) row-major: out[c] = Σ_f in[f] W[f, c]
    for (int f = 0; f < D; ++f)
      for (int c = 0; c < C; ++c) u[c] += static_cast<double>(w_dec[f]) * proj[static_cast<std::size_t>(f) * C + c];
  } else {
    for (int c = 0; c < C; ++c) u[c] = w_dec[c];
  }
  for (int c = 0; c < C; ++c) u[c] *= p.ln_f_w[c];
  std::vector<float> out(static_cast<std::size_t>(V));
  for (int v = 0; v < V; ++v) {
    const float* w_u = p.wte + static_cast<std::size_t>(v) * C;
    double s = 0;
    for (int c = 0; c < C; ++c) s += u[c] * w_u[c];
    out[v] = static_cast<float>(s);
  }
  return out;
}

FeatureDashboard feature_dashboard(const LatentCodes& codes, const LabelCounts& counts,
                                   const LmActivationSet& set, const Sae& sae,
                                   const Transformer& model, int latent,
                                   const DashboardOptions& options) {
  options.validate();
  require_latent(latent, codes.n_latents);
  if (codes.N != set.size() || static_cast<int64_t>(set.tokens.size()) != codes.N || set.T < 1 ||
      codes.N % set.T != 0)
    fail_config("the codes (" + std::to_string(codes.N) + " tokens) do not belong to the activation set (" +
                std::to_string(set.size()) + " tokens, " + std::to_string(set.tokens.size()) + " token ids, T " +
                std::to_string(set.T) + ")");
  FeatureDashboard d;
  d.latent = latent;
  d.N = codes.N;
  d.fires = codes.fires(latent);
  d.frequency = d.N > 0 ? static_cast<double>(d.fires) / d.N : 0.0;
  const std::vector<float> dense = codes.dense(latent);
  d.max_activation = codes.max[latent];
  d.mean_activation = codes.mean(latent);

  // Histogram over [0, max]: bin b holds [b·w, (b+1)·w), the last one also max.
  const int bins = options.histogram_bins;
  d.histogram.assign(bins, 0);
  d.bin_width = d.max_activation > 0 ? static_cast<double>(d.max_activation) / bins : 0.0;
  for (int64_t e = codes.start[latent]; e < codes.start[latent + 1]; ++e) {
    const int b = static_cast<int>(codes.value[e] / d.bin_width);
    ++d.histogram[std::min(std::max(b, 0), bins - 1)];
  }

  const std::vector<int64_t> desc = by_activation_desc(codes, latent);
  const std::size_t n_top = std::min<std::size_t>(options.top_contexts, desc.size());
  for (std::size_t r = 0; r < n_top; ++r) d.top.push_back(make_context(set, dense, codes.column[desc[r]]));

  // Quantile bands by rank, lowest first: ascending order = desc reversed (ties: lower column
  // first within equal activations, so re-sort that way).
  if (d.fires > 0) {
    std::vector<int64_t> asc(desc.rbegin(), desc.rend());
    std::stable_sort(asc.begin(), asc.end(), [&](int64_t a, int64_t b) {
      return codes.value[a] < codes.value[b] || (codes.value[a] == codes.value[b] && codes.column[a] < codes.column[b]);
    });
    Rng rng(options.seed, static_cast<uint64_t>(latent));
    const int Q = options.quantile_bands;
    const int64_t n = d.fires;
    for (int q = 0; q < Q; ++q) {
      QuantileBand band;
      const int64_t r0 = q * n / Q, r1 = (q + 1) * n / Q;
      band.count = r1 - r0;
      if (band.count > 0) {
        band.lo = codes.value[asc[r0]];
        band.hi = codes.value[asc[r1 - 1]];
        // Partial Fisher-Yates over the band's ranks.
        std::vector<int64_t> ranks(static_cast<std::size_t>(band.count));
        std::iota(ranks.begin(), ranks.end(), r0);
        const int64_t take = std::min<int64_t>(options.per_band, band.count);
        std::vector<int32_t> chosen;
        for (int64_t j = 0; j < take; ++j) {
          const int64_t pick = j + static_cast<int64_t>(rng.below(static_cast<uint32_t>(band.count - j)));
          std::swap(ranks[j], ranks[pick]);
          chosen.push_back(codes.column[asc[ranks[j]]]);
        }
        std::sort(chosen.begin(), chosen.end());
        for (int32_t col : chosen) band.contexts.push_back(make_context(set, dense, col));
      }
      d.bands.push_back(std::move(band));
    }
  }

  const std::vector<float> effects = logit_effects(sae, model, set.hook, latent);
  const int V = static_cast<int>(effects.size());
  std::vector<int32_t> order(static_cast<std::size_t>(V));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return effects[a] > effects[b]; });
  const int k = std::min(options.logit_tokens, V);
  for (int r = 0; r < k; ++r) d.promoted.push_back({order[r], effects[order[r]]});
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return effects[a] < effects[b]; });
  for (int r = 0; r < k; ++r) d.suppressed.push_back({order[r], effects[order[r]]});

  d.label = best_label(codes, counts, latent);
  return d;
}

// --- the prompt view ----------------------------------------------------------------------------

Mat prompt_activations(Transformer& model, const std::vector<int32_t>& tokens, const std::string& hook) {
  const int D = sae_hook_dim(hook, model.config());
  const int n = static_cast<int>(tokens.size());
  require_in_range("prompt length", n, 1, 1e9);
  const int T = std::min(n, model.config().context);
  HookSpec spec;
  spec.record = {hook};
  HookRecords records;
  model.forward(tokens.data() + (n - T), nullptr, 1, T, &spec, &records);
  const HookRecord& r = records.at(hook);
  // [1, T, D] row-major is (D, T) column-major.
  return ConstMatMap(r.data.data(), D, T);
}

std::vector<TokenLatents> prompt_latents(Transformer& model, Sae& sae, const std::string& hook,
                                         const std::vector<int32_t>& tokens, int top_n) {
  require_in_range("top_n", top_n, 0, 16384);
  const Mat X = prompt_activations(model, tokens, hook);
  if (sae.d() != X.rows())
    fail_config("the SAE reads " + std::to_string(sae.d()) + " values per token but " + hook + " has " +
                std::to_string(X.rows()));
  SparseCode code;
  sae.encode(X, code);
  const int T = static_cast<int>(X.cols());
  const std::size_t first = tokens.size() - static_cast<std::size_t>(T);
  std::vector<TokenLatents> out(static_cast<std::size_t>(T));
  for (int t = 0; t < T; ++t) {
    TokenLatents& tl = out[t];
    tl.token = tokens[first + t];
    for (int e = code.start[t]; e < code.start[t + 1]; ++e)
      if (code.value[e] > 0) tl.latents.emplace_back(code.index[e], code.value[e]);
    std::stable_sort(tl.latents.begin(), tl.latents.end(), [](const auto& a, const auto& b) {
      return a.second > b.second || (a.second == b.second && a.first < b.first);
    });
    if (static_cast<int>(tl.latents.size()) > top_n) tl.latents.resize(top_n);
  }
  return out;
}

}  // namespace superpose
