#include "sae/ground_truth_metrics.hpp"

#include <cmath>
#include <limits>

#include "core/check.hpp"
#include "core/hungarian.hpp"

namespace superpose {

namespace {

// Is a a descendant of p (a ≠ p)?
bool descends_from(const FeatureHierarchy& h, int a, int p) {
  for (int q = h.parent[a]; q >= 0; q = h.parent[q])
    if (q == p) return true;
  return false;
}
}  // namespace

GroundTruthMetrics::GroundTruthMetrics()
    : mcc(kNaN), uniqueness(kNaN), precision(kNaN), recall(kNaN), f1(kNaN), absorption(kNaN),
      shrinkage(kNaN) {}

GroundTruthMetrics compute_ground_truth_metrics(const Eigen::Ref<const Mat>& W_dec, const SparseCode& code,
                                                const Eigen::Ref<const Mat>& X, const Mat& X_hat,
                                                const TrueFiring& firing, const Mat& true_features,
                                                const FeatureHierarchy* hierarchy) {
  GroundTruthMetrics m;
  const int N = static_cast<int>(X.cols()), L = static_cast<int>(W_dec.cols());
  const int F = static_cast<int>(true_features.cols());

  double ratio = 0;
  int counted = 0;
  for (int s = 0; s < N; ++s) {
    const double nx = X.col(s).norm();
    if (nx > 1e-6) {
      ratio += X_hat.col(s).norm() / nx;
      ++counted;
    }
  }
  if (counted) m.shrinkage = ratio / counted;

  if (F == 0 || L == 0 || firing.empty() || firing.n_samples() != N || code.batch_size() != N ||
      double(F) * L > kMaxMatchEntries)
    return m;

  // |cos| of every true feature with every decoder column: (F, L).
  Mat D = W_dec;
  for (int j = 0; j < L; ++j) {
    const float n = D.col(j).norm();
    if (n > 0) D.col(j) /= n;
  }
  Mat T = true_features;
  for (int i = 0; i < F; ++i) {
    const float n = T.col(i).norm();
    if (n > 0) T.col(i) /= n;
  }
  const Mat C = (T.transpose() * D).cwiseAbs();

  // MCC: the one-to-one matching maximising Σ |cos|.
  const Mat cost = 1.f - C.array();
  m.latent_of_feature = hungarian(cost);
  double sum = 0;
  int pairs = 0;
  for (int i = 0; i < F; ++i)
    if (m.latent_of_feature[i] >= 0) {
      sum += C(i, m.latent_of_feature[i]);
      ++pairs;
    }
  m.mcc = sum / pairs;

  // Each latent's best true feature; uniqueness.
  m.feature_of_latent.assign(L, 0);
  std::vector<char> hit(F, 0);
  int distinct = 0;
  for (int j = 0; j < L; ++j) {
    Eigen::Index best;
    C.col(j).maxCoeff(&best);
    m.feature_of_latent[j] = static_cast<int>(best);
    distinct += !hit[best];
    hit[best] = 1;
  }
  m.uniqueness = double(distinct) / L;

  // Precision / recall / F1 of each latent's firing against its best feature's.
  std::vector<int> feature_count(F, 0), tp(L, 0), fires(L, 0);
  for (int f : firing.feature) ++feature_count[f];
  std::vector<int> present_in(F, -1);  // the sample a feature was last seen present in
  std::vector<float> coefficient_in(F, 0.f);
  std::vector<int> latent_in(L, -1);    // the sample a latent was last seen firing in
  std::vector<float> value_in(L, 0.f);
  m.parent_present.assign(F, 0);
  std::vector<int> absorbed(F, 0);
  for (int s = 0; s < N; ++s) {
    for (int e = firing.start[s]; e < firing.start[s + 1]; ++e) {
      present_in[firing.feature[e]] = s;
      coefficient_in[firing.feature[e]] = firing.coefficient[e];
    }
    for (int e = code.start[s]; e < code.start[s + 1]; ++e) {
      if (!(code.value[e] > 0.f)) continue;
      const int j = code.index[e];
      latent_in[j] = s;
      value_in[j] = code.value[e];
      ++fires[j];
      tp[j] += present_in[m.feature_of_latent[j]] == s;
    }
    if (!hierarchy) continue;
    // Absorption: each present parent whose own latent is silent.
    for (int e = firing.start[s]; e < firing.start[s + 1]; ++e) {
      const int p = firing.feature[e];
      if (hierarchy->children[p].empty()) continue;
      ++m.parent_present[p];
      const int own = m.latent_of_feature[p];
      if (own >= 0 && latent_in[own] == s) continue;
      double carried = 0;
      for (int c = code.start[s]; c < code.start[s + 1]; ++c) {
        const int j = code.index[c];
        if (j == own || !(code.value[c] > 0.f) || !descends_from(*hierarchy, m.feature_of_latent[j], p)) continue;
        carried += double(code.value[c]) * W_dec.col(j).dot(T.col(p));
      }
      absorbed[p] += carried >= 0.5 * coefficient_in[p];
    }
  }
  m.latent_precision.setZero(L);
  m.latent_recall.setZero(L);
  m.latent_f1.setZero(L);
  double sp = 0, sr = 0, sf = 0;
  for (int j = 0; j < L; ++j) {
    const int positives = feature_count[m.feature_of_latent[j]];
    const double p = fires[j] ? double(tp[j]) / fires[j] : 0.0;
    const double r = positives ? double(tp[j]) / positives : 0.0;
    const double f = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    m.latent_precision[j] = static_cast<float>(p);
    m.latent_recall[j] = static_cast<float>(r);
    m.latent_f1[j] = static_cast<float>(f);
    sp += p;
    sr += r;
    sf += f;
  }
  m.precision = sp / L;
  m.recall = sr / L;
  m.f1 = sf / L;

  if (hierarchy) {
    m.parent_absorption = Vec::Constant(F, std::numeric_limits<float>::quiet_NaN());
    double total = 0;
    int parents = 0;
    for (int p = 0; p < F; ++p)
      if (m.parent_present[p] > 0) {
        const double a = double(absorbed[p]) / m.parent_present[p];
        m.parent_absorption[p] = static_cast<float>(a);
        total += a;
        ++parents;
      }
    if (parents) m.absorption = total / parents;
  }
  return m;
}

}  // namespace superpose
