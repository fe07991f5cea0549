// Stream compaction of four lanes: for a 4-bit mask (which of four lanes are kept), the kept lanes'
// positions packed to the front, and how many there are. The SIMD versions of "append the indices
// that pass a test" (core/kernels.cpp append_below, sae/sae_kernels.cpp collect_above) look up one
// row per four comparisons, store all four entries and advance by the count: no branch per lane.
// What it is not: a kernel of its own (each user has a scalar twin the tests hold it to).
#pragma once

namespace superpose {

struct CompressTable {
  alignas(16) int lane[16][4];
  int count[16];
  constexpr CompressTable() : lane(), count() {
    for (int m = 0; m < 16; ++m) {
      int c = 0;
      for (int l = 0; l < 4; ++l)
        if (m & (1 << l)) lane[m][c++] = l;
      count[m] = c;
    }
  }
};

inline constexpr CompressTable kCompress{};

}  // namespace superpose
