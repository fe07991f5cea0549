// How well an SAE recovers known features (issue 17): the metrics of SynthSAEBench (Chanin et al.
// 2026, arXiv 2602.14687; SAELens' sae_lens/synthetic/evals.py, definitions followed, code not
// copied) and feature absorption (SAEBench, Karvonen et al. 2025; Chanin et al. 2024, "A is for
// Absorption"), on a held-out batch whose true firing is known.
//
//   mcc          mean correlation coefficient (O'Neill et al. 2024): decoder columns and true
//                features matched one to one by the Hungarian method on |cos| (core/hungarian),
//                the mean |cos| of the min(L, F) matched pairs
//   uniqueness   each latent's best true feature by |cos|; distinct such features / L
//   precision, recall, f1   per latent, its firing (f > 0) as a detector of its best true
//                feature's firing (TP / (TP + FP), TP / (TP + FN), their harmonic mean; 0 where
//                undefined, as SAELens), then the mean over all L latents (dead ones count 0)
//   absorption   for a parent feature p (one with children) present in a sample: absorbed when
//                p's latent (its Hungarian partner) does not fire while latents whose best true
//                feature is a descendant of p carry p's direction instead: Σ f_j ⟨W_dec,j, u_p⟩
//                over them ≥ ½ p's coefficient. Per parent: absorbed / present; overall: the mean
//                over parents present at least once (NaN without a hierarchy)
//   shrinkage    mean over samples (‖x‖ > 1e−6) of ‖x̂‖ / ‖x‖ (needs no ground truth)
// Every metric but shrinkage is NaN without ground truth (no true features or no firing), and
// mcc/uniqueness/precision/recall/f1/absorption also when F·L > kMaxMatchEntries (the cosine
// matrix and the assignment would not fit a browser tab's budget).
// Not here: L0, FVE, MMCS and the rest (sae_metrics.hpp), the data (sae_data.hpp).
// Legend: d = input dim, L = latents, F = true features, N = held-out samples.
#pragma once
#include <vector>

#include "core/eigen.hpp"
#include "sae/sae.hpp"
#include "sae/sae_data.hpp"

namespace superpose {

constexpr double kMaxMatchEntries = 16.0 * 1024 * 1024;  // F·L

struct GroundTruthMetrics {
  double mcc, uniqueness, precision, recall, f1, absorption, shrinkage;
  std::vector<int> latent_of_feature;   // (F) Hungarian partner of each true feature, −1: none
  std::vector<int> feature_of_latent;   // (L) each latent's best true feature by |cos|
  Vec latent_precision, latent_recall, latent_f1;  // (L)
  Vec parent_absorption;                // (F) absorbed / present; NaN for non-parents or absent
  std::vector<int> parent_present;      // (F) samples in which each parent is present
  GroundTruthMetrics();
};

// W_dec (d, L), any column norms; code: the SAE's code of the batch (N samples); X, X_hat (d, N);
// firing: the batch's true firing (empty: none); true_features (d, F) unit columns (0 columns:
// none); hierarchy: null for none.
GroundTruthMetrics compute_ground_truth_metrics(const Eigen::Ref<const Mat>& W_dec, const SparseCode& code,
                                                const Eigen::Ref<const Mat>& X, const Mat& X_hat,
                                                const TrueFiring& firing, const Mat& true_features,
                                                const FeatureHierarchy* hierarchy);

}  // namespace superpose
