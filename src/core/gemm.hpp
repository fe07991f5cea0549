// Dense single-precision GEMM, column-major:  C (m, n) += op(A) (m, k) · op(B) (k, n),
// with op(X) = X or Xᵀ. This is the product the SAE and toy models spend their time in
// (e.g. the batch of 1024 activations times a 64 x 512 encoder).
//
// `gemm` is a GotoBLAS-style blocked product (Goto & van de Geijn 2008, "Anatomy of
// high-performance matrix multiplication"): op(B) is packed into kc x NR column slivers, op(A)
// into MR x kc row slivers, and a register-blocked xsimd micro-kernel keeps an MR x NR tile of C
// in registers across the whole kc loop (per step: MR/width loads of A, NR broadcasts of B,
// (MR/width)·NR multiply-adds). Edges are handled by zero-padding in the packs plus a scalar
// write-back of the partial tile. `gemm_ref` is the plain triple loop the tests hold it to.
//
// What it is not: no threads, no alpha/beta (C is accumulated into; zero it for C = A·B), no
// complex or double. In wasm xsimd runs through Emscripten's SSE -> SIMD128 emulation, where
// there is no FMA: the micro-kernel then issues a multiply and an add per lane, and its ceiling
// is the SIMD128 mul+add peak that bench/bench_gemm.cpp measures in the same run.
#pragma once
#include <cstddef>

namespace superpose {

enum class Trans { No, Yes };

// C (m, n) += op(A) · op(B). Column-major with leading dimensions:
//   A: (m, k) with lda >= m, or, when ta == Trans::Yes, stored (k, m) with lda >= k
//   B: (k, n) with ldb >= k, or, when tb == Trans::Yes, stored (n, k) with ldb >= n
//   C: (m, n) with ldc >= m
// Any of m, n, k may be 0. Not thread-safe (the packing buffers are per thread).
void gemm(Trans ta, Trans tb, std::size_t m, std::size_t n, std::size_t k, const float* A,
          std::size_t lda, const float* B, std::size_t ldb, float* C, std::size_t ldc);
void gemm_ref(Trans ta, Trans tb, std::size_t m, std::size_t n, std::size_t k, const float* A,
              std::size_t lda, const float* B, std::size_t ldb, float* C, std::size_t ldc);

// Shorthand for the plain product C += A · B with tight leading dimensions.
inline void gemm(std::size_t m, std::size_t n, std::size_t k, const float* A, const float* B,
                 float* C) {
  gemm(Trans::No, Trans::No, m, n, k, A, m, B, k, C, m);
}

// The register tile of the micro-kernel (rows of C x columns of C), for reports.
std::size_t gemm_mr();
std::size_t gemm_nr();

}  // namespace superpose
