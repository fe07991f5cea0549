// Every xsimd kernel against its scalar twin, on lengths that are and are not multiples of the
// SIMD width (0 .. 4·width + 3), with values that hit both sides of every ReLU.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "core/kernels.hpp"
#include "core/rng.hpp"
#include "kernel_twins.hpp"
#include "tolerance.hpp"

namespace test_kernels {

using namespace superpose;
using superpose::test::close;
using superpose::test::random_vec;
using superpose::test::twin_lengths;

namespace {
std::vector<std::size_t> lengths() { return twin_lengths({1000, 1023}); }
}  // namespace

TEST_CASE("weighted_sq_error_grad matches its scalar twin") {
  Rng rng(1);
  for (bool relu : {true, false})
    for (std::size_t n : lengths()) {
      auto o = random_vec(rng, n, -1, 1), y = random_vec(rng, n, 0, 1), w = random_vec(rng, n, 0, 2);
      std::vector<float> g(n, 7.f), g_ref(n, -7.f);
      const float loss = weighted_sq_error_grad(o.data(), y.data(), w.data(), g.data(), n, 0.25f, relu);
      const float loss_ref = weighted_sq_error_grad_ref(o.data(), y.data(), w.data(), g_ref.data(), n, 0.25f, relu);
      CHECK(close(loss, loss_ref, 1e-5, 1e-7));
      for (std::size_t i = 0; i < n; ++i) CHECK(close(g[i], g_ref[i], 1e-6, 1e-9));
      CHECK(close(weighted_sq_error(o.data(), y.data(), w.data(), n, relu),
                  weighted_sq_error_ref(o.data(), y.data(), w.data(), n, relu), 1e-5, 1e-7));
    }
}

TEST_CASE("the fused loss kernel computes the importance-weighted error and its gradient") {
  // o = (-1, 0.5, 2), y = (0.5, 0.5, 1), w = (1, 2, 3), ReLU: y_hat = (0, 0.5, 2)
  const float o[] = {-1.f, 0.5f, 2.f}, y[] = {0.5f, 0.5f, 1.f}, w[] = {1.f, 2.f, 3.f};
  float g[3];
  const float loss = weighted_sq_error_grad_ref(o, y, w, g, 3, 1.f, true);
  CHECK(loss == doctest::Approx(1 * 0.25 + 0 + 3 * 1.0));
  CHECK(g[0] == 0.f);                         // ReLU inactive: no gradient
  CHECK(g[1] == 0.f);                         // exact
  CHECK(g[2] == doctest::Approx(2 * 3 * 1.0));
}

TEST_CASE("relu kernels match their scalar twins") {
  Rng rng(2);
  for (std::size_t n : lengths()) {
    auto x = random_vec(rng, n, -1, 1);
    auto a = x, b = x;
    relu_inplace(a.data(), n);
    relu_inplace_ref(b.data(), n);
    CHECK(a == b);
    auto g1 = random_vec(rng, n, -1, 1);
    auto g2 = g1;
    relu_backward_inplace(x.data(), g1.data(), n);
    relu_backward_inplace_ref(x.data(), g2.data(), n);
    CHECK(g1 == g2);
  }
}

TEST_CASE("adam_update matches its scalar twin, with and without decoupled decay") {
  Rng rng(3);
  for (float decay : {0.f, 0.1f})
    for (std::size_t n : lengths()) {
      auto p = random_vec(rng, n, -1, 1), g = random_vec(rng, n, -1, 1);
      auto m = random_vec(rng, n, -0.1f, 0.1f), v = random_vec(rng, n, 0, 0.01f);
      auto p2 = p, m2 = m, v2 = v;
      const AdamStep s{1e-2f, 0.9f, 0.999f, 1e-8f, 0.271f, 0.00299f, decay};
      adam_update(p.data(), g.data(), m.data(), v.data(), n, s);
      adam_update_ref(p2.data(), g.data(), m2.data(), v2.data(), n, s);
      for (std::size_t i = 0; i < n; ++i) {
        CHECK(close(p[i], p2[i], 1e-6, 1e-7));
        CHECK(close(m[i], m2[i], 1e-6, 1e-9));
        CHECK(close(v[i], v2[i], 1e-6, 1e-12));
      }
    }
}

TEST_CASE("all_finite matches its scalar twin and finds a NaN or an inf anywhere") {
  for (std::size_t n : lengths()) {
    std::vector<float> x(n, 1.5f);
    CHECK(all_finite(x.data(), n) == all_finite_ref(x.data(), n));
    CHECK(all_finite(x.data(), n));
    for (std::size_t i = 0; i < n; i += 3) {
      for (float bad : {NAN, INFINITY, -INFINITY}) {
        auto y = x;
        y[i] = bad;
        CHECK_FALSE(all_finite(y.data(), n));
        CHECK_FALSE(all_finite_ref(y.data(), n));
      }
    }
  }
}

TEST_CASE("matvec_add, matvec_t_outer and axpy match their scalar twins") {
  Rng rng(4);
  for (std::size_t n : lengths())
    for (std::size_t m : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{7}}) {
      auto D = random_vec(rng, n * m, -1, 1), h = random_vec(rng, m, -1, 1);
      auto b = random_vec(rng, n, -1, 1), g = random_vec(rng, n, -1, 1);
      std::vector<float> o(n), o_ref(n);
      matvec_add(D.data(), h.data(), b.data(), o.data(), n, m);
      matvec_add_ref(D.data(), h.data(), b.data(), o_ref.data(), n, m);
      for (std::size_t i = 0; i < n; ++i) CHECK(close(o[i], o_ref[i], 1e-5, 1e-6));
      auto dD = random_vec(rng, n * m, -1, 1);
      auto dD_ref = dD;
      std::vector<float> dh(m, 9.f), dh_ref(m, -9.f);
      matvec_t_outer(D.data(), g.data(), h.data(), dD.data(), dh.data(), n, m);
      matvec_t_outer_ref(D.data(), g.data(), h.data(), dD_ref.data(), dh_ref.data(), n, m);
      for (std::size_t k = 0; k < m; ++k) CHECK(close(dh[k], dh_ref[k], 1e-5, 1e-5));
      for (std::size_t i = 0; i < n * m; ++i) CHECK(close(dD[i], dD_ref[i], 1e-6, 1e-6));
      auto y = random_vec(rng, n, -1, 1);
      auto y_ref = y;
      axpy(0.7f, g.data(), y.data(), n);
      axpy_ref(0.7f, g.data(), y_ref.data(), n);
      for (std::size_t i = 0; i < n; ++i) CHECK(close(y[i], y_ref[i], 1e-6, 1e-7));
    }
}

