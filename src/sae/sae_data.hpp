// Where an SAE's training data comes from (issue 5, "Data sources"): a batch source with a
// training stream, a fixed held-out batch for the metrics, and the ground-truth feature
// directions when there are any.
//   synthetic  (synthetic_data.hpp)   known unit directions, sparse U[0,1] magnitudes
//   toy        (toy_activations.hpp)  a trained toy model's hidden activations h = W x
//   npy        (npy_activations.hpp)  rows of a user's (N, d) .npy file
//   hierarchical (hierarchical_data.hpp) SynthSAEBench-like: Zipf firing, a feature hierarchy,
//                                    correlated firing, directions of bounded overlap
// A source with ground truth also says which true features fire in each held-out sample
// (held_out_firing), and a hierarchical one which feature is whose parent (hierarchy): the
// ground-truth metrics (ground_truth_metrics.hpp) read both.
// Legend: d = input dimension, F = number of true features, B = batch, N = held-out samples.
#pragma once
#include <memory>
#include <vector>

#include "core/eigen.hpp"
#include "core/rng.hpp"
#include "sae/sae_config.hpp"

namespace superpose {

// Which true features fire in each sample of a batch, with their coefficients: sample s's
// entries are [start[s], start[s+1]) of feature and coefficient, features ascending, every
// coefficient > 0 (x = Σ coefficient · true_features.col(feature)). Empty (no start) when the
// source has no ground truth.
struct TrueFiring {
  std::vector<int> start;           // (N + 1)
  std::vector<int> feature;         // (nnz)
  std::vector<float> coefficient;   // (nnz)
  bool empty() const { return start.empty(); }
  int n_samples() const { return start.empty() ? 0 : static_cast<int>(start.size()) - 1; }
  std::size_t nnz() const { return feature.size(); }
  // From unordered (sample, feature, coefficient) triplets of n samples: sorted by sample, then
  // feature.
  static TrueFiring from_triplets(int n, const std::vector<int>& sample, const std::vector<int>& feature,
                                  const std::vector<float>& coefficient);
};

// A forest over the true features: parent[i] (−1 for a root or a feature outside every tree)
// and children[i]. Siblings are mutually exclusive; a child fires only with its parent.
struct FeatureHierarchy {
  std::vector<int> parent;                 // (F)
  std::vector<std::vector<int>> children;  // (F)
  int depth(int i) const;                  // 0 for a root
};

class SaeData {
 public:
  virtual ~SaeData() = default;
  virtual int dim() const = 0;
  // Fills X (d, B) with the training stream's next batch of B samples.
  virtual void sample(Mat& X, int batch_size) = 0;
  // A held-out batch of n samples from a fixed evaluation stream (the same every call).
  virtual Mat held_out(int n) const = 0;
  // The true firing of held_out(n)'s samples (the same samples, in order); empty without
  // ground truth (toy, npy).
  virtual TrueFiring held_out_firing(int n) const { (void)n; return {}; }
  // The true features' hierarchy, or null when the source has none.
  virtual const FeatureHierarchy* hierarchy() const { return nullptr; }
  // Restarts the training stream from the seed.
  virtual void reset() = 0;
  // Ground-truth feature directions (d, F), unit columns (zero for a feature the source does not
  // represent); 0 columns when unknown.
  const Mat& true_features() const { return true_features_; }
  // The mean of a large sample (the initial b_dec).
  Vec mean_estimate(int n = 4096) const { return held_out(n).rowwise().mean(); }

 protected:
  Mat true_features_;
};

// A source whose every batch is one fill() over its seed's streams: training batches from
// Rng(seed, rng_stream::data) (restarted by reset()), the held-out batch and its true firing
// from a fresh Rng(seed, rng_stream::eval) each call, so they are the same samples every call.
// synthetic, hierarchical and npy data are such sources.
class SeededSaeData : public SaeData {
 public:
  explicit SeededSaeData(uint64_t seed) : seed_(seed), rng_(seed, rng_stream::data) {}
  void sample(Mat& X, int batch_size) override { fill(rng_, X, batch_size, nullptr); }
  Mat held_out(int n) const override;
  // Empty when the source has no true features.
  TrueFiring held_out_firing(int n) const override;
  void reset() override { rng_ = Rng(seed_, rng_stream::data); }

 protected:
  uint64_t seed_;
  // X (d, n) from rng; with firing (asked only of a source with true features), the batch's
  // true firing too.
  virtual void fill(Rng& rng, Mat& X, int n, TrueFiring* firing) const = 0;

 private:
  Rng rng_;
};

// The source named by config.data (config validated).
std::unique_ptr<SaeData> make_sae_data(const SaeConfig& config);

}  // namespace superpose
