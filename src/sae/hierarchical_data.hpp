// Hierarchical, correlated, Zipf-firing SAE data with ground truth (issue 17): the recipe of
// SynthSAEBench (Chanin et al. 2026, arXiv 2602.14687; SAELens' sae_lens.synthetic) at browser
// scale, generated deterministically from the seed.
//
//   firing      feature i's marginal probability p_i falls from zipf_max to zipf_min as
//               (i+1)^-zipf_exponent (SaeConfig::zipf_probabilities)
//   hierarchy   "R,B,DEPTH": features 0..R−1 are roots; breadth-first, each parent above DEPTH
//               takes the next B features as its children (SAELens' generate_hierarchy), until
//               true_features runs out; features after the trees are free. A child fires only
//               when its parent does, and siblings are mutually exclusive: given its parent, at
//               most one child fires, child j with probability r_j = p_j / max(p_parent, Σ_sib p)
//               (so its marginal is p_j unless the siblings' probabilities outweigh the parent's)
//   correlation K + 1 contexts, one drawn uniformly per sample; context c scales an independent
//               feature's (a root's or a free feature's) probability to p_i (1 + s e_ci), with
//               loadings e_ci centred over c and max_c |e_ci| = 1, so the marginal stays p_i
//               and the firing covariance p_i p_j s² mean_c e_ci e_cj has rank K. Children
//               inherit it through their parents.
//   directions  d-dimensional unit vectors, Gaussian, then pushed apart (gradient steps on the
//               pairs whose |cos| exceeds the target) until the mean over features of the max
//               |cos| with any other is at most `overlap` (or 60 passes: mean_max_overlap()
//               says what was reached)
//   magnitudes  a firing feature's coefficient is |N(magnitude_mean, magnitude_std)|
//   x           Σ_firing coefficient_i u_i (no bias)
//
// Differences from SAELens, on purpose: children are drawn top-down given their parents (no
// sampling of every feature then deleting), which keeps a batch O(F·(K+1) + nnz·d), like
// synthetic_data; correlation through contexts instead of a Gaussian copula, for the same reason.
// Not here: the metrics (ground_truth_metrics.hpp), the SAE.
// Legend: d = input_dim, F = true_features, K = correlation_rank, B = batch.
#pragma once
#include "core/rng.hpp"
#include "sae/sae_data.hpp"

namespace superpose {

class HierarchicalData : public SeededSaeData {
 public:
  explicit HierarchicalData(const SaeConfig& config);
  int dim() const override { return d_; }
  const FeatureHierarchy* hierarchy() const override { return &hierarchy_; }

  int parent(int i) const { return hierarchy_.parent[i]; }  // −1: a root or a free feature
  const std::vector<int>& children(int i) const { return hierarchy_.children[i]; }
  // The target marginal probabilities p_i (F).
  const std::vector<double>& probabilities() const { return p_; }
  // r_i: the probability that i fires given its parent does (children only; p_i for the rest).
  const std::vector<double>& conditional_probabilities() const { return r_; }
  // The contexts' loadings e (K + 1, F), row-major: context c scales p_i by 1 + s e[c F + i].
  const std::vector<float>& context_loadings() const { return e_; }
  // The mean over features of the max |cos| with any other feature, as generated.
  double mean_max_overlap() const { return overlap_; }

 private:
  int d_, F_, K_;
  double strength_, magnitude_mean_, magnitude_std_;
  FeatureHierarchy hierarchy_;
  std::vector<int> independent_;  // roots and free features, ascending
  std::vector<double> p_, r_;     // (F)
  std::vector<float> e_;          // (K + 1, F)
  double overlap_ = 0;
  // The batch's firing as triplets (sample, feature, coefficient), in generation order.
  void draw(Rng& rng, int batch_size, std::vector<int>& sample, std::vector<int>& feature,
            std::vector<float>& coefficient) const;
  void fill(Rng& rng, Mat& X, int batch_size, TrueFiring* firing) const override;
};

// The mean over the columns of U (d, F) (unit) of the max |cos| with any other column.
double mean_max_overlap(const Mat& U);

}  // namespace superpose
