// Each layer of the language model (lm/lm_ops.hpp): its backward against central finite
// differences of its forward, on sizes that are and are not multiples of the SIMD width and of
// the GEMM's register tile; the forward's defining properties (LayerNorm's statistics, the
// causal pattern's rows, GELU's values, the cross-entropy's value) against direct formulas.
// The scalar is L = Σ w · out with fixed random w, so dL/dout = w feeds each backward.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "lm/lm_ops.hpp"
#include "lm_fd.hpp"

namespace test_lm_ops {

using namespace superpose;
using superpose::test::check_gradient;
using superpose::test::uniform_values;
using superpose::test::weighted_sum;

TEST_CASE("lm ops: layernorm backward matches finite differences and the forward normalises") {
  const int N = 3, C = 19;
  Rng rng(1);
  auto inp = uniform_values(rng, N * C, -2, 2), weight = uniform_values(rng, C, 0.5, 1.5),
       bias = uniform_values(rng, C), w = uniform_values(rng, N * C);
  std::vector<float> out(N * C), mean(N), rstd(N);
  auto f = [&] {
    layernorm_forward(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), N, C);
    return weighted_sum(out.data(), w);
  };
  f();
  for (int n = 0; n < N; ++n) {  // (out - bias) / weight has mean 0 and variance 1 - eps·rstd²
    double m = 0, v = 0;
    for (int i = 0; i < C; ++i) m += (out[n * C + i] - bias[i]) / weight[i];
    for (int i = 0; i < C; ++i) v += std::pow((out[n * C + i] - bias[i]) / weight[i] - m / C, 2);
    CHECK(std::fabs(m / C) < 1e-5);
    CHECK(std::fabs(v / C - (1 - kLayerNormEps * rstd[n] * rstd[n])) < 1e-4);
  }
  std::vector<float> dinp(N * C, 0.f), dweight(C, 0.f), dbias(C, 0.f);
  layernorm_backward(dinp.data(), dweight.data(), dbias.data(), w.data(), inp.data(), weight.data(),
                     mean.data(), rstd.data(), N, C);
  check_gradient("layernorm dinp", inp, dinp, f);
  check_gradient("layernorm dweight", weight, dweight, f);
  check_gradient("layernorm dbias", bias, dbias, f);
}

TEST_CASE("lm ops: linear (Conv1D layout, on the GEMM) forward and backward") {
  for (const auto& size : {std::array<int, 3>{5, 6, 7}, std::array<int, 3>{37, 16, 48}}) {
    const int N = size[0], C = size[1], OC = size[2];  // (lambdas cannot capture bindings in C++17)
    Rng rng(2 + N);
    auto inp = uniform_values(rng, N * C), weight = uniform_values(rng, C * OC),
         bias = uniform_values(rng, OC), w = uniform_values(rng, N * OC);
    std::vector<float> out(N * OC);
    auto f = [&] {
      linear_forward(out.data(), inp.data(), weight.data(), bias.data(), N, C, OC);
      return weighted_sum(out.data(), w);
    };
    f();
    for (int n = 0; n < N; ++n)  // out[n, o] = bias[o] + Σ_i inp[n, i] W[i, o]
      for (int o = 0; o < OC; ++o) {
        double s = bias[o];
        for (int i = 0; i < C; ++i) s += double(inp[n * C + i]) * weight[i * OC + o];
        CHECK(std::fabs(out[n * OC + o] - s) < 1e-5);
      }
    std::vector<float> dinp(N * C, 0.f), dweight(C * OC, 0.f), dbias(OC, 0.f);
    linear_backward(dinp.data(), dweight.data(), dbias.data(), w.data(), inp.data(), weight.data(),
                    N, C, OC);
    check_gradient("linear dinp", inp, dinp, f);
    check_gradient("linear dweight", weight, dweight, f);
    check_gradient("linear dbias", bias, dbias, f);
  }
}

TEST_CASE("lm ops: causal attention backward matches finite differences; rows are causal softmaxes") {
  for (const auto& size : {std::array<int, 4>{2, 5, 8, 2}, std::array<int, 4>{1, 7, 36, 2}}) {
    const int B = size[0], T = size[1], C = size[2], H = size[3];
    Rng rng(3 + C);
    auto qkv = uniform_values(rng, std::size_t(B) * T * 3 * C, -1.5, 1.5),
         w = uniform_values(rng, std::size_t(B) * T * C);
    std::vector<float> att(std::size_t(B) * H * T * T), out(std::size_t(B) * T * C);
    auto f = [&] {
      attention_pattern_forward(att.data(), qkv.data(), B, T, C, H);
      attention_mix_forward(out.data(), att.data(), qkv.data(), B, T, C, H);
      return weighted_sum(out.data(), w);
    };
    f();
    const int hs = C / H;
    for (int b = 0; b < B; ++b)
      for (int h = 0; h < H; ++h)
        for (int t = 0; t < T; ++t) {
          const float* row = att.data() + ((b * H + h) * T + t) * T;
          double sum = 0;
          for (int t2 = 0; t2 < T; ++t2) {
            if (t2 > t) CHECK(row[t2] == 0.f);
            sum += row[t2];
          }
          CHECK(std::fabs(sum - 1) < 1e-6);
          // the ratio of two weights is exp of the difference of the scaled scores
          if (t >= 1) {
            auto score = [&](int t2) {
              double s = 0;
              for (int i = 0; i < hs; ++i)
                s += double(qkv[(b * T + t) * 3 * C + h * hs + i]) * qkv[(b * T + t2) * 3 * C + C + h * hs + i];
              return s / std::sqrt(double(hs));
            };
            CHECK(std::fabs(std::log(row[0] / row[t]) - (score(0) - score(t))) < 1e-4);
          }
        }
    std::vector<float> dqkv(qkv.size(), 0.f);
    attention_backward(dqkv.data(), w.data(), qkv.data(), att.data(), B, T, C, H);
    check_gradient("attention dqkv", qkv, dqkv, f);
  }
}

