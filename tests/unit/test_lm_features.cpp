// Feature dashboards of an SAE on a language model (lm/feature_dashboard.hpp), each part against
// an independent computation: the codes against one whole-set encode (to rounding: GEMM blocks), the top contexts against a
// brute-force scan of every token, quantile bands and histogram against the sorted activations,
// label precision/recall against a hand count on a six-token set, the direct-path logit effects
// against W_U · diag(ln_f.weight) · W_dec built as dense matrices, the prompt view against the
// forward's own resid_post buffer. The trained case (the "cold" latent on the toy world) is in
// test_lm_steering.cpp (slow).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "lm/feature_dashboard.hpp"
#include "lm/toy_world.hpp"
#include "lm_fixture.hpp"
#include "tolerance.hpp"

namespace test_lm_features {

using namespace superpose;

namespace {
const Corpus& small_world() { return test::small_toy_world(); }
Transformer small_model() { return test::perturbed_small_model(7, 0.2); }

std::unique_ptr<Sae> random_sae(int d, int L, const std::string& arch = "relu", uint64_t seed = 1) {
  SaeConfig c;
  c.arch = arch;
  c.n_latents = L;
  c.input_dim = d;
  c.k = 4;
  c.seed = static_cast<int64_t>(seed);
  c.init = "random";
  return make_sae(c, d, Vec::Zero(d));
}
}  // namespace

TEST_CASE("lm features: codes by latent equal one encode of the whole set, chunked or not") {
  Transformer m = small_model();
  const LmActivationSet set = collect_activations(m, small_world(), "blocks.0.hook_resid_post", Split::heldout, 20, 3);
  for (const char* arch : {"relu", "topk"}) {
    auto sae = random_sae(16, 24, arch);
    SparseCode whole;
    sae->encode(set.X, whole);
    Mat dense = Mat::Zero(24, set.size());
    for (int s = 0; s < set.size(); ++s)
      for (int e = whole.start[s]; e < whole.start[s + 1]; ++e) dense(whole.index[e], s) = whole.value[e];
    const LatentCodes codes = encode_set(*sae, set, 7);  // 7: chunks that cut windows
    CHECK(codes.N == set.size());
    int64_t nnz = 0;
    for (int i = 0; i < 24; ++i) {
      const std::vector<float> d = codes.dense(i);
      for (int n = 0; n < set.size(); ++n) REQUIRE(test::close(d[n], dense(i, n), 1e-5, 1e-6));  // GEMM blocking
      for (int64_t e = codes.start[i] + 1; e < codes.start[i + 1]; ++e) CHECK(codes.column[e - 1] < codes.column[e]);
      nnz += codes.fires(i);
    }
    CHECK(nnz == (dense.array() > 0).count());
    CHECK(nnz > 0);
  }
  auto wrong = random_sae(8, 4);
  CHECK_THROWS_AS(encode_set(*wrong, set), std::invalid_argument);
}

TEST_CASE("lm features: the top contexts are the argmax over every token of the set") {
  Transformer m = small_model();
  const LmActivationSet set = collect_activations(m, small_world(), "blocks.1.hook_resid_mid", Split::heldout, 30, 4);
  auto sae = random_sae(16, 12);
  const LatentCodes codes = encode_set(*sae, set, 50);
  const LabelCounts counts = count_labels(codes, set, static_cast<int>(small_world().labels.size()));
  DashboardOptions o;
  o.top_contexts = 5;
  int checked = 0;
  for (int i = 0; i < 12; ++i) {
    // Brute force: encode each column alone, keep latent i's value, sort.
    std::vector<std::pair<float, int>> all;
    SparseCode c;
    for (int n = 0; n < set.size(); ++n) {
      sae->encode(set.X.col(n), c);
      float f = 0;
      for (int e = 0; e < c.start[1]; ++e)
        if (c.index[e] == i) f = c.value[e];
      if (f > 0) all.emplace_back(f, n);
    }
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const FeatureDashboard d = feature_dashboard(codes, counts, set, *sae, m, i, o);
    CHECK(d.fires == static_cast<int64_t>(all.size()));
    REQUIRE(d.top.size() == std::min<std::size_t>(5, all.size()));
    for (std::size_t r = 0; r < d.top.size(); ++r) {
      const ActivationContext& t = d.top[r];
      CHECK(test::close(t.activation, all[r].first, 1e-5));
      CHECK(t.window == t.column / set.T);
      CHECK(t.position == t.column % set.T);
      CHECK(t.activations[t.position] == t.activation);
      for (int p = 0; p < set.T; ++p) CHECK(t.tokens[p] == set.tokens[t.window * set.T + p]);
    }
    if (!all.empty()) {
      CHECK(test::close(d.max_activation, all[0].first, 1e-5));
      ++checked;
    }
  }
  CHECK(checked >= 6);
}

TEST_CASE("lm features: histogram and quantile bands partition the firing tokens") {
  Transformer m = small_model();
  const LmActivationSet set = collect_activations(m, small_world(), "blocks.0.mlp.hook_post", Split::train, 25, 5);
  auto sae = random_sae(64, 10);
  const LatentCodes codes = encode_set(*sae, set);
  const LabelCounts counts = count_labels(codes, set, static_cast<int>(small_world().labels.size()));
  DashboardOptions o;
  o.quantile_bands = 4;
  o.per_band = 3;
  o.histogram_bins = 8;
  int latent = -1;
  for (int i = 0; i < 10 && latent < 0; ++i)
    if (codes.fires(i) >= 20) latent = i;
  REQUIRE(latent >= 0);
  const FeatureDashboard d = feature_dashboard(codes, counts, set, *sae, m, latent, o);
  int64_t total = 0;
  for (int64_t h : d.histogram) total += h;
  CHECK(total == d.fires);
  CHECK(d.histogram.back() >= 1);  // the max lands in the last bin
  std::vector<float> sorted(codes.value.begin() + codes.start[latent], codes.value.begin() + codes.start[latent + 1]);
  std::sort(sorted.begin(), sorted.end());
  REQUIRE(d.bands.size() == 4);
  int64_t in_bands = 0;
  for (int q = 0; q < 4; ++q) {
    const QuantileBand& b = d.bands[q];
    in_bands += b.count;
    CHECK(b.lo == sorted[q * sorted.size() / 4]);
    CHECK(b.hi == sorted[(q + 1) * sorted.size() / 4 - 1]);
    if (q > 0) CHECK(b.lo >= d.bands[q - 1].hi);
    CHECK(b.contexts.size() == 3);
    for (const ActivationContext& c : b.contexts) {
      CHECK(c.activation >= b.lo);
      CHECK(c.activation <= b.hi);
    }
  }
  CHECK(in_bands == d.fires);
  // Seeded: the same seed draws the same contexts, another seed (most likely) others.
  const FeatureDashboard again = feature_dashboard(codes, counts, set, *sae, m, latent, o);
  CHECK(again.bands[1].contexts[0].column == d.bands[1].contexts[0].column);
  o.top_contexts = 1001;
  CHECK_THROWS_AS(feature_dashboard(codes, counts, set, *sae, m, latent, o), std::invalid_argument);
  CHECK_THROWS_AS(feature_dashboard(codes, counts, set, *sae, m, 10, {}), std::invalid_argument);
}

TEST_CASE("lm features: label precision and recall by hand on six tokens") {
  // f = ReLU(x) per latent (W_enc = I, b = 0). Two windows of T = 3.
  SaeConfig c;
  c.n_latents = 2;
  c.input_dim = 2;
  auto sae = make_sae(c, 2, Vec::Zero(2));
  sae->W_enc_t().setIdentity();
  sae->W_dec().setIdentity();
  sae->b_enc().setZero();
  sae->b_dec().setZero();
  LmActivationSet set;
  set.hook = "blocks.0.hook_resid_post";
  set.T = 3;
  set.X.resize(2, 6);
  // latent 0 fires at columns 0, 1, 3, 4; latent 1 at 2, 5.
  set.X << 1, 2, -1, 3, 0.5f, -2,
           -1, -1, 4, -1, -1, 1;
  set.tokens = {0, 1, 2, 3, 4, 5};
  set.starts = {0, 3};
  // label 0 at 0, 1, 2; label 1 at 3; label 2 at 2, 5.
  set.labels = {1u, 1u, 1u | 4u, 2u, 0u, 4u};
  const LatentCodes codes = encode_set(*sae, set);
  const LabelCounts counts = count_labels(codes, set, 3, 0.0);  // every firing counts
  CHECK(counts.label_total == std::vector<int64_t>{3, 1, 2});
  CHECK(counts.fires == std::vector<int64_t>{4, 2});
  const LabelMatch m00 = label_match(codes, counts, 0, 0);  // fires 4, label 3, both 2
  CHECK(m00.both == 2);
  CHECK(m00.precision == doctest::Approx(0.5));
  CHECK(m00.recall == doctest::Approx(2.0 / 3));
  CHECK(m00.f1 == doctest::Approx(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3)));
  const LabelMatch m01 = label_match(codes, counts, 0, 1);  // both 1: P 1/4, R 1
  CHECK(m01.precision == doctest::Approx(0.25));
  CHECK(m01.recall == doctest::Approx(1.0));
  const LabelMatch b1 = best_label(codes, counts, 1);  // latent 1 = label 2 exactly
  CHECK(b1.label == 2);
  CHECK(b1.precision == 1.0);
  CHECK(b1.recall == 1.0);
  CHECK(best_label(codes, counts, 0).label == 0);  // F1 0.571 (label 0) > 0.4 (label 1)
  CHECK(best_latent_for_label(codes, counts, 2) == 1);
  CHECK(best_latent_for_label(codes, counts, 1) == 0);
  const std::vector<LatentSummary> by_freq = latent_list(codes, counts, LatentOrder::frequency);
  CHECK(by_freq[0].index == 0);
  CHECK(by_freq[0].frequency == doctest::Approx(4.0 / 6));
  CHECK(by_freq[0].max_activation == 3.f);
  CHECK(by_freq[0].mean_activation == doctest::Approx((1 + 2 + 3 + 0.5) / 4.0));
  const std::vector<LatentSummary> by_label = latent_list(codes, counts, LatentOrder::label);
  CHECK(by_label[0].index == 1);
  // The default counts firings above 0.2 of the latent's max: latent 0's max is 3, so its 0.5 at
  // column 4 drops out (fires 3: columns 0, 1, 3); latent 1 (4 and 1, max 4: 1 > 0.8) keeps both.
  const LabelCounts strong = count_labels(codes, set, 3);
  CHECK(strong.firing_fraction == kLabelFiringFraction);
  CHECK(strong.fires == std::vector<int64_t>{3, 2});
  const LabelMatch s00 = label_match(codes, strong, 0, 0);  // both 2: P 2/3, R 2/3
  CHECK(s00.precision == doctest::Approx(2.0 / 3));
  CHECK(s00.recall == doctest::Approx(2.0 / 3));
  CHECK(label_match(codes, strong, 0, 1).precision == doctest::Approx(1.0 / 3));
  // Half the max (1.5): columns 1 and 3 only; label 0 at column 1: P 1/2, R 1/3.
  const LabelMatch h00 = label_match(codes, count_labels(codes, set, 3, 0.5), 0, 0);
  CHECK(h00.precision == doctest::Approx(0.5));
  CHECK(h00.recall == doctest::Approx(1.0 / 3));
  CHECK_THROWS_WITH_AS(count_labels(codes, set, 3, 1.0), doctest::Contains("firing_fraction"), std::invalid_argument);
  // Without labels: no match, the list still sorts.
  LmActivationSet plain = set;
  plain.labels.clear();
  const LabelCounts none = count_labels(codes, plain, 0);
  CHECK(best_label(codes, none, 0).label == -1);
  CHECK(latent_list(codes, none).size() == 2);
}

