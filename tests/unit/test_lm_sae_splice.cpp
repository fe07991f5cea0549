// An SAE spliced into the language model (lm/lm_sae_splice.hpp): with its error term it is the
// clean forward bitwise; a perfect SAE (x̂ = x exactly) scores ce_loss_score 1 and KL 0, a zero
// SAE scores 0 (its loss is the zero-ablation loss exactly); splice_metrics over batched,
// chunked forwards equals a brute force of one window at a time with the losses and KL summed
// here; a feature ablation puts x̂' + (x − x̂) at the hook, x̂' decoded from the changed code;
// latent means equal the dense ReLU code's means. On the shared trained model (lm_fixture).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "lm/lm_sae_splice.hpp"
#include "lm_fixture.hpp"
#include "sae/sae_metrics.hpp"

namespace test_lm_sae_splice {

using namespace superpose;

namespace {
const std::string kHook = "blocks.0.hook_resid_post";

std::vector<float> logits_copy(const Transformer& m) {
  const std::size_t n = std::size_t(m.batch()) * m.seq_len() * m.vocab_size();
  return std::vector<float>(m.activations().logits, m.activations().logits + n);
}

// A ReLU SAE of width D with 2·D latents ±e_i: f = (relu(x_i), relu(−x_i)), x̂ = x exactly.
std::unique_ptr<Sae> perfect_sae(int D) {
  SaeConfig c;
  c.arch = "relu";
  c.n_latents = 2 * D;
  c.input_dim = D;
  std::unique_ptr<Sae> s = make_sae(c, D, Vec::Zero(D));
  std::fill(s->params().begin(), s->params().end(), 0.f);
  for (int i = 0; i < D; ++i) {
    s->W_enc_t()(i, 2 * i) = 1.f;
    s->W_enc_t()(i, 2 * i + 1) = -1.f;
    s->W_dec()(i, 2 * i) = 1.f;
    s->W_dec()(i, 2 * i + 1) = -1.f;
  }
  return s;
}

std::unique_ptr<Sae> random_sae(int D, int L, uint64_t seed) {
  SaeConfig c;
  c.arch = "relu";
  c.n_latents = L;
  c.input_dim = D;
  c.init = "random";
  c.seed = static_cast<int64_t>(seed);
  return make_sae(c, D, Vec::Zero(D));
}

// −log softmax(logits)[target], in double.
double nll(const float* logits, int V, int32_t target) {
  double m = logits[0];
  for (int v = 1; v < V; ++v) m = std::fmax(m, logits[v]);
  double s = 0;
  for (int v = 0; v < V; ++v) s += std::exp(logits[v] - m);
  return m + std::log(s) - logits[target];
}
}  // namespace

TEST_CASE("lm sae splice: with the error term the spliced forward is the clean forward, bitwise") {
  LmRun& run = *test::trained_lm().run;
  Transformer& m = run.model();
  const LmWindows w = heldout_windows(run.corpus(), m.config().context, 5, 1);
  REQUIRE(w.T == 24);
  const double clean = m.forward(w.x.data(), w.y.data(), w.B, w.T);
  const std::vector<float> clean_logits = logits_copy(m);
  const std::unique_ptr<Sae> sae = random_sae(64, 128, 2);  // a poor SAE: the error term is large

  SaeSplice splice;
  splice.hook = kHook;
  splice.error_term = true;
  CHECK(spliced_forward(m, *sae, splice, w.x.data(), w.y.data(), w.B, w.T) == clean);
  CHECK(logits_copy(m) == clean_logits);

  // without it the logits move (the test above can fail)
  splice.error_term = false;
  const double rough = spliced_forward(m, *sae, splice, w.x.data(), w.y.data(), w.B, w.T);
  CHECK(rough > clean + 0.1);
  CHECK(logits_copy(m) != clean_logits);

  // a latent that never fires on these windows (its b_enc far below), zero-ablated with the
  // error term: clean again
  sae->b_enc()[17] = -1e6f;
  HookSpec rec;
  rec.record = {kHook};
  HookRecords r;
  m.forward(w.x.data(), nullptr, w.B, w.T, &rec, &r);
  const Mat X = Eigen::Map<const Mat>(r.at(kHook).data.data(), 64, w.B * w.T);
  const Vec means = latent_means(*sae, X);
  REQUIRE(means[17] == 0.f);
  REQUIRE(means.maxCoeff() > 0.f);
  splice.error_term = true;
  splice.ablations = {{17, 0.f}};
  CHECK(spliced_forward(m, *sae, splice, w.x.data(), w.y.data(), w.B, w.T) == clean);
  CHECK(logits_copy(m) == clean_logits);

  // a wrong hook width, a latent out of range: refused by name
  splice.hook = "blocks.0.mlp.hook_post";
  CHECK_THROWS_WITH_AS(spliced_forward(m, *sae, splice, w.x.data(), w.y.data(), w.B, w.T),
                       doctest::Contains("blocks.0.mlp.hook_post"), std::invalid_argument);
  splice.hook = kHook;
  splice.ablations = {{128, 0.f}};
  CHECK_THROWS_WITH_AS(spliced_forward(m, *sae, splice, w.x.data(), w.y.data(), w.B, w.T),
                       doctest::Contains("latent must be in [0, 127]"), std::invalid_argument);
}

TEST_CASE("lm sae splice: ce_loss_score is 1 for a perfect SAE and 0 for a zero one") {
  LmRun& run = *test::trained_lm().run;
  Transformer& m = run.model();
  const LmWindows w = heldout_windows(run.corpus(), m.config().context, 8, 2);

  const std::unique_ptr<Sae> perfect = perfect_sae(64);
  const SpliceMetrics p = splice_metrics(m, *perfect, kHook, w.x.data(), w.y.data(), w.B, w.T);
  MESSAGE("clean " << p.clean_loss << ", zero-ablated " << p.zero_loss);
  CHECK(p.tokens == 8 * 24);
  CHECK(p.zero_loss > p.clean_loss + 0.5);  // the hook matters
  CHECK(p.sae_loss == p.clean_loss);
  CHECK(p.ce_loss_score == 1.0);
  CHECK(p.kl == 0.0);
  CHECK(p.clean_loss == doctest::Approx(m.forward(w.x.data(), w.y.data(), w.B, w.T)).epsilon(1e-6));

  std::unique_ptr<Sae> zero = perfect_sae(64);
  std::fill(zero->params().begin(), zero->params().end(), 0.f);
  const SpliceMetrics z = splice_metrics(m, *zero, kHook, w.x.data(), w.y.data(), w.B, w.T);
  CHECK(z.sae_loss == z.zero_loss);
  CHECK(z.ce_loss_score == 0.0);
  CHECK(z.kl > 0.5);
}

TEST_CASE("lm sae splice: splice_metrics equals one window at a time, summed by hand") {
  LmRun& run = *test::trained_lm().run;
  Transformer& m = run.model();
  const int V = m.vocab_size();
  // 70 windows: two chunks of the batched path
  const LmWindows w = heldout_windows(run.corpus(), m.config().context, 70, 3);
  const std::unique_ptr<Sae> sae = random_sae(64, 256, 4);
  const SpliceMetrics got = splice_metrics(m, *sae, kHook, w.x.data(), w.y.data(), w.B, w.T);

  double clean = 0, spliced = 0, zero = 0, kl = 0;
  const int T = w.T;
  for (int b = 0; b < w.B; ++b) {
    const int32_t* x = w.x.data() + b * T;
    const int32_t* y = w.y.data() + b * T;
    HookSpec rec;
    rec.record = {kHook};
    HookRecords r;
    m.forward(x, nullptr, 1, T, &rec, &r);
    const std::vector<float> cl = logits_copy(m);
    // the reconstruction of each position, set at that position (no batch rows involved)
    const Mat X = Eigen::Map<const Mat>(r.at(kHook).data.data(), 64, T);
    SparseCode code;
    sae->encode(X, code);
    Mat X_hat;
    sae->decode(code, X_hat);
    HookSpec set;
    for (int t = 0; t < T; ++t)
      set.edits.push_back(HookEdit{kHook, -1, {t}, HookOp::set,
                                   std::vector<float>(X_hat.col(t).data(), X_hat.col(t).data() + 64)});
    m.forward(x, nullptr, 1, T, &set);
    const std::vector<float> sl = logits_copy(m);
    HookSpec zero_spec;
    zero_spec.edits.push_back(HookEdit{kHook, -1, {}, HookOp::zero, {}});
    m.forward(x, nullptr, 1, T, &zero_spec);
    const std::vector<float> zl = logits_copy(m);
    for (int t = 0; t < T; ++t) {
      clean += nll(&cl[t * V], V, y[t]);
      spliced += nll(&sl[t * V], V, y[t]);
      zero += nll(&zl[t * V], V, y[t]);
      // KL(p ‖ q) = Σ p (log p − log q), log p = −nll(·, v)
      for (int v = 0; v < V; ++v) {
        const double lp = -nll(&cl[t * V], V, v), lq = -nll(&sl[t * V], V, v);
        kl += std::exp(lp) * (lp - lq);
      }
    }
  }
  const double N = 70.0 * T;
  clean /= N, spliced /= N, zero /= N, kl /= N;
  MESSAGE("clean " << clean << ", spliced " << spliced << ", zero " << zero << ", KL " << kl);
  CHECK(got.clean_loss == doctest::Approx(clean).epsilon(1e-5));
  CHECK(got.sae_loss == doctest::Approx(spliced).epsilon(1e-5));
  CHECK(got.zero_loss == doctest::Approx(zero).epsilon(1e-5));
  CHECK(got.kl == doctest::Approx(kl).epsilon(1e-4));
  CHECK(got.ce_loss_score == doctest::Approx((zero - spliced) / (zero - clean)).epsilon(1e-4));
  CHECK(got.kl > 0.01);
}

TEST_CASE("lm sae splice: a feature ablation puts x̂' + (x − x̂) at the hook; latent means") {
  LmRun& run = *test::trained_lm().run;
  Transformer& m = run.model();
  const LmWindows w = heldout_windows(run.corpus(), m.config().context, 2, 5);
  const std::unique_ptr<Sae> sae = random_sae(64, 128, 6);
  HookSpec rec;
  rec.record = {kHook};
  HookRecords r;
  m.forward(w.x.data(), nullptr, w.B, w.T, &rec, &r);
  const int N = w.B * w.T;
  const Mat X = Eigen::Map<const Mat>(r.at(kHook).data.data(), 64, N);

  // latent means: the dense ReLU code, f = max(0, W_enc (x − b_dec) + b_enc), averaged
  const Sae& cs = *sae;
  const Mat F = ((cs.W_enc_t().transpose() * (X.colwise() - cs.b_dec())).colwise() + cs.b_enc()).cwiseMax(0.f);
  const Vec means = latent_means(*sae, X);
  CHECK((means - F.rowwise().mean()).cwiseAbs().maxCoeff() < 1e-5);

  // the most active latent, mean-ablated, and another zero-ablated
  int i = 0;
  means.maxCoeff(&i);
  const int j = (i + 1) % 128;
  SaeSplice splice;
  splice.hook = kHook;
  splice.error_term = true;
  splice.ablations = {{i, means[i]}, {j, 0.f}};
  const std::vector<HookEdit> edits = sae_splice_edits(*sae, splice, X, w.B, w.T);
  REQUIRE(edits.size() == std::size_t(N));
  SparseCode code;
  sae->encode(X, code);
  Mat X_hat, X_hat2;
  sae->decode(code, X_hat);
  // x̂' from a code with f_i := mean, f_j := 0 (entries added where the latent did not fire)
  SparseCode changed;
  changed.clear();
  for (int s = 0; s < N; ++s) {
    bool had_i = false;
    for (int e = code.start[s]; e < code.start[s + 1]; ++e) {
      if (code.index[e] == j) continue;
      if (code.index[e] == i) had_i = true;
      changed.push(code.index[e], code.index[e] == i ? means[i] : code.value[e]);
    }
    if (!had_i) changed.push(i, means[i]);
    changed.end_sample();
  }
  sae->decode(changed, X_hat2);
  double worst = 0, moved = 0;
  for (int b = 0; b < w.B; ++b)
    for (int t = 0; t < w.T; ++t) {
      const HookEdit& e = edits[b * w.T + t];
      CHECK(e.batch == b);
      CHECK(e.positions == std::vector<int>{t});
      CHECK(e.op == HookOp::set);
      const int s = b * w.T + t;
      for (int d = 0; d < 64; ++d) {
        const double want = X_hat2(d, s) + (X(d, s) - X_hat(d, s));
        worst = std::fmax(worst, std::fabs(e.vector[d] - want));
        moved = std::fmax(moved, std::fabs(e.vector[d] - X(d, s)));
      }
    }
  CHECK(worst < 1e-4);
  CHECK(moved > 1e-2);

  // its effect: "before" is the clean forward exactly, "after" moves the next token and the loss
  const std::vector<int32_t> prompt = run.corpus().encode("the weather in california is");
  const LatentAblationEffect effect =
      latent_ablation_effect(m, *sae, kHook, {i, 0.f}, prompt, w.x.data(), w.y.data(), w.B, w.T);
  m.forward(prompt.data(), nullptr, 1, static_cast<int>(prompt.size()));
  const float* p = m.activations().probs + (prompt.size() - 1) * m.vocab_size();
  CHECK(effect.probs_before == std::vector<float>(p, p + m.vocab_size()));
  CHECK(effect.loss_before == m.forward(w.x.data(), w.y.data(), w.B, w.T));
  CHECK(effect.probs_after != effect.probs_before);
  CHECK(effect.loss_after != effect.loss_before);
}

}  // namespace test_lm_sae_splice
