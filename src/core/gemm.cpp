#include "core/gemm.hpp"

#include <algorithm>
#include <vector>
#include <xsimd/xsimd.hpp>

#include "core/simd.hpp"

namespace superpose {
namespace {
using simd::B;
using simd::W;

// The register tile: MB batches of rows (MR = MB·W rows of C) by NR columns of C, that is
// MB·NR accumulators plus MB registers of A and one broadcast of B. Chosen by measurement
// (bench/bench_gemm.cpp): SSE/SIMD128 has 16 registers, AVX-512 has 32.
#ifndef SUPERPOSE_GEMM_MB
#if defined(__AVX512F__)
#define SUPERPOSE_GEMM_MB 2
#define SUPERPOSE_GEMM_NR 12
#elif defined(__AVX__)
#define SUPERPOSE_GEMM_MB 2
#define SUPERPOSE_GEMM_NR 6
#else  // SSE, and wasm SIMD128 through Emscripten's SSE emulation: 12 x 4 and 8 x 4 ran at
       // 80-95% of the in-run mul+add peak in node; 8 x 6 ~66%, 4 x 8 ~42%. Side by side in one
       // session (2026-11-30, bench_gemm in node, pinned to one vCPU, two rounds), 8 x 4 beat
       // 12 x 4 on every shape: the SAE's 69-72% against 65-69% of the peak, 256³ 71% against
       // 66%, the language model's 1536-token products by up to 5 points, bench_lm 23.2-23.7
       // steps/s against 21.1-21.8 (its row counts, 64, 192 and 256, are multiples of 8 and not
       // all of 12, whose partial tiles compute padding)
#define SUPERPOSE_GEMM_MB 2
#define SUPERPOSE_GEMM_NR 4
#endif
#endif
constexpr std::size_t MB = SUPERPOSE_GEMM_MB;
constexpr std::size_t MR = MB * W;
constexpr std::size_t NR = SUPERPOSE_GEMM_NR;
// Cache blocks: a kc x NR sliver of B stays in L1 while an mc x kc block of A streams from L2;
// the kc x nc block of B is reused by every block of A.
constexpr std::size_t KC = 256;
constexpr std::size_t MC = 16 * MR;
constexpr std::size_t NC = 2048;

using Buffer = std::vector<float, xsimd::aligned_allocator<float, 64>>;

// op(A)(i, p) and op(B)(p, j), for the packing loops.
inline float at(const float* X, std::size_t ld, bool t, std::size_t r, std::size_t c) {
  return t ? X[c + r * ld] : X[r + c * ld];
}

// Pack op(A)(i0 .. i0+mc, p0 .. p0+kc) into MR-row slivers, each kc steps of MR contiguous
// values, rows past m padded with zeros.
void pack_a(const float* A, std::size_t lda, bool ta, std::size_t i0, std::size_t mc,
            std::size_t p0, std::size_t kc, float* dst) {
  for (std::size_t s = 0; s < mc; s += MR) {
    const std::size_t rows = std::min(MR, mc - s);
    if (!ta && rows == MR) {  // contiguous columns of A: copy MR values per step
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = A + (i0 + s) + (p0 + p) * lda;
        for (std::size_t b = 0; b < MB; ++b)
          B::load_unaligned(src + b * W).store_aligned(dst + p * MR + b * W);
      }
    } else {
      for (std::size_t p = 0; p < kc; ++p)
        for (std::size_t r = 0; r < MR; ++r)
          dst[p * MR + r] = r < rows ? at(A, lda, ta, i0 + s + r, p0 + p) : 0.f;
    }
    dst += kc * MR;
  }
}

// Pack op(B)(p0 .. p0+kc, j0 .. j0+nc) into NR-column slivers, each kc steps of NR contiguous
// values, columns past n padded with zeros.
void pack_b(const float* Bm, std::size_t ldb, bool tb, std::size_t p0, std::size_t kc,
            std::size_t j0, std::size_t nc, float* dst) {
  for (std::size_t s = 0; s < nc; s += NR) {
    const std::size_t cols = std::min(NR, nc - s);
    for (std::size_t j = 0; j < NR; ++j) {
      if (j < cols) {
        for (std::size_t p = 0; p < kc; ++p) dst[p * NR + j] = at(Bm, ldb, tb, p0 + p, j0 + s + j);
      } else {
        for (std::size_t p = 0; p < kc; ++p) dst[p * NR + j] = 0.f;
      }
    }
    dst += kc * NR;
  }
}

// The micro-kernel: C (MR, NR) += a (MR, kc) · b (kc, NR), a and b packed slivers. The MB·NR
// accumulators live in registers for the whole kc loop. xsimd::fma is one instruction where
// the target has FMA and a multiply plus an add elsewhere (SSE, wasm SIMD128).
inline void micro_kernel(std::size_t kc, const float* a, const float* b, float* C,
                         std::size_t ldc) {
  B acc[MB][NR];
  for (std::size_t i = 0; i < MB; ++i)
    for (std::size_t j = 0; j < NR; ++j) acc[i][j] = B(0.f);
#pragma GCC unroll 2
  for (std::size_t p = 0; p < kc; ++p) {
    B av[MB];
    for (std::size_t i = 0; i < MB; ++i) av[i] = B::load_aligned(a + i * W);
    for (std::size_t j = 0; j < NR; ++j) {
      const B bj(b[j]);
      for (std::size_t i = 0; i < MB; ++i) acc[i][j] = xsimd::fma(av[i], bj, acc[i][j]);
    }
    a += MR;
    b += NR;
  }
  for (std::size_t j = 0; j < NR; ++j)
    for (std::size_t i = 0; i < MB; ++i) {
      float* c = C + j * ldc + i * W;
      (B::load_unaligned(c) + acc[i][j]).store_unaligned(c);
    }
}

}  // namespace