TEST_CASE("lm ops: GELU (tanh form) values and backward (written, in place too), SIMD batches and scalar tail") {
  const std::size_t n = 37;
  Rng rng(4);
  auto x = uniform_values(rng, n, -4, 4), w = uniform_values(rng, n);
  std::vector<float> out(n);
  auto f = [&] {
    gelu_forward(out.data(), x.data(), n);
    return weighted_sum(out.data(), w);
  };
  f();
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i];
    const double want = 0.5 * v * (1 + std::tanh(std::sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
    CHECK(std::fabs(out[i] - want) < 2e-6);
  }
  std::vector<float> dx(n, 7.f);  // written, not accumulated into
  gelu_backward(dx.data(), x.data(), w.data(), n);
  check_gradient("gelu dx", x, dx, f);
  std::vector<float> in_place = w;  // dinp == dout
  gelu_backward(in_place.data(), x.data(), in_place.data(), n);
  CHECK(in_place == dx);
}

TEST_CASE("lm ops: softmax cross-entropy value and backward") {
  const int N = 4, V = 9;
  Rng rng(5);
  auto logits = uniform_values(rng, N * V, -3, 3);
  const std::vector<int32_t> targets = {0, 8, 3, 3};
  std::vector<float> probs(N * V), losses(N);
  auto f = [&] { return softmax_crossentropy_forward(probs.data(), losses.data(), logits.data(), targets.data(), N, V); };
  const double loss = f();
  double want = 0;
  for (int n = 0; n < N; ++n) {
    double z = 0;
    for (int i = 0; i < V; ++i) z += std::exp(double(logits[n * V + i]));
    want += std::log(z) - logits[n * V + targets[n]];
  }
  CHECK(std::fabs(loss - want / N) < 1e-6);
  std::vector<float> dlogits(N * V, 0.f);
  softmax_crossentropy_backward(dlogits.data(), probs.data(), targets.data(), N, V);
  check_gradient("cross-entropy dlogits", logits, dlogits, f, 1e-2, 1e-2, 1e-5);
  // a large logit does not overflow: the loss of a confident right answer is ~0, finite
  std::vector<float> big(V, 0.f);
  big[2] = 200.f;
  const int32_t t2 = 2, t0 = 0;
  CHECK(softmax_crossentropy_forward(probs.data(), losses.data(), big.data(), &t2, 1, V) < 1e-6);
  CHECK(std::fabs(softmax_crossentropy_forward(probs.data(), losses.data(), big.data(), &t0, 1, V) - 200) < 1e-3);
}

TEST_CASE("lm ops: embeddings (repeated tokens accumulate), tied unembedding, residual") {
  const int B = 2, T = 3, C = 5, V = 7;
  Rng rng(6);
  auto wte = uniform_values(rng, V * C), wpe = uniform_values(rng, T * C),
       w = uniform_values(rng, B * T * C);
  const std::vector<int32_t> tokens = {1, 4, 1, 6, 1, 0};
  std::vector<float> out(B * T * C);
  auto f = [&] {
    encoder_forward(out.data(), tokens.data(), wte.data(), wpe.data(), B, T, C);
    return weighted_sum(out.data(), w);
  };
  f();
  CHECK(out[(1 * T + 2) * C + 3] == wte[0 * C + 3] + wpe[2 * C + 3]);
  std::vector<float> dwte(V * C, 0.f), dwpe(T * C, 0.f);
  encoder_backward(dwte.data(), dwpe.data(), w.data(), tokens.data(), B, T, C);
  check_gradient("encoder dwte", wte, dwte, f);
  check_gradient("encoder dwpe", wpe, dwpe, f);
  for (int i = 0; i < C; ++i) CHECK(dwte[2 * C + i] == 0.f);  // token 2 never appears

  const int N = 13, Cu = 17, Vu = 11;
  auto x = uniform_values(rng, N * Cu), e = uniform_values(rng, Vu * Cu), wl = uniform_values(rng, N * Vu);
  std::vector<float> logits(N * Vu);
  auto g = [&] {
    unembed_forward(logits.data(), x.data(), e.data(), N, Cu, Vu);
    return weighted_sum(logits.data(), wl);
  };
  g();
  double direct = 0;  // logits[n, v] = x[n] · wte[v]
  for (int i = 0; i < Cu; ++i) direct += double(x[5 * Cu + i]) * e[3 * Cu + i];
  CHECK(std::fabs(logits[5 * Vu + 3] - direct) < 1e-5);
  std::vector<float> dx(N * Cu, 0.f), de(Vu * Cu, 0.f);
  unembed_backward(dx.data(), de.data(), wl.data(), x.data(), e.data(), N, Cu, Vu);
  check_gradient("unembed dx", x, dx, g);
  check_gradient("unembed dwte", e, de, g);

  std::vector<float> a = {1, 2}, b = {3, -4}, s(2), da = {0.5f, 0}, db = {0, 0};
  residual_forward(s.data(), a.data(), b.data(), 2);
  CHECK(s == std::vector<float>{4, -2});
  const std::vector<float> dout = {1, 2};
  residual_backward(da.data(), db.data(), dout.data(), 2);
  CHECK(da == std::vector<float>{1.5f, 2});  // accumulates
  CHECK(db == std::vector<float>{1, 2});
}

}  // namespace test_lm_ops
