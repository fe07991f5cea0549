// Seeded random numbers with identical streams natively and in wasm.
// xoshiro256** (Blackman & Vigna) seeded through SplitMix64: integer-only arithmetic, so the
// stream of u64s, and the floats made from their top bits, are the same on every platform.
// normal() and geometric_gap() go through libm's log/cos in double precision; they agree across
// platforms except in the last bits, which float32 results almost never see.
// Not for cryptography.
#pragma once
#include <cstdint>

namespace superpose {

// The streams an experiment draws from one seed (Rng(seed, stream)): its parameters'
// initialisation, its training data, and its fixed evaluation data.
namespace rng_stream {
constexpr uint64_t init = 0, data = 1, eval = 2;
}  // namespace rng_stream

class Rng {
 public:
  explicit Rng(uint64_t seed = 0, uint64_t stream = 0);

  uint64_t next_u64();
  uint32_t next_u32() { return static_cast<uint32_t>(next_u64() >> 32); }
  // Uniform in [0, 1) with 24 random bits (every value exactly representable).
  float uniform() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }
  // Uniform in (0, 1], for logarithms.
  double uniform_open() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }
  // Uniform integer in [0, n), n >= 1 (Lemire's multiply-shift, unbiased).
  uint32_t below(uint32_t n);
  // Standard normal (Box-Muller; one value per call, the pair's second value is discarded so
  // the stream position is simple to reason about).
  double normal();
  // Number of failures before the next success of a Bernoulli(p) sequence, given
  // log1mp = log(1 - p) (< 0). Used to sample sparse inputs by skipping, not by drawing
  // every entry. Returns a huge value when the next success lies beyond any batch.
  int64_t geometric_gap(double log1mp);

 private:
  uint64_t s_[4];
};

}  // namespace superpose