std::size_t gemm_mr() { return MR; }
std::size_t gemm_nr() { return NR; }

void gemm(Trans ta, Trans tb, std::size_t m, std::size_t n, std::size_t k, const float* A,
          std::size_t lda, const float* Bm, std::size_t ldb, float* C, std::size_t ldc) {
  if (m == 0 || n == 0 || k == 0) return;
  const bool at_ = ta == Trans::Yes, bt_ = tb == Trans::Yes;
  thread_local Buffer pa, pb;
  const std::size_t mc_max = std::min(MC, (m + MR - 1) / MR * MR);
  const std::size_t nc_max = std::min(NC, (n + NR - 1) / NR * NR);
  const std::size_t kc_max = std::min(KC, k);
  if (pa.size() < mc_max * kc_max) pa.resize(mc_max * kc_max);
  if (pb.size() < nc_max * kc_max) pb.resize(nc_max * kc_max);
  alignas(64) float tile[MR * NR];

  for (std::size_t j0 = 0; j0 < n; j0 += NC) {
    const std::size_t nc = std::min(NC, n - j0);
    for (std::size_t p0 = 0; p0 < k; p0 += KC) {
      const std::size_t kc = std::min(KC, k - p0);
      pack_b(Bm, ldb, bt_, p0, kc, j0, nc, pb.data());
      for (std::size_t i0 = 0; i0 < m; i0 += MC) {
        const std::size_t mc = std::min(MC, m - i0);
        pack_a(A, lda, at_, i0, mc, p0, kc, pa.data());
        for (std::size_t jr = 0; jr < nc; jr += NR) {
          const std::size_t nr = std::min(NR, nc - jr);
          const float* bs = pb.data() + jr * kc;
          for (std::size_t ir = 0; ir < mc; ir += MR) {
            const std::size_t mr = std::min(MR, mc - ir);
            const float* as = pa.data() + ir * kc;
            float* c = C + (i0 + ir) + (j0 + jr) * ldc;
            if (mr == MR && nr == NR) {
              micro_kernel(kc, as, bs, c, ldc);
            } else {  // partial tile: compute it whole into `tile`, add the valid part (scalar)
              std::fill(tile, tile + MR * NR, 0.f);
              micro_kernel(kc, as, bs, tile, MR);
              for (std::size_t j = 0; j < nr; ++j)
                for (std::size_t i = 0; i < mr; ++i) c[i + j * ldc] += tile[i + j * MR];
            }
          }
        }
      }
    }
  }
}

void gemm_ref(Trans ta, Trans tb, std::size_t m, std::size_t n, std::size_t k, const float* A,
              std::size_t lda, const float* Bm, std::size_t ldb, float* C, std::size_t ldc) {
  const bool at_ = ta == Trans::Yes, bt_ = tb == Trans::Yes;
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < m; ++i) {
      float s = 0.f;
      for (std::size_t p = 0; p < k; ++p) s += at(A, lda, at_, i, p) * at(Bm, ldb, bt_, p, j);
      C[i + j * ldc] += s;
    }
}

}  // namespace superpose
