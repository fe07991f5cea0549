// The blocked xsimd GEMM (src/core/gemm.cpp) against its plain twin gemm_ref: odd sizes around
// the register tile (MR x NR) and the cache blocks (kc = 256, so k = 257 crosses a block), both
// transposes, leading dimensions larger than the matrices, accumulation into a non-zero C, and
// the padding of C left untouched. Sizes stay small so the suite is fast in wasm too.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/gemm.hpp"
#include "core/rng.hpp"
#include "kernel_twins.hpp"
#include "tolerance.hpp"

namespace test_gemm {

using namespace superpose;
using superpose::test::close;
using superpose::test::random_vec;

namespace {
// Runs gemm and gemm_ref on the same operands (A, B stored with padding rows, C with padding
// rows that must stay as they were) and checks every entry, the padding included.
void check_against_ref(Rng& rng, Trans ta, Trans tb, std::size_t m, std::size_t n, std::size_t k,
                       std::size_t pad) {
  const std::size_t a_rows = ta == Trans::Yes ? k : m, a_cols = ta == Trans::Yes ? m : k;
  const std::size_t b_rows = tb == Trans::Yes ? n : k, b_cols = tb == Trans::Yes ? k : n;
  const std::size_t lda = a_rows + pad, ldb = b_rows + pad, ldc = m + pad;
  const auto A = random_vec(rng, lda * a_cols), B = random_vec(rng, ldb * b_cols);
  const auto C0 = random_vec(rng, ldc * n);
  auto C = C0, C_ref = C0;
  gemm(ta, tb, m, n, k, A.data(), lda, B.data(), ldb, C.data(), ldc);
  gemm_ref(ta, tb, m, n, k, A.data(), lda, B.data(), ldb, C_ref.data(), ldc);
  INFO("m=" << m << " n=" << n << " k=" << k << " ta=" << (ta == Trans::Yes) << " tb="
            << (tb == Trans::Yes) << " pad=" << pad);
  std::size_t bad = 0;
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < ldc; ++i) {
      const std::size_t at = i + j * ldc;
      // Entries are sums of k products of values in [-1, 1]: an absolute floor of k·1e-6
      // covers the reordered float sums (blocked vs. sequential).
      const bool ok = i < m ? close(C[at], C_ref[at], 1e-5, 1e-6 * double(k + 1))
                            : C[at] == C0[at];  // the padding rows of C are never written
      if (!ok) ++bad;
    }
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("gemm matches gemm_ref on odd sizes around the register tile") {
  Rng rng(11);
  const std::size_t mr = gemm_mr(), nr = gemm_nr();
  const std::size_t ms[] = {1, mr - 1, mr, mr + 1, 2 * mr + 3};
  const std::size_t ns[] = {1, nr - 1, nr, nr + 1, 2 * nr + 5};
  const std::size_t ks[] = {1, 3, 17};
  for (std::size_t m : ms)
    for (std::size_t n : ns)
      for (std::size_t k : ks)
        if (m > 0 && n > 0) check_against_ref(rng, Trans::No, Trans::No, m, n, k, 0);
}

TEST_CASE("gemm matches gemm_ref with transposes, padded leading dimensions and k past a block") {
  Rng rng(12);
  for (Trans ta : {Trans::No, Trans::Yes})
    for (Trans tb : {Trans::No, Trans::Yes})
      for (std::size_t pad : {0, 3}) {
        check_against_ref(rng, ta, tb, 37, 29, 13, pad);
        check_against_ref(rng, ta, tb, 5, 7, 257, pad);  // two kc blocks, the second of 1
      }
  // More than one mc block of rows (mc = 16·MR) and a ragged last one.
  check_against_ref(rng, Trans::No, Trans::No, 16 * gemm_mr() + 7, 9, 20, 1);
}

TEST_CASE("gemm accumulates: C += A·B, and an empty product leaves C alone") {
  // A = [1 2; 3 4], B = [5 6; 7 8] (column-major), C = 1: C += A·B = [20 23; 44 51].
  const float A[] = {1, 3, 2, 4}, B[] = {5, 7, 6, 8};
  float C[] = {1, 1, 1, 1};
  gemm(2, 2, 2, A, B, C);
  CHECK(C[0] == 20.f);
  CHECK(C[1] == 44.f);
  CHECK(C[2] == 23.f);
  CHECK(C[3] == 51.f);
  gemm(2, 2, 0, A, B, C);  // k = 0: nothing to add
  CHECK(C[0] == 20.f);
  float D[] = {0, 0, 0, 0};
  gemm_ref(Trans::No, Trans::No, 2, 2, 2, A, 2, B, 2, D, 2);
  CHECK(D[0] == 19.f);
  CHECK(D[3] == 50.f);
}

}  // namespace test_gemm
