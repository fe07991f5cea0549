// The grokking gather/scatter kernels against their scalar twins, on row counts that are and are
// not multiples of the SIMD width, with repeated tokens and a shared table (dA == dB).
#include <doctest/doctest.h>

#include <vector>

#include "core/kernels.hpp"
#include "core/rng.hpp"
#include "grok/grok_kernels.hpp"
#include "grok/grok_product.hpp"
#include "kernel_twins.hpp"
#include "tolerance.hpp"

namespace test_grok_kernels {

using namespace superpose;
using superpose::test::random_vec;

TEST_CASE("pair_gather_add and pair_scatter_add match their scalar twins") {
  Rng rng(3);
  const int T = 7, N = 40;
  std::vector<int> a(N), b(N);
  for (int n = 0; n < N; ++n) {
    a[n] = static_cast<int>(rng.below(T));
    b[n] = static_cast<int>(rng.below(T));
  }
  for (std::size_t r = 1; r <= 4 * simd_width() + 3; ++r) {
    INFO("rows " << r);
    const auto A = random_vec(rng, r * T), B = random_vec(rng, r * T), G = random_vec(rng, r * N);
    std::vector<float> out(r * N, 9.f), out_ref(r * N, -9.f);
    pair_gather_add(A.data(), B.data(), a.data(), b.data(), out.data(), r, N);
    pair_gather_add_ref(A.data(), B.data(), a.data(), b.data(), out_ref.data(), r, N);
    CHECK(out == out_ref);
    CHECK(out[r * 5] == A[a[5] * r] + B[b[5] * r]);

    auto dA = random_vec(rng, r * T), dB = random_vec(rng, r * T);
    auto dA_ref = dA, dB_ref = dB;
    pair_scatter_add(G.data(), a.data(), b.data(), dA.data(), dB.data(), r, N);
    pair_scatter_add_ref(G.data(), a.data(), b.data(), dA_ref.data(), dB_ref.data(), r, N);
    CHECK(dA == dA_ref);
    CHECK(dB == dB_ref);

    // One shared table: both tokens' columns receive the gradient (twice when a == b).
    std::vector<float> shared(r * T, 0.f), shared_ref(r * T, 0.f);
    pair_scatter_add(G.data(), a.data(), b.data(), shared.data(), shared.data(), r, N);
    pair_scatter_add_ref(G.data(), a.data(), b.data(), shared_ref.data(), shared_ref.data(), r, N);
    CHECK(shared == shared_ref);
    float total = 0.f, want = 0.f;
    for (float v : shared) total += v;
    for (float g : G) want += 2.f * g;
    CHECK(total == doctest::Approx(want).epsilon(1e-4));
  }
}

TEST_CASE("grok_product: every transpose, overwrite and accumulate, on maps with odd sizes") {
  Rng rng(5);
  auto random_mat = [&](int r, int c) {
    Mat M(r, c);
    for (Eigen::Index i = 0; i < M.size(); ++i) M.data()[i] = 2.f * rng.uniform() - 1.f;
    return M;
  };
  const int m = 13, n = 7, k = 29;
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb)
      for (int acc = 0; acc < 2; ++acc) {
        CAPTURE(ta);
        CAPTURE(tb);
        CAPTURE(acc);
        const Mat A = ta ? random_mat(k, m) : random_mat(m, k);
        const Mat B = tb ? random_mat(n, k) : random_mat(k, n);
        const Mat opA = ta ? Mat(A.transpose()) : A, opB = tb ? Mat(B.transpose()) : B;
        std::vector<float> storage(m * n + 3, 0.5f);
        MatMap C(storage.data() + 3, m, n);  // a map into a larger buffer
        const Mat start = C;
        grok_product(C, A, ta, B, tb, acc);
        Mat want = opA * opB;
        if (acc) want += start;
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < n; ++j) CHECK(superpose::test::close(C(i, j), want(i, j), 1e-5, 1e-5));
        CHECK(storage[0] == 0.5f);
      }
}

}  // namespace test_grok_kernels
