// What a trained SAE is judged by (issue 5, "Metrics"), on a held-out batch X (d, N):
//   l0              mean number of firing latents per sample (f > 0)
//   mse             mean over samples of ‖x − x̂‖²
//   fve             fraction of variance explained, 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖²
//   dead_fraction   latents that never fire on the batch; dense_fraction: firing on > 10%
//   density_histogram  latents per bin of log10(firing frequency): bin 0 the dead ones, then
//                  kDensityBins bins of width 0.5 from −5 (and below) to 0
//   relative_reconstruction_bias  γ = ‖x̂‖² / ⟨x̂, x⟩ summed over the batch (Wright & Sharkey
//                  2024, "Addressing Feature Suppression in SAEs"): < 1 means shrinkage
//   mmcs            mean over true features of the max cosine with any decoder column
//                  (Sharkey et al. 2022); recovered_fraction: true features with that max > 0.9
//                  (both NaN without ground truth, or for true features the data never uses)
//   truth           with the batch's true firing: MCC, uniqueness, precision/recall/F1,
//                  absorption and shrinkage (ground_truth_metrics.hpp)
#pragma once
#include <vector>

#include "core/eigen.hpp"
#include "sae/ground_truth_metrics.hpp"
#include "sae/sae.hpp"

namespace superpose {

constexpr int kDensityBins = 10;

struct SaeMetrics {
  double l0 = 0, mse = 0, fve = 0, dead_fraction = 0, dense_fraction = 0;
  double relative_reconstruction_bias = 0, mmcs = 0, recovered_fraction = 0;
  std::vector<float> density_histogram;  // (1 + kDensityBins)
  Vec firing_frequency;                  // (L)
  Vec match_cosine;                      // (F) best cosine of each true feature
  std::vector<int> match_latent;         // (F) the decoder column achieving it
  GroundTruthMetrics truth;              // NaN but shrinkage without firing
};

// true_features: (d, F) unit columns (zero columns are skipped), or 0 columns for none;
// firing: X's true firing (SaeData::held_out_firing; empty or null: none); hierarchy: the
// source's, or null.
SaeMetrics compute_sae_metrics(Sae& sae, const Eigen::Ref<const Mat>& X, const Mat& true_features,
                               const TrueFiring* firing = nullptr,
                               const FeatureHierarchy* hierarchy = nullptr);

// The dictionary half of the metrics, which needs no data: each true feature's best decoder
// column (match_cosine, match_latent), their mean (mmcs) and the fraction above 0.9. Cheap
// enough (F·d·L) to check during training (bench_sae's time to MMCS 0.9).
struct FeatureMatch {
  Vec match_cosine;               // (F)
  std::vector<int> match_latent;  // (F), −1 for a skipped (zero) true feature
  double mmcs = 0, recovered_fraction = 0;  // NaN when no true feature counts
};
// W_dec: (d, L) decoder columns (normalised here; any norm); true_features: (d, F).
FeatureMatch match_true_features(const Eigen::Ref<const Mat>& W_dec, const Mat& true_features);

}  // namespace superpose
