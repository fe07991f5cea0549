#include "sae/sae_metrics.hpp"

#include <cmath>

#include "core/check.hpp"

namespace superpose {

SaeMetrics compute_sae_metrics(Sae& sae, const Eigen::Ref<const Mat>& X, const Mat& true_features,
                               const TrueFiring* firing, const FeatureHierarchy* hierarchy) {
  SaeMetrics m;
  const int N = static_cast<int>(X.cols()), L = sae.n_latents();
  SparseCode code;
  sae.encode(X, code);
  Mat X_hat;
  sae.decode(code, X_hat);
  m.l0 = code.l0();
  const double err = (X - X_hat).squaredNorm();
  m.mse = err / N;
  const Vec mean = X.rowwise().mean();
  const double var = (X.colwise() - mean).squaredNorm();
  m.fve = var > 0 ? 1.0 - err / var : 0.0;
  const double inner = (X_hat.array() * X.array()).sum();
  m.relative_reconstruction_bias = inner != 0 ? X_hat.squaredNorm() / inner : kNaN;

  m.firing_frequency.setZero(L);
  for (std::size_t e = 0; e < code.nnz(); ++e)
    if (code.value[e] > 0.f) m.firing_frequency[code.index[e]] += 1.f;
  m.firing_frequency /= static_cast<float>(N);
  m.density_histogram.assign(1 + kDensityBins, 0.f);
  int dead = 0, dense = 0;
  for (int i = 0; i < L; ++i) {
    const float f = m.firing_frequency[i];
    if (f <= 0.f) {
      ++dead;
      m.density_histogram[0] += 1;
      continue;
    }
    dense += f > 0.1f;
    const int bin = static_cast<int>(std::floor((std::log10(f) + 5.0) / 0.5));
    m.density_histogram[1 + std::max(0, std::min(kDensityBins - 1, bin))] += 1;
  }
  m.dead_fraction = static_cast<double>(dead) / L;
  m.dense_fraction = static_cast<double>(dense) / L;

  m.mmcs = m.recovered_fraction = kNaN;
  if (true_features.cols() > 0 && true_features.rows() == sae.d()) {
    FeatureMatch match = match_true_features(sae.W_dec(), true_features);
    m.match_cosine = std::move(match.match_cosine);
    m.match_latent = std::move(match.match_latent);
    m.mmcs = match.mmcs;
    m.recovered_fraction = match.recovered_fraction;
  }
  static const TrueFiring kNone;
  m.truth = compute_ground_truth_metrics(sae.W_dec(), code, X, X_hat, firing ? *firing : kNone,
                                         true_features, hierarchy);
  return m;
}

FeatureMatch match_true_features(const Eigen::Ref<const Mat>& W_dec, const Mat& true_features) {
  FeatureMatch m;
  m.mmcs = m.recovered_fraction = kNaN;
  const int F = static_cast<int>(true_features.cols()), L = static_cast<int>(W_dec.cols());
  m.match_cosine.setZero(F);
  m.match_latent.assign(F, -1);
  Mat D = W_dec;
  for (int i = 0; i < L; ++i) {
    const float n = D.col(i).norm();
    if (n > 0) D.col(i) /= n;
  }
  const Mat C = true_features.transpose() * D;  // (F, L)
  double sum = 0;
  int counted = 0, recovered = 0;
  for (int j = 0; j < F && L > 0; ++j) {
    if (true_features.col(j).squaredNorm() == 0.f) continue;
    Eigen::Index best;
    m.match_cosine[j] = C.row(j).maxCoeff(&best);
    m.match_latent[j] = static_cast<int>(best);
    sum += m.match_cosine[j];
    recovered += m.match_cosine[j] > 0.9f;
    ++counted;
  }
  if (counted) {
    m.mmcs = sum / counted;
    m.recovered_fraction = static_cast<double>(recovered) / counted;
  }
  return m;
}

}  // namespace superpose
