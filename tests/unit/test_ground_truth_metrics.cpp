// Ground-truth metrics (issue 17, sae/ground_truth_metrics.hpp) on hand-made cases whose answers
// are known: a perfect SAE (its decoder the true directions, its code the true firing) scores
// MCC 1, uniqueness 1, F1 1 and absorption 0 on the hierarchical generator's own data; a
// hand-built absorbing SAE shows the absorption, precision/recall and matching it was built
// with; MCC equals a brute-force search over one-to-one matchings; no truth gives NaN.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sae/ground_truth_metrics.hpp"
#include "sae/hierarchical_data.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"
#include "sae/synthetic_data.hpp"

namespace test_ground_truth_metrics {

using namespace superpose;

namespace {
SparseCode code_of(const TrueFiring& t) {
  SparseCode code;
  code.clear();
  for (int s = 0; s < t.n_samples(); ++s) {
    for (int e = t.start[s]; e < t.start[s + 1]; ++e) code.push(t.feature[e], t.coefficient[e]);
    code.end_sample();
  }
  return code;
}

Mat decode(const Mat& W_dec, const SparseCode& code) {
  Mat X = Mat::Zero(W_dec.rows(), code.batch_size());
  for (int s = 0; s < code.batch_size(); ++s)
    for (int e = code.start[s]; e < code.start[s + 1]; ++e) X.col(s) += code.value[e] * W_dec.col(code.index[e]);
  return X;
}
}  // namespace

TEST_CASE("ground truth metrics: a perfect SAE on hierarchical data") {
  SaeConfig c;
  c.data = "hierarchical";
  c.true_features = 128;
  c.input_dim = 32;
  c.hierarchy = "4,3,2";
  HierarchicalData data(c);
  const int N = 4000;
  const Mat X = data.held_out(N);
  const TrueFiring t = data.held_out_firing(N);
  const SparseCode code = code_of(t);
  const Mat& T = data.true_features();
  const GroundTruthMetrics m = compute_ground_truth_metrics(T, code, X, decode(T, code), t, T, data.hierarchy());
  CHECK(m.mcc == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(m.uniqueness == 1.0);
  for (int i = 0; i < c.true_features; ++i) CHECK(m.latent_of_feature[i] == i);
  // F1 is 1 for every latent whose feature fires in the batch, 0 (undefined) for the others.
  int firing_features = 0;
  for (int i = 0; i < c.true_features; ++i) {
    const bool fires = std::count(t.feature.begin(), t.feature.end(), i) > 0;
    firing_features += fires;
    CHECK(m.latent_f1[i] == (fires ? 1.f : 0.f));
  }
  CHECK(m.f1 == doctest::Approx(double(firing_features) / c.true_features));
  CHECK(m.precision == m.f1);
  CHECK(m.recall == m.f1);
  CHECK(m.absorption == 0.0);
  CHECK(m.shrinkage == doctest::Approx(1.0).epsilon(1e-5));
  int parents = 0;
  for (int i = 0; i < c.true_features; ++i) parents += m.parent_present[i] > 0;
  CHECK(parents == 4 + 12);
}

TEST_CASE("ground truth metrics: a hand-made absorbing SAE") {
  // A parent 0 with children 1 and 2, directions e0, e1, e2. Latent 0 = e0 (the parent's),
  // latent 1 = (e1 + 0.8 e0)/‖·‖ (child 1's latent absorbing the parent), latent 2 = e2.
  // Samples: 4 with the parent alone (latent 0 fires), 4 with parent and child 1 (latent 0
  // silent, latent 1 carries 0.8 e0 + e1), 2 with parent and child 2 (latents 0 and 2 fire).
  SaeConfig c;
  c.data = "hierarchical";
  c.true_features = 3;
  c.input_dim = 3;
  c.hierarchy = "1,2,1";
  c.correlation_rank = 0;
  c.overlap = 1;
  HierarchicalData shape(c);
  REQUIRE(shape.children(0) == std::vector<int>{1, 2});
  const Mat T = Mat::Identity(3, 3);
  Mat W_dec = T;
  W_dec.col(1) = Vec(Eigen::Vector3f(0.8f, 1.f, 0.f)).normalized();
  const float f1_value = Eigen::Vector3f(0.8f, 1.f, 0.f).norm();
  std::vector<int> ts, tf, ls;
  std::vector<float> tc;
  SparseCode code;
  code.clear();
  for (int s = 0; s < 10; ++s) {
    ts.push_back(s), tf.push_back(0), tc.push_back(0.8f);
    if (s < 4) {
      code.push(0, 0.8f);
    } else if (s < 8) {
      ts.push_back(s), tf.push_back(1), tc.push_back(1.f);
      code.push(1, f1_value);
    } else {
      ts.push_back(s), tf.push_back(2), tc.push_back(1.f);
      code.push(0, 0.8f);
      code.push(2, 1.f);
    }
    code.end_sample();
  }
  const TrueFiring t = TrueFiring::from_triplets(10, ts, tf, tc);
  const Mat X = decode(T, code_of(t));
  const Mat X_hat = decode(W_dec, code);
  CHECK((X - X_hat).norm() < 1e-5f);  // a perfect reconstruction, and still absorbing
  const GroundTruthMetrics m = compute_ground_truth_metrics(W_dec, code, X, X_hat, t, T, shape.hierarchy());
  CHECK(m.latent_of_feature == std::vector<int>{0, 1, 2});
  CHECK(m.feature_of_latent == std::vector<int>{0, 1, 2});
  CHECK(m.parent_present[0] == 10);
  CHECK(m.parent_absorption[0] == doctest::Approx(0.4));
  CHECK(m.absorption == doctest::Approx(0.4));
  // Latent 0 fires on 6 of the parent's 10 presences: precision 1, recall 0.6, F1 0.75.
  CHECK(m.latent_precision[0] == doctest::Approx(1.0));
  CHECK(m.latent_recall[0] == doctest::Approx(0.6));
  CHECK(m.latent_f1[0] == doctest::Approx(0.75));
  CHECK(m.f1 == doctest::Approx((0.75 + 1 + 1) / 3));
  CHECK(m.mcc == doctest::Approx((1 + 1 / std::sqrt(1 + 0.64) + 1) / 3).epsilon(1e-5));
  CHECK(m.shrinkage == doctest::Approx(1.0).epsilon(1e-5));
  // The child latent carrying less than half the parent's coefficient is not absorption.
  W_dec.col(1) = Vec(Eigen::Vector3f(0.3f, 1.f, 0.f)).normalized();
  const GroundTruthMetrics weak = compute_ground_truth_metrics(W_dec, code, X, X_hat, t, T, shape.hierarchy());
  CHECK(weak.absorption == 0.0);
}

TEST_CASE("ground truth metrics: MCC equals brute force over one-to-one matchings") {
  Rng rng(5, 0);
  for (int rep = 0; rep < 10; ++rep) {
    const int d = 6, F = 3 + rep % 3, L = 2 + rep % 5;
    Mat T(d, F), W(d, L);
    for (int i = 0; i < T.size(); ++i) T.data()[i] = static_cast<float>(rng.normal());
    for (int i = 0; i < W.size(); ++i) W.data()[i] = static_cast<float>(rng.normal());
    for (int i = 0; i < F; ++i) T.col(i).normalize();
    const Mat C = (T.transpose() * W.colwise().normalized()).cwiseAbs();  // (F, L)
    // Brute force: the best injective map of the smaller side into the larger.
    const bool by_feature = F <= L;
    const int n = std::min(F, L), m = std::max(F, L);
    std::vector<int> perm(m);
    std::iota(perm.begin(), perm.end(), 0);
    double best = 0;
    do {
      double sum = 0;
      for (int i = 0; i < n; ++i) sum += by_feature ? C(i, perm[i]) : C(perm[i], i);
      best = std::max(best, sum / n);
    } while (std::next_permutation(perm.begin(), perm.end()));
    SparseCode code;
    code.clear();
    code.end_sample();
    TrueFiring t = TrueFiring::from_triplets(1, {0}, {0}, {1.f});
    const Mat X = T.col(0);
    const GroundTruthMetrics g = compute_ground_truth_metrics(W, code, X, Mat::Zero(d, 1), t, T, nullptr);
    INFO("F " << F << " L " << L);
    CHECK(g.mcc == doctest::Approx(best).epsilon(1e-5));
    CHECK(std::isnan(g.absorption));  // no hierarchy
    CHECK(g.shrinkage == 0.0);
  }
}

TEST_CASE("ground truth metrics: through compute_sae_metrics, NaN without truth") {
  SaeConfig c;
  c.true_features = 32;
  c.input_dim = 16;
  c.n_latents = 64;
  c.steps = 50;
  auto data = std::make_shared<SyntheticData>(c);
  SaeTrainer trainer(c, data);
  trainer.train(50);
  const Mat X = data->held_out(256);
  const TrueFiring t = data->held_out_firing(256);
  const SaeMetrics with = compute_sae_metrics(trainer.sae(), X, data->true_features(), &t, data->hierarchy());
  CHECK(std::isfinite(with.truth.mcc));
  CHECK(std::isfinite(with.truth.f1));
  CHECK(std::isnan(with.truth.absorption));
  CHECK(with.truth.shrinkage > 0);
  const SaeMetrics without = compute_sae_metrics(trainer.sae(), X, Mat());
  CHECK(std::isnan(without.truth.mcc));
  CHECK(std::isnan(without.truth.f1));
  CHECK(without.truth.shrinkage == doctest::Approx(with.truth.shrinkage));
}

}  // namespace test_ground_truth_metrics
