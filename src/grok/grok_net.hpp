// What the trainer needs of a modular-addition network: its parameter count and init, a forward
// from token indices to logits that caches what the backward reads, the backward from dL/dlogits,
// and the token embedding (for the Fourier readouts). The parameters live in one flat buffer
// owned by the trainer (for the shared AdamW); a net only keeps its workspace.
#pragma once
#include <cstddef>

#include "core/eigen.hpp"
#include "core/rng.hpp"
#include "grok/grok_data.hpp"

namespace superpose {

class GrokNet {
 public:
  virtual ~GrokNet() = default;
  virtual std::size_t n_params() const = 0;
  virtual void init(float* params, Rng& rng) const = 0;
  // logits (p, N) of the pairs; caches the activations the backward reads.
  virtual void forward(const float* params, const PairSet& data, Mat& logits) = 0;
  // grad (n_params, overwritten) = dL/dparams from G = dL/dlogits (p, N), for the pairs of the
  // latest forward.
  virtual void backward(const float* params, const PairSet& data, const Mat& G, float* grad) = 0;
  // The token embedding (rows, 2p): columns [0, p) embed a, columns [p, 2p) embed b.
  virtual ConstMatMap embedding(const float* params) const = 0;
};

}  // namespace superpose