TEST_CASE("lm features: labels by full or short name, unknown names refused listing them") {
  const Corpus& c = small_world();
  CHECK(find_label(c, "predicts_cold") == toy_label::predicts_cold);
  CHECK(find_label(c, "cold") == toy_label::predicts_cold);
  CHECK(find_label(c, "hot") == toy_label::predicts_hot);
  CHECK(find_label(c, "city") == toy_label::city);
  try {
    find_label(c, "warm");
    FAIL("warm accepted");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("unknown label \"warm\"") != std::string::npos);
    CHECK(what.find("predicts_cold") != std::string::npos);
  }
  Corpus text;
  text.source = "notes.txt";
  CHECK_THROWS_WITH_AS(find_label(text, "cold"), doctest::Contains("has no ground-truth labels"), std::invalid_argument);
}

TEST_CASE("lm features: logit effects are W_U diag(ln_f.weight) W_dec (through c_proj for mlp.hook_post)") {
  Transformer m = small_model();
  const int C = 16, V = m.vocab_size(), L = 6;
  const LmParams& p = m.weights();
  const Eigen::Map<const RowMat> W_U(p.wte, V, C);
  const Eigen::Map<const Vec> gamma(p.ln_f_w, C);
  REQUIRE((gamma.array() - 1).abs().maxCoeff() > 0.05);
  {
    auto sae = random_sae(C, L);
    const Mat E = W_U * gamma.asDiagonal() * sae->W_dec();  // (V, L)
    for (int i = 0; i < L; ++i) {
      const std::vector<float> e = logit_effects(*sae, m, "blocks.1.hook_resid_post", i);
      REQUIRE(static_cast<int>(e.size()) == V);
      for (int v = 0; v < V; ++v) CHECK(test::close(e[v], E(v, i), 1e-4, 1e-5));
    }
  }
  {
    auto sae = random_sae(4 * C, L);
    const Eigen::Map<const RowMat> W_out(p.h[1].mlp_proj_w, 4 * C, C);  // (F, C): out = in · W
    const Mat E = W_U * gamma.asDiagonal() * W_out.transpose() * sae->W_dec();
    for (int i = 0; i < L; ++i) {
      const std::vector<float> e = logit_effects(*sae, m, "blocks.1.mlp.hook_post", i);
      for (int v = 0; v < V; ++v) CHECK(test::close(e[v], E(v, i), 1e-4, 1e-5));
    }
    // The promoted list is the largest effects, the suppressed the smallest.
    const LmActivationSet set = collect_activations(m, small_world(), "blocks.1.mlp.hook_post", Split::heldout, 4, 1);
    const LatentCodes codes = encode_set(*sae, set);
    DashboardOptions o;
    o.logit_tokens = 3;
    const FeatureDashboard d = feature_dashboard(codes, count_labels(codes, set, 0), set, *sae, m, 2, o);
    std::vector<float> col(E.col(2).data(), E.col(2).data() + V);
    std::sort(col.begin(), col.end());
    REQUIRE(d.promoted.size() == 3);
    REQUIRE(d.suppressed.size() == 3);
    CHECK(test::close(d.promoted[0].effect, col[V - 1], 1e-4, 1e-5));
    CHECK(test::close(d.promoted[2].effect, col[V - 3], 1e-4, 1e-5));
    CHECK(test::close(d.suppressed[0].effect, col[0], 1e-4, 1e-5));
    CHECK(d.label.label == -1);
  }
  auto sae = random_sae(C, L);
  CHECK_THROWS_WITH_AS(logit_effects(*sae, m, "blocks.0.attn.hook_z", 0), doctest::Contains("blocks.0.attn.hook_z"),
                       std::invalid_argument);
  CHECK_THROWS_AS(logit_effects(*sae, m, "blocks.0.mlp.hook_post", 0), std::invalid_argument);
}

