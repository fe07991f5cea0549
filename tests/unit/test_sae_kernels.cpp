// The SAE kernels against their scalar twins, on lengths that are and are not multiples of the
// SIMD width, with values on both sides of the thresholds.
#include <doctest/doctest.h>

#include <vector>

#include "core/kernels.hpp"
#include "core/rng.hpp"
#include "sae/sae_kernels.hpp"
#include "sae/topk_sae.hpp"
#include "kernel_twins.hpp"
#include "tolerance.hpp"

namespace test_sae_kernels {

using namespace superpose;
using superpose::test::close;
using superpose::test::random_vec;
using superpose::test::twin_lengths;

namespace {
std::vector<std::size_t> lengths() { return twin_lengths({64, 513}); }
}  // namespace

TEST_CASE("collect_above matches its scalar twin (with and without bias)") {
  Rng rng(2);
  for (std::size_t n : lengths())
    for (bool with_bias : {false, true}) {
      auto x = random_vec(rng, n, -1, 1), b = random_vec(rng, n, -0.3f, 0.3f),
           t = random_vec(rng, n, 0, 0.8f);
      std::vector<int> out(n + 4, -1), ref(n + 4, -2);
      const std::size_t k = collect_above(x.data(), with_bias ? b.data() : nullptr, t.data(), out.data(), n);
      const std::size_t k_ref = collect_above_ref(x.data(), with_bias ? b.data() : nullptr, t.data(), ref.data(), n);
      REQUIRE(k == k_ref);
      for (std::size_t i = 0; i < k; ++i) CHECK(out[i] == ref[i]);
      if (n >= 64) CHECK((k > 0 && k < n));
    }
}

TEST_CASE("dot and residual_grad match their scalar twins") {
  Rng rng(3);
  for (std::size_t n : lengths()) {
    auto a = random_vec(rng, n, -1, 1), b = random_vec(rng, n, -1, 1);
    CHECK(close(dot(a.data(), b.data(), n), dot_ref(a.data(), b.data(), n), 1e-5, 1e-6));
    std::vector<float> g(n, 5.f), g_ref(n, -5.f);
    const float e = residual_grad(a.data(), b.data(), g.data(), n, 0.5f);
    const float e_ref = residual_grad_ref(a.data(), b.data(), g_ref.data(), n, 0.5f);
    CHECK(close(e, e_ref, 1e-5, 1e-6));
    for (std::size_t i = 0; i < n; ++i) CHECK(close(g[i], g_ref[i], 1e-6, 1e-9));
  }
}

TEST_CASE("top_k_positive keeps the k largest positive values, ties towards lower positions") {
  std::vector<float> scratch;
  std::vector<int> out;
  const std::vector<float> v = {0.5f, -1.f, 2.f, 0.5f, 0.f, 3.f, 0.5f};
  top_k_positive(v.data(), 7, 3, scratch, out);
  CHECK(out == std::vector<int>{0, 2, 5});
  top_k_positive(v.data(), 7, 4, scratch, out);
  CHECK(out == std::vector<int>{0, 2, 3, 5});
  top_k_positive(v.data(), 7, 10, scratch, out);  // only 5 positive
  CHECK(out == std::vector<int>{0, 2, 3, 5, 6});
  const std::vector<float> neg = {-1.f, 0.f};
  top_k_positive(neg.data(), 2, 1, scratch, out);
  CHECK(out.empty());
}

TEST_CASE("gather_combine, gather_dots and scatter_axpy match their scalar twins") {
  Rng rng(4);
  const std::size_t L = 37;
  for (std::size_t d : lengths()) {
    if (d > 200) continue;
    const std::size_t ld = d + 3;
    auto M = random_vec(rng, ld * L, -1, 1), base = random_vec(rng, d, -1, 1), x = random_vec(rng, d, -1, 1);
    const std::vector<int> idx = {3, 0, 36, 17, 5};
    auto coef = random_vec(rng, idx.size(), -2, 2);
    coef[1] = 0.f;
    std::vector<float> out(d, 9.f), out_ref(d, -9.f);
    gather_combine(M.data(), ld, idx.data(), coef.data(), idx.size(), base.data(), out.data(), d);
    gather_combine_ref(M.data(), ld, idx.data(), coef.data(), idx.size(), base.data(), out_ref.data(), d);
    for (std::size_t r = 0; r < d; ++r) CHECK(close(out[r], out_ref[r], 1e-5, 1e-6));
    std::vector<float> dots(idx.size()), dots_ref(idx.size());
    gather_dots(M.data(), ld, idx.data(), idx.size(), x.data(), dots.data(), d);
    gather_dots_ref(M.data(), ld, idx.data(), idx.size(), x.data(), dots_ref.data(), d);
    for (std::size_t e = 0; e < idx.size(); ++e) CHECK(close(dots[e], dots_ref[e], 1e-5, 1e-6));
    auto M2 = M;
    scatter_axpy(M.data(), ld, idx.data(), coef.data(), idx.size(), x.data(), d);
    scatter_axpy_ref(M2.data(), ld, idx.data(), coef.data(), idx.size(), x.data(), d);
    for (std::size_t i = 0; i < M.size(); ++i) CHECK(close(M[i], M2[i], 1e-6, 1e-7));
  }
}

TEST_CASE("gemm_nn matches its scalar twin on blocked and ragged shapes") {
  Rng rng(5);
  const std::size_t W = simd_width();
  for (std::size_t m : {std::size_t(1), 2 * W, 2 * W + 3, 6 * W + 1})
    for (std::size_t n : {std::size_t(1), std::size_t(4), std::size_t(7), std::size_t(13)})
      for (std::size_t k : {std::size_t(1), std::size_t(9), std::size_t(64)}) {
        const std::size_t lda = m + 1, ldx = k + 2, ldo = m + 3;
        auto A = random_vec(rng, lda * k, -1, 1), X = random_vec(rng, ldx * n, -1, 1);
        std::vector<float> O(ldo * n, 5.f), O_ref(ldo * n, 5.f);
        gemm_nn(A.data(), lda, X.data(), ldx, O.data(), ldo, m, k, n);
        gemm_nn_ref(A.data(), lda, X.data(), ldx, O_ref.data(), ldo, m, k, n);
        INFO("m " << m << " k " << k << " n " << n);
        for (std::size_t i = 0; i < O.size(); ++i) CHECK(close(O[i], O_ref[i], 1e-5, 1e-5));
      }
}

}  // namespace test_sae_kernels
