// The hierarchical data source (issue 17, sae/hierarchical_data.hpp) against its knobs: firing
// frequencies follow the Zipf law within sampling error, a child never fires without its parent
// and siblings never co-fire, the firing covariance is the contexts' rank-K prediction (and
// nothing when K = 0), the directions' mean max overlap reaches its target, the held-out firing
// is exactly what the held-out batch is made of, and bad knobs are refused by name.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/schema.hpp"
#include "sae/hierarchical_data.hpp"
#include "sae/synthetic_data.hpp"
#include "tolerance.hpp"

namespace test_hierarchical_data {

using namespace superpose;

namespace {
SaeConfig hier(int F = 512, int d = 64) {
  SaeConfig c;
  c.data = "hierarchical";
  c.true_features = F;
  c.input_dim = d;
  c.seed = 3;
  return c;
}

// Per-feature firing counts of a TrueFiring, and per-sample firing sets as flags.
std::vector<int> counts(const TrueFiring& t, int F) {
  std::vector<int> n(F, 0);
  for (int f : t.feature) ++n[f];
  return n;
}

// The binomial standard error of a frequency p over n samples.
double se(double p, int n) { return std::sqrt(p * (1 - p) / n); }
}  // namespace

TEST_CASE("hierarchical data: the forest is SAELens' breadth-first one") {
  SaeConfig c = hier(100);
  c.hierarchy = "3,2,2";  // roots 0..2, children 3..8, grandchildren 9..20, free 21..99
  HierarchicalData data(c);
  CHECK(data.parent(0) == -1);
  CHECK(data.children(0) == std::vector<int>{3, 4});
  CHECK(data.children(2) == std::vector<int>{7, 8});
  CHECK(data.parent(8) == 2);
  CHECK(data.children(3) == std::vector<int>{9, 10});
  CHECK(data.children(8) == std::vector<int>{19, 20});
  CHECK(data.children(9).empty());
  CHECK(data.parent(21) == -1);
  CHECK(data.hierarchy()->depth(20) == 2);
  // true_features runs out: the trees stop there.
  c.true_features = 6;
  HierarchicalData cut(c);
  CHECK(cut.children(1) == std::vector<int>{5});
  CHECK(cut.children(2).empty());
}

TEST_CASE("hierarchical data: Zipf marginals, children only with their parent, siblings exclusive") {
  const SaeConfig c = hier();
  HierarchicalData data(c);
  const int N = 20000, F = c.true_features;
  const TrueFiring t = data.held_out_firing(N);
  REQUIRE(t.n_samples() == N);
  const std::vector<int> n = counts(t, F);
  const auto& p = data.probabilities();
  const auto& r = data.conditional_probabilities();
  CHECK(p[0] == doctest::Approx(c.zipf_max));
  CHECK(p[F - 1] == doctest::Approx(c.zipf_min));
  int checked_children = 0;
  for (int i = 0; i < F; ++i) {
    const int parent = data.parent(i);
    if (parent < 0) {
      // Independent features: the Zipf law itself, within 5 standard errors.
      INFO("feature " << i << " p " << p[i] << " measured " << double(n[i]) / N);
      CHECK(std::abs(double(n[i]) / N - p[i]) <= 5 * se(p[i], N) + 1e-4);
    } else if (n[parent] >= 400) {
      // A child: r_i of its parent's presences.
      INFO("child " << i << " of " << parent << " r " << r[i] << " measured " << double(n[i]) / n[parent]);
      CHECK(std::abs(double(n[i]) / n[parent] - r[i]) <= 5 * se(r[i], n[parent]) + 1e-3);
      ++checked_children;
    }
  }
  CHECK(checked_children >= 20);
  // Per sample: every child's parent is there, at most one child of each parent.
  std::vector<int> present(F, -1), chosen(F, -1);
  int orphans = 0, cofiring = 0, nonpositive = 0;
  for (int s = 0; s < N; ++s) {
    for (int e = t.start[s]; e < t.start[s + 1]; ++e) present[t.feature[e]] = s;
    for (int e = t.start[s]; e < t.start[s + 1]; ++e) {
      const int i = t.feature[e], parent = data.parent(i);
      nonpositive += !(t.coefficient[e] > 0);
      if (parent < 0) continue;
      orphans += present[parent] != s;
      cofiring += chosen[parent] == s;
      chosen[parent] = s;
    }
  }
  CHECK(orphans == 0);
  CHECK(cofiring == 0);
  CHECK(nonpositive == 0);
  // Mean L0: Σ of the marginals, a child's being r_i times its parent's (top-down: parents first).
  std::vector<double> marginal(F);
  double expected = 0;
  for (int i = 0; i < F; ++i) expected += marginal[i] = data.parent(i) < 0 ? p[i] : r[i] * marginal[data.parent(i)];
  CHECK(double(t.nnz()) / N == doctest::Approx(expected).epsilon(0.02));
}

TEST_CASE("hierarchical data: the held-out firing is what the held-out batch is made of") {
  const SaeConfig c = hier(256, 32);
  HierarchicalData data(c);
  const int N = 300;
  const Mat X = data.held_out(N);
  const TrueFiring t = data.held_out_firing(N);
  Mat Y = Mat::Zero(c.input_dim, N);
  for (int s = 0; s < N; ++s)
    for (int e = t.start[s]; e < t.start[s + 1]; ++e) {
      if (e > t.start[s]) CHECK(t.feature[e - 1] < t.feature[e]);
      Y.col(s) += t.coefficient[e] * data.true_features().col(t.feature[e]);
    }
  CHECK((X - Y).cwiseAbs().maxCoeff() < 1e-5f);
  // Deterministic from the seed; the training stream restarts with reset().
  HierarchicalData again(c);
  CHECK(again.held_out(N) == X);
  Mat a, b;
  data.sample(a, 64);
  data.reset();
  data.sample(b, 64);
  CHECK(a == b);
  SaeConfig other = c;
  other.seed = 4;
  CHECK(HierarchicalData(other).held_out(N) != X);
}

TEST_CASE("synthetic data: its held-out firing reconstructs its held-out batch") {
  SaeConfig c;
  c.true_features = 64;
  c.input_dim = 16;
  c.group_size = 4;
  SyntheticData data(c);
  const int N = 200;
  const Mat X = data.held_out(N);
  const TrueFiring t = data.held_out_firing(N);
  REQUIRE(t.n_samples() == N);
  Mat Y = Mat::Zero(c.input_dim, N);
  for (int s = 0; s < N; ++s)
    for (int e = t.start[s]; e < t.start[s + 1]; ++e)
      Y.col(s) += t.coefficient[e] * data.true_features().col(t.feature[e]);
  CHECK((X - Y).cwiseAbs().maxCoeff() < 1e-5f);
  CHECK(t.nnz() > 0);
}

TEST_CASE("hierarchical data: firing covariance has the contexts' rank-K shape") {
  SaeConfig c = hier(256, 32);
  c.hierarchy = "0,0,0";  // every feature independent given the context
  c.correlation_strength = 1;
  const int N = 40000, top = 24;  // the most frequent features: covariances well above noise
  const auto measured_cov = [&](const HierarchicalData& data) {
    const TrueFiring t = data.held_out_firing(N);
    Mat f = Mat::Zero(top, N);
    for (int s = 0; s < N; ++s)
      for (int e = t.start[s]; e < t.start[s + 1]; ++e)
        if (t.feature[e] < top) f(t.feature[e], s) = 1;
    const Vec mean = f.rowwise().mean();
    const Mat centred = f.colwise() - mean;
    return Mat(centred * centred.transpose() / N);
  };
  HierarchicalData data(c);
  const Mat cov = measured_cov(data);
  const int K = c.correlation_rank;
  const auto& e = data.context_loadings();
  const auto& p = data.probabilities();
  std::vector<double> predicted, measured;
  for (int i = 0; i < top; ++i)
    for (int j = i + 1; j < top; ++j) {
      double m = 0;
      for (int k = 0; k <= K; ++k) m += e[std::size_t(k) * c.true_features + i] * e[std::size_t(k) * c.true_features + j];
      predicted.push_back(p[i] * p[j] * m / (K + 1));
      measured.push_back(cov(i, j));
    }
  const auto pearson = [](const std::vector<double>& a, const std::vector<double>& b) {
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
    ma /= a.size();
    mb /= b.size();
    for (std::size_t i = 0; i < a.size(); ++i) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
  };
  const double rho = pearson(predicted, measured);
  MESSAGE("rank " << K << ": predicted vs measured pair covariances, Pearson " << rho);
  CHECK(rho > 0.9);
  // The covariance's spectrum: K large eigenvalues (the rest are noise of the finite sample).
  // Without contexts: covariances are noise, ~ p_i p_j / √N.
  c.correlation_rank = 0;
  const Mat independent = measured_cov(HierarchicalData(c));
  double off = 0, off_corr = 0;
  for (int i = 0; i < top; ++i)
    for (int j = i + 1; j < top; ++j) {
      off = std::max(off, double(std::abs(independent(i, j)) / std::sqrt(independent(i, i) * independent(j, j))));
      off_corr = std::max(off_corr, double(std::abs(cov(i, j)) / std::sqrt(cov(i, i) * cov(j, j))));
    }
  MESSAGE("max |correlation| between the top features: rank 0 " << off << ", rank " << K << " " << off_corr);
  CHECK(off < 5.0 / std::sqrt(double(N)) * 1.5);
  CHECK(off_corr > 3 * off);
}

TEST_CASE("hierarchical data: the directions' mean max overlap reaches its target") {
  // The readout against a brute-force loop.
  Rng rng(1, 0);
  Mat U(8, 20);
  for (int i = 0; i < U.size(); ++i) U.data()[i] = static_cast<float>(rng.normal());
  for (int i = 0; i < 20; ++i) U.col(i).normalize();
  double brute = 0;
  for (int i = 0; i < 20; ++i) {
    double best = 0;
    for (int j = 0; j < 20; ++j)
      if (j != i) best = std::max(best, double(std::abs(U.col(i).dot(U.col(j)))));
    brute += best / 20;
  }
  CHECK(mean_max_overlap(U) == doctest::Approx(brute).epsilon(1e-6));

  SaeConfig c = hier(512, 64);
  for (double target : {0.3, 0.25}) {
    c.overlap = target;
    HierarchicalData data(c);
    const double measured = mean_max_overlap(data.true_features());
    MESSAGE("overlap target " << target << ": " << measured);
    CHECK(measured == doctest::Approx(data.mean_max_overlap()).epsilon(1e-6));
    CHECK(measured <= target);
    CHECK(measured >= target - 0.05);
    for (int i = 0; i < c.true_features; ++i) CHECK(data.true_features().col(i).norm() == doctest::Approx(1).epsilon(1e-5));
  }
  c.overlap = 1;  // random directions, untouched: well above the targets above
  CHECK(HierarchicalData(c).mean_max_overlap() > 0.35);
}

TEST_CASE("hierarchical data: bad knobs are refused by name") {
  const auto refused = [](SaeConfig c, const char* field) {
    try {
      c.validate();
    } catch (const std::invalid_argument& e) {
      CHECK_MESSAGE(std::string(e.what()).find(field) != std::string::npos, e.what());
      return;
    }
    FAIL("accepted a bad " << field);
  };
  SaeConfig c = hier();
  c.validate();
  for (const char* h : {"8,4", "a,4,3", "8,0,3", "8,4,3,1", "8,,3", "9999,4,3"}) {
    c.hierarchy = h;
    refused(c, "hierarchy");
  }
  c = hier();
  c.zipf_min = 0.5;
  refused(c, "zipf_min");
  c = hier();
  c.correlation_rank = 65;
  refused(c, "correlation_rank");
  c = hier(4096, 512);
  refused(c, "true_features² × input_dim");
  c = hier();
  c.hierarchy = "0,0,0";
  c.validate();
}

TEST_CASE("hierarchical data: the page's scale (1,024 features in 128 dims) reaches the overlap target") {
  SaeConfig c = hier(1024, 128);
  const auto t0 = std::chrono::steady_clock::now();
  HierarchicalData data(c);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  c.overlap = 1;
  const double random = HierarchicalData(c).mean_max_overlap();
  MESSAGE("1024 in 128: mean max |cos| " << data.mean_max_overlap() << " (target 0.15; random "
          << random << "), generated in " << seconds << " s");
  CHECK(data.mean_max_overlap() <= 0.15);
  CHECK(data.mean_max_overlap() >= 0.12);
  CHECK(random > 0.25);
}

TEST_CASE("the hierarchical preset: a valid config, on the data field's schema, filling only absent keys") {
  const Json presets = sae_data_presets();
  REQUIRE(presets.contains("hierarchical"));
  const Json& p = presets["hierarchical"];
  // Only keys that differ from the fields' defaults, each a real field (from_json refuses others).
  const Json defaults = SaeConfig().to_json();
  for (const auto& item : p.items()) {
    INFO(item.key());
    REQUIRE(defaults.contains(item.key()));
    CHECK(defaults.at(item.key()) != item.value());
  }
  const SaeConfig c = SaeConfig::from_json(with_data_preset(Json{{"data", "hierarchical"}}));
  CHECK(c.to_json()["true_features"] == p["true_features"]);
  CHECK(c.n_latents == p["n_latents"].get<int>());
  CHECK(c.hierarchy == p["hierarchy"].get<std::string>());
  // A key given wins; other data get nothing.
  const Json given = with_data_preset(Json{{"data", "hierarchical"}, {"n_latents", 64}});
  CHECK(given["n_latents"] == 64);
  CHECK(given["input_dim"] == p["input_dim"]);
  CHECK(with_data_preset(Json{{"data", "synthetic"}}) == Json{{"data", "synthetic"}});
  CHECK(with_data_preset(Json::object()) == Json::object());
  // The schema carries them on the data field (the pages read them there).
  const Json schema = fields_schema<SaeConfig>();
  for (const Json& f : schema) {
    if (f["name"] == "data") CHECK(f["presets"] == presets);
    else CHECK(f["presets"].is_null());
  }
}

}  // namespace test_hierarchical_data
