// The synthetic data of the toy models (Elhage et al. 2022, section "Demonstrating
// Superposition"; correlated features: section "Superposition with correlated features").
// Each feature is active with probability p (its instance's feature probability), with value
// U[0,1) (U[-1,1) for the abs model, whose target is |x|); otherwise 0.
// Correlated pairs (2i, 2i+1) are active together with probability p; anticorrelated pairs are
// active as a set with probability min(1, 2p), then exactly one member (uniformly) fires, so each
// feature's marginal probability stays p (for p ≤ 1/2). An odd last feature stays independent.
//
// A batch is stored sparse, as each sample's list of active features, because at the paper's
// sparsities almost every entry is zero: the models then pay only for active entries. Sparse
// instances are sampled by skipping geometric gaps, so the cost is the number of active entries,
// not n_features × batch.
#pragma once
#include <vector>

#include "core/eigen.hpp"
#include "core/rng.hpp"
#include "core/uniform_block.hpp"
#include "toy/toy_config.hpp"

namespace superpose {

// The active entries of one instance's batch: sample s holds index/value[start[s], start[s+1]),
// features ascending. index and value may be longer than nnz() (their memory is reused across
// batches and only grows); entries past nnz() mean nothing.
struct SparseBatch {
  std::vector<int> start;    // (batch + 1)
  std::vector<int> index;    // (≥ nnz) feature of each active entry
  std::vector<float> value;  // (≥ nnz)
  int batch_size() const { return static_cast<int>(start.size()) - 1; }
  std::size_t nnz() const { return start.empty() ? 0 : static_cast<std::size_t>(start.back()); }
};

struct ToyBatch {
  int n_features = 0;
  bool abs_target = false;  // the target is |x| (abs model), else x
  std::vector<SparseBatch> x;  // per instance (empty for those a ranged sample does not draw)

  int batch_size() const { return x.empty() ? 0 : x[0].batch_size(); }
  Mat dense(int k) const;         // (n_features, batch): the inputs of instance k
  Mat dense_target(int k) const;  // (n_features, batch): the targets of instance k
  // The inverse of dense(): builds the sparse batch of given dense inputs (tests, imports).
  static ToyBatch from_dense(const std::vector<Mat>& x, bool abs_target);
};

// The random streams of one instance's data: bits for gaps and choices, a vectorised block of
// uniforms for the many Bernoulli draws and values.
struct ToyInstanceRng {
  ToyInstanceRng(uint64_t seed, uint64_t stream) : bits(seed, stream), uniforms(seed, stream) {}
  Rng bits;
  UniformBlock uniforms;
};

// The toy data's random streams for one use of a seed (training data, evaluation data, an SAE's
// data, ...): one per instance, k's ToyInstanceRng(seed, stream(use, k)), made on first use (with
// those before it, untouched until drawn). So an instance's batches are the same whichever other
// instances are drawn beside it, or none: a worker pool's share (web/lib/shards.js) draws only
// its own instances, and they are bitwise those of the one-worker run.
class ToyRng {
 public:
  ToyRng(uint64_t seed, uint64_t use) : seed_(seed), use_(use) {}
  ToyInstanceRng& instance(int k) {
    while (streams_.size() <= static_cast<std::size_t>(k))
      streams_.emplace_back(seed_, stream(use_, streams_.size()));
    return streams_[k];
  }
  // The stream id of instance k of a use. Every other stream id of the project is a constant
  // below 2^32 (rng_stream in core/rng.hpp and the constants beside their uses in toy/, sae/,
  // interp/, grok/, lm/); these set bit 63, so they are none of those, and differ for each
  // (use < 2^31, k < 2^32). (UniformBlock seeds from its stream xor a constant with bit 31 set:
  // one instance's uniforms could meet another's bits only past k = 2^31.)
  static constexpr uint64_t stream(uint64_t use, uint64_t k) {
    return (uint64_t{1} << 63) | ((use & 0x7FFFFFFFull) << 32) | (k & 0xFFFFFFFFull);
  }

 private:
  uint64_t seed_, use_;
  std::vector<ToyInstanceRng> streams_;  // (instances drawn so far)
};

class ToyDataGenerator {
 public:
  explicit ToyDataGenerator(const ToyConfig& config);
  // Fills batch with a fresh sample of batch_size inputs per instance (reusing its memory).
  void sample(ToyRng& rng, ToyBatch& batch, int batch_size) const { sample(rng, batch, batch_size, 0, n_instances_); }
  // Only instances [first, end), or the listed ones (ascending), are drawn (a worker pool's
  // share, web/lib/shards.js; the others' x is left empty and their streams untouched): each
  // instance has its own stream, so these are bitwise the instances of the whole sample.
  void sample(ToyRng& rng, ToyBatch& batch, int batch_size, int first, int end) const;
  void sample(ToyRng& rng, ToyBatch& batch, int batch_size, const std::vector<int>& instances) const;

 private:
  int n_features_, n_instances_;
  Correlation correlation_;
  bool signed_values_;  // abs model: values in [-1, 1), target |x|
  std::vector<double> probability_;
  mutable std::vector<float> draws_;  // scratch: one uniform per (sample, unit)
  // Each fills x.start and x.index (the active positions); sample() then draws the values.
  void sample_by_gaps(Rng& rng, SparseBatch& x, double p, int batch_size) const;
  void sample_by_draws(ToyInstanceRng& rng, SparseBatch& x, double p, int batch_size) const;
  // Draws the instances k with drawn(k), leaves the others empty.
  template <class Drawn>
  void sample_where(ToyRng& rng, ToyBatch& batch, int batch_size, Drawn drawn) const;
};

}  // namespace superpose