TEST_CASE("lm features: the prompt view encodes the forward's own stream at each token") {
  Transformer m = small_model();
  auto sae = random_sae(16, 20);
  const std::vector<int32_t> prompt = small_world().encode("in winter the weather in oslo is cold in winter");
  REQUIRE(prompt.size() > 8);  // longer than the context: the last 8 tokens are read
  const std::vector<TokenLatents> view = prompt_latents(m, *sae, "blocks.0.hook_resid_post", prompt, 3);
  REQUIRE(view.size() == 8);
  const std::vector<int32_t> window(prompt.end() - 8, prompt.end());
  m.forward(window.data(), nullptr, 1, 8);
  const Mat X = ConstMatMap(m.activations().h[0].resid_post, 16, 8);
  SparseCode code;
  sae->encode(X, code);
  for (int t = 0; t < 8; ++t) {
    CHECK(view[t].token == window[t]);
    std::vector<std::pair<float, int>> want;
    for (int e = code.start[t]; e < code.start[t + 1]; ++e)
      if (code.value[e] > 0) want.emplace_back(code.value[e], code.index[e]);
    std::sort(want.rbegin(), want.rend());
    REQUIRE(view[t].latents.size() == std::min<std::size_t>(3, want.size()));
    for (std::size_t r = 0; r < view[t].latents.size(); ++r) {
      CHECK(view[t].latents[r].first == want[r].second);
      CHECK(view[t].latents[r].second == want[r].first);
    }
  }
}

}  // namespace test_lm_features
