// Uniform random floats in blocks: 16 independent xoshiro128+ generators (Blackman & Vigna)
// advanced together with xsimd, for the hot loop of the toy data (tens of thousands of values
// per step). The 16 logical lanes are fixed, whatever the SIMD width (16 on AVX-512, 4 on wasm
// SIMD128 via SSE emulation), and the arithmetic is 32-bit integer only, so the stream is
// identical natively and in wasm. Values use the top 24 bits: exact floats in [0, 1).
// fill_ref is the scalar twin the tests hold fill to.
#pragma once
#include <cstddef>
#include <cstdint>

namespace superpose {

class UniformBlock {
 public:
  static constexpr std::size_t kLanes = 16;
  explicit UniformBlock(uint64_t seed = 0, uint64_t stream = 0);
  // Writes n uniforms in [0, 1). Consumes whole blocks of 16 (a partial block's rest is dropped).
  void fill(float* out, std::size_t n);
  void fill_ref(float* out, std::size_t n);

 private:
  alignas(64) uint32_t s_[4][kLanes];
  void next_block(float* out);
  void next_block_ref(float* out);
};

}  // namespace superpose
