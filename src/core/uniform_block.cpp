#include "core/uniform_block.hpp"

#include <xsimd/xsimd.hpp>

#include "core/rng.hpp"

namespace superpose {

namespace {
using U = xsimd::batch<uint32_t>;
using I = xsimd::batch<int32_t>;
constexpr std::size_t L = UniformBlock::kLanes;
static_assert(L % U::size == 0, "the SIMD width must divide the lane count");
inline U rotl(const U& x, int k) { return (x << k) | (x >> (32 - k)); }
inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
// One xoshiro128 state update of a lane group (fill and next_block share it).
inline void advance(U& s0, U& s1, U& s2, U& s3) {
  const U t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
}
}  // namespace

UniformBlock::UniformBlock(uint64_t seed, uint64_t stream) {
  Rng seeder(seed, stream ^ 0x5DEECE66Dull);
  for (std::size_t lane = 0; lane < L; ++lane) {
    const uint64_t a = seeder.next_u64(), b = seeder.next_u64();
    s_[0][lane] = static_cast<uint32_t>(a);
    s_[1][lane] = static_cast<uint32_t>(a >> 32);
    s_[2][lane] = static_cast<uint32_t>(b);
    s_[3][lane] = static_cast<uint32_t>(b >> 32) | 1u;  // never the all-zero state
  }
}

void UniformBlock::next_block(float* out) {
  const xsimd::batch<float> scale(0x1.0p-24f);
  for (std::size_t i = 0; i < L; i += U::size) {
    U s0 = U::load_aligned(&s_[0][i]), s1 = U::load_aligned(&s_[1][i]);
    U s2 = U::load_aligned(&s_[2][i]), s3 = U::load_aligned(&s_[3][i]);
    const U result = s0 + s3;
    advance(s0, s1, s2, s3);
    s0.store_aligned(&s_[0][i]);
    s1.store_aligned(&s_[1][i]);
    s2.store_aligned(&s_[2][i]);
    s3.store_aligned(&s_[3][i]);
    const I top = xsimd::bitwise_cast<I>(result >> 8);  // < 2^24: exact as float
    (xsimd::to_float(top) * scale).store_unaligned(out + i);
  }
}

void UniformBlock::next_block_ref(float* out) {
  for (std::size_t lane = 0; lane < L; ++lane) {
    uint32_t& s0 = s_[0][lane];
    uint32_t& s1 = s_[1][lane];
    uint32_t& s2 = s_[2][lane];
    uint32_t& s3 = s_[3][lane];
    const uint32_t result = s0 + s3;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out[lane] = static_cast<float>(result >> 8) * 0x1.0p-24f;
  }
}

namespace {
// fill's whole blocks for G lane groups at once: their state chains are independent, so running
// them side by side lets the CPU overlap them (one group's update is a chain of dependent xors
// and a rotate, latency-bound on its own). Each lane's values are the same, in the same places.
template <std::size_t G>
void fill_groups(uint32_t (&s)[4][L], std::size_t g, float* out, std::size_t blocks) {
  constexpr std::size_t W = U::size;
  const xsimd::batch<float> scale(0x1.0p-24f);
  U s0[G], s1[G], s2[G], s3[G];
  for (std::size_t q = 0; q < G; ++q) {
    s0[q] = U::load_aligned(&s[0][g + q * W]);
    s1[q] = U::load_aligned(&s[1][g + q * W]);
    s2[q] = U::load_aligned(&s[2][g + q * W]);
    s3[q] = U::load_aligned(&s[3][g + q * W]);
  }
  float* o = out + g;
  for (std::size_t b = 0; b < blocks; ++b, o += L)
    for (std::size_t q = 0; q < G; ++q) {
      const U result = s0[q] + s3[q];
      advance(s0[q], s1[q], s2[q], s3[q]);
      const I top = xsimd::bitwise_cast<I>(result >> 8);  // < 2^24: exact as float
      (xsimd::to_float(top) * scale).store_unaligned(o + q * W);
    }
  for (std::size_t q = 0; q < G; ++q) {
    s0[q].store_aligned(&s[0][g + q * W]);
    s1[q].store_aligned(&s[1][g + q * W]);
    s2[q].store_aligned(&s[2][g + q * W]);
    s3[q].store_aligned(&s[3][g + q * W]);
  }
}
}  // namespace

void UniformBlock::fill(float* out, std::size_t n) {
  // Whole blocks: each lane group runs through every block with its state held in registers
  // (one load and one store of the state per fill, not per block), writing its columns of the
  // (block, lane) output, two groups side by side where there are several (SSE / wasm SIMD128:
  // four groups of 4; W1's data in wasm took 94 -> 75 us per step with two, 79-81 with all four,
  // whose 16 state registers spill). Same values, in the same places, as next_block.
  const std::size_t blocks = n / L;
  constexpr std::size_t kSideBySide = L / U::size >= 2 ? 2 : 1;
  if (blocks > 0)
    for (std::size_t g = 0; g < L; g += kSideBySide * U::size)
      fill_groups<kSideBySide>(s_, g, out, blocks);
  std::size_t i = blocks * L;
  if (i < n) {
    alignas(64) float tail[L];
    next_block(tail);
    for (std::size_t j = 0; i < n; ++i, ++j) out[i] = tail[j];
  }
}

void UniformBlock::fill_ref(float* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + L <= n; i += L) next_block_ref(out + i);
  if (i < n) {
    float tail[L];
    next_block_ref(tail);
    for (std::size_t j = 0; i < n; ++i, ++j) out[i] = tail[j];
  }
}

}  // namespace superpose