TEST_CASE("matvec_t and outer_add match their scalar twins") {
  Rng rng(6);
  for (std::size_t n : lengths())
    for (std::size_t m : {std::size_t{1}, std::size_t{3}, std::size_t{5}, std::size_t{8}}) {
      auto E = random_vec(rng, n * m, -1, 1), x = random_vec(rng, n, -1, 1);
      std::vector<float> h(m, 3.f), h_ref(m, -3.f);
      matvec_t(E.data(), x.data(), h.data(), n, m);
      matvec_t_ref(E.data(), x.data(), h_ref.data(), n, m);
      for (std::size_t k = 0; k < m; ++k) CHECK(close(h[k], h_ref[k], 1e-5, 1e-5));
      auto dE = random_vec(rng, n * m, -1, 1);
      auto dE_ref = dE;
      outer_add(dE.data(), x.data(), h_ref.data(), n, m);
      outer_add_ref(dE_ref.data(), x.data(), h_ref.data(), n, m);
      for (std::size_t i = 0; i < n * m; ++i) CHECK(close(dE[i], dE_ref[i], 1e-6, 1e-6));
    }
}

TEST_CASE("rows_combine and rows_dot_add match their scalar twins (strided rows)") {
  Rng rng(7);
  for (std::size_t len : lengths())
    for (auto [r, k] : {std::pair<std::size_t, std::size_t>{1, 1}, {5, 20}, {20, 5}, {3, 7}, {4, 8},
                         {9, 13}, {2, 3}, {8, 1}, {6, 4}, {7, 2}, {5, 3}}) {
      const std::size_t ld = len + 3, lda = k + 2, ldo = k + 1;  // strides past the row lengths
      auto A = random_vec(rng, r * lda, -1, 1), bias = random_vec(rng, r, -1, 1);
      auto X = random_vec(rng, k * ld, -1, 1);
      std::vector<float> out(r * ld, 5.f), out_ref(r * ld, 5.f);
      rows_combine(A.data(), lda, bias.data(), X.data(), out.data(), r, k, len, ld);
      rows_combine_ref(A.data(), lda, bias.data(), X.data(), out_ref.data(), r, k, len, ld);
      for (std::size_t i = 0; i < out.size(); ++i) CHECK(close(out[i], out_ref[i], 1e-5, 1e-5));
      CHECK(out == out_ref);  // each output summed in the twin's order (bias, j = 0..k-1): bitwise
      rows_combine(A.data(), lda, nullptr, X.data(), out.data(), r, k, len, ld);
      rows_combine_ref(A.data(), lda, nullptr, X.data(), out_ref.data(), r, k, len, ld);
      for (std::size_t i = 0; i < out.size(); ++i) CHECK(close(out[i], out_ref[i], 1e-5, 1e-5));
      CHECK(out == out_ref);
      auto P = random_vec(rng, r * ld, -1, 1);
      auto acc = random_vec(rng, r * ldo, -1, 1);
      auto acc_ref = acc;
      const auto before = acc;
      rows_dot_add(P.data(), X.data(), acc.data(), ldo, r, k, len, ld);
      rows_dot_add_ref(P.data(), X.data(), acc_ref.data(), ldo, r, k, len, ld);
      for (std::size_t i = 0; i < acc.size(); ++i) CHECK(close(acc[i], acc_ref[i], 1e-5, 1e-4));
      for (std::size_t a = 0; a < r; ++a) CHECK(acc[a * ldo + k] == before[a * ldo + k]);  // past q: untouched
    }
}

TEST_CASE("decode_loss_rows matches its scalar twin and the unfused rows_combine + loss + row sums") {
  Rng rng(13);
  for (bool relu : {true, false})
    for (std::size_t len : lengths())
      for (auto [n, m] : {std::pair<std::size_t, std::size_t>{20, 5}, {1, 1}, {3, 7}, {4, 2}, {9, 3}}) {
        const std::size_t ld = len + 3;
        auto D = random_vec(rng, n * m, -1, 1), bias = random_vec(rng, n, -1, 1);
        auto w = random_vec(rng, n, 0, 2), H = random_vec(rng, m * ld, -1, 1);
        auto Y = random_vec(rng, n * ld, 0, 1);
        std::vector<float> G(n * ld, 5.f), G_ref(n * ld, 5.f), gs(n, 1.f), gs_ref(n, 1.f);
        const float loss = decode_loss_rows(D.data(), bias.data(), w.data(), H.data(), Y.data(),
                                            G.data(), gs.data(), n, m, len, ld, 0.25f, relu, 0.5f);
        const float loss_ref = decode_loss_rows_ref(D.data(), bias.data(), w.data(), H.data(), Y.data(),
                                                    G_ref.data(), gs_ref.data(), n, m, len, ld, 0.25f, relu, 0.5f);
        CHECK(close(loss, loss_ref, 1e-5, 1e-6));
        for (std::size_t i = 0; i < n; ++i) {
          CHECK(close(gs[i], gs_ref[i], 1e-5, 1e-5));
          for (std::size_t c = 0; c < len; ++c) CHECK(close(G[i * ld + c], G_ref[i * ld + c], 1e-5, 1e-6));
          for (std::size_t c = len; c < ld; ++c) CHECK(G[i * ld + c] == 5.f);  // past len: untouched
        }
        // Bit for bit what the unfused kernels give: O by rows_combine, each row's loss by
        // weighted_sq_error_grad with its weight repeated, the row sums by rows_dot_add with ones.
        std::vector<float> O(n * ld), G_unfused(n * ld, 5.f), wrow(len), ones(ld, 1.f), gs_unfused(n, 1.f);
        rows_combine(D.data(), m, bias.data(), H.data(), O.data(), n, m, len, ld);
        float loss_unfused = 0.5f;
        for (std::size_t i = 0; i < n; ++i) {
          std::fill(wrow.begin(), wrow.end(), w[i]);
          loss_unfused += weighted_sq_error_grad(&O[i * ld], &Y[i * ld], wrow.data(), &G_unfused[i * ld],
                                                 len, 0.25f, relu);
        }
        rows_dot_add(ones.data(), G_unfused.data(), gs_unfused.data(), n, 1, n, len, ld);
        CHECK(loss == loss_unfused);
        CHECK(G == G_unfused);
        CHECK(gs == gs_unfused);
        float none = decode_loss_rows(D.data(), bias.data(), w.data(), H.data(), Y.data(), G.data(),
                                      nullptr, n, m, len, ld, 0.25f, relu, 0.5f);  // no row sums
        CHECK(none == loss);
      }
}

TEST_CASE("append_below matches its scalar twin (every length, probabilities 0..1)") {
  Rng rng(11);
  for (std::size_t n = 0; n <= 37; ++n)
    for (float p : {0.f, 0.03f, 0.3f, 0.5f, 0.97f, 1.f}) {
      auto u = random_vec(rng, n, 0, 1);
      if (n > 2) u[1] = p;  // a draw equal to p does not fire (u < p)
      std::vector<int> idx(n + 4, -7), ref(n + 4, -7);
      const std::size_t c = append_below(u.data(), n, p, 5, idx.data());
      const std::size_t c_ref = append_below_ref(u.data(), n, p, 5, ref.data());
      REQUIRE(c == c_ref);
      for (std::size_t i = 0; i < c; ++i) CHECK(idx[i] == ref[i]);
      if (p == 1.f && n > 2) CHECK(c == n - 1);
      if (p == 0.f) CHECK(c == 0);
    }
}

}  // namespace test_kernels
