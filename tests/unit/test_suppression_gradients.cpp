// The suppression encoders' backward passes against central finite differences, over every
// parameter: the ReLU encoder (L1 objective and the scale fit through s = exp(log_s)) and the
// gated encoder (both paths, the weight sharing W_mag = exp(r_mag) ⊙ W_gate, the L1 on the gate,
// the aux loss through the frozen decoder, and b_dec through the encoder input x − b_dec).
// The gate f_gate = 1[π_gate > 0] is a step and the ReLUs have kinks: the loss is not
// differentiable there, so the check runs on samples whose pre-activations all stay at least
// `kMargin` away from 0, much more than a perturbation of ±eps can move them.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "suppression/suppression_data.hpp"
#include "suppression/suppression_gated_encoder.hpp"
#include "suppression/suppression_relu_encoder.hpp"
#include "tolerance.hpp"

namespace test_suppression_gradients {

using namespace superpose;

namespace {
constexpr float kMargin = 0.05f;

// A batch of uniform-magnitude samples (d features, p = 0.7), keeping only the columns where
// every entry of every pre-activation (n, B) is at least kMargin from 0.
Mat away_from_kinks(const Mat& X, const std::vector<Mat>& pre) {
  std::vector<int> keep;
  for (int j = 0; j < X.cols(); ++j) {
    bool ok = true;
    for (const Mat& P : pre) ok = ok && (P.col(j).array().abs() >= kMargin).all();
    if (ok) keep.push_back(j);
  }
  Mat out(X.rows(), static_cast<Eigen::Index>(keep.size()));
  for (std::size_t k = 0; k < keep.size(); ++k) out.col(k) = X.col(keep[k]);
  return out;
}

// Moves the encoder off its symmetric init: every parameter gets a seeded perturbation, then
// the decoder columns are renormalised (biases stay small so most samples are active).
void perturb(SuppressionEncoder& enc, uint64_t seed) {
  Rng rng(seed, 7);
  for (float& v : enc.params()) v += 0.15f * static_cast<float>(rng.normal());
  enc.normalize_decoder();
}

void check_fd(SuppressionEncoder& enc, const Mat& X, SuppressionObjective obj, const char* what) {
  REQUIRE(X.cols() >= 16);  // enough samples survive the margin filter to mean something
  std::vector<float> grad(enc.params().size(), 0.f);
  enc.forward_backward(X, grad.data(), obj);
  std::vector<float>& p = enc.params();
  const float eps = 1e-3f;
  double diff2 = 0, norm2 = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const float saved = p[i];
    p[i] = saved + eps;
    const double up = enc.forward_backward(X, nullptr, obj);
    p[i] = saved - eps;
    const double down = enc.forward_backward(X, nullptr, obj);
    p[i] = saved;
    const double fd = (up - down) / (2.0 * eps);
    INFO(std::string(what) << ", parameter " << i << ": finite difference " << fd << ", analytic " << grad[i]);
    CHECK(superpose::test::close(fd, grad[i], 2e-2, 5e-4));
    diff2 += (fd - grad[i]) * (fd - grad[i]);
    norm2 += fd * fd;
  }
  INFO(std::string(what));
  CHECK(norm2 > 0);
  CHECK(std::sqrt(diff2 / norm2) < 1e-2);
}

Mat sample(int d, int B, uint64_t seed) {
  SuppressionConfig c;
  c.n_features = d;
  c.feature_probability = 0.7;
  c.magnitude = "uniform";
  Mat X;
  Rng rng(seed, 1);
  SuppressionData(c).sample(rng, X, B);
  X.array() += 0.3f;  // every input away from 0, so inactive samples do not all sit on a kink
  return X;
}
}  // namespace

TEST_CASE("ReLU encoder gradients (L1 and scale objectives) match finite differences") {
  for (int d : {1, 3}) {
    SuppressionReluEncoder enc(d, d, true, 0.3);
    Rng init(3, 0);
    enc.init(init);
    perturb(enc, 11 + d);
    enc.log_s().setConstant(0.2f);
    const Mat X0 = sample(d, 128, 5);
    Mat pre = enc.W_enc() * X0;
    pre.colwise() += enc.b_enc();
    const Mat X = away_from_kinks(X0, {pre});
    check_fd(enc, X, SuppressionObjective::l1, d == 1 ? "relu d=1, l1" : "relu d=3, l1");
    check_fd(enc, X, SuppressionObjective::scale, d == 1 ? "relu d=1, scale" : "relu d=3, scale");
  }
}

TEST_CASE("gated encoder gradients (both paths, weight sharing, aux loss) match finite differences") {
  for (int d : {1, 3}) {
    SuppressionGatedEncoder enc(d, d, true, 0.3);
    Rng init(4, 0);
    enc.init(init);
    perturb(enc, 21 + d);
    enc.r_mag().setConstant(0.3f);
    enc.b_gate().array() -= 0.8f;  // gates and magnitudes both open and closed over the batch
    enc.b_mag().setConstant(-0.9f);
    const Mat X0 = sample(d, 192, 6);
    Mat xc = X0;
    xc.colwise() -= enc.b_dec();
    Mat pi_gate = enc.W_gate() * xc, pi_mag = enc.W_mag() * xc;
    pi_gate.colwise() += enc.b_gate();
    pi_mag.colwise() += enc.b_mag();
    const Mat X = away_from_kinks(X0, {pi_gate, pi_mag});
    enc.hold_aux_decoder();  // the aux loss's decoder is a constant (stop-gradient)
    if (d == 3) {  // every branch of the backward is exercised: closed and open gates and magnitudes
      Mat xk = X;
      xk.colwise() -= enc.b_dec();
      Mat g = enc.W_gate() * xk, m = enc.W_mag() * xk;
      g.colwise() += enc.b_gate();
      m.colwise() += enc.b_mag();
      const Eigen::Index n_total = g.size();
      CHECK((g.array() > 0).count() > 0);
      CHECK((g.array() > 0).count() < n_total);
      CHECK((m.array() > 0).count() > 0);
      CHECK((m.array() > 0).count() < n_total);
      CHECK((g.array() > 0 && m.array() > 0).count() > 0);
    }
    check_fd(enc, X, SuppressionObjective::l1, d == 1 ? "gated d=1" : "gated d=3");
    check_fd(enc, X, SuppressionObjective::scale, d == 1 ? "gated d=1, rec only" : "gated d=3, rec only");
  }
}

TEST_CASE("the gate parameters learn from the L1 and aux terms only, not the reconstruction") {
  // f_gate is a step: the reconstruction passes b_gate nothing (objective `scale` is the
  // reconstruction alone), the full objective does.
  SuppressionGatedEncoder enc(2, 2, false, 0.5);
  Rng init(9, 0);
  enc.init(init);
  perturb(enc, 33);
  const Mat X = sample(2, 64, 8);
  std::vector<float> full(enc.params().size()), rec(enc.params().size());
  enc.forward_backward(X, full.data(), SuppressionObjective::l1);
  enc.forward_backward(X, rec.data(), SuppressionObjective::scale);
  const std::size_t b_gate = 4;  // W_gate (2, 2) then b_gate
  CHECK(rec[b_gate] == 0.f);
  CHECK(rec[b_gate + 1] == 0.f);
  CHECK(std::fabs(full[b_gate]) + std::fabs(full[b_gate + 1]) > 1e-3);
}

TEST_CASE("decoder columns stay unit norm: the parallel gradient component is removed") {
  SuppressionReluEncoder enc(3, 3, false, 0.2);
  Rng init(1, 0);
  enc.init(init);
  for (int j = 0; j < 3; ++j) CHECK(enc.W_dec().col(j).norm() == doctest::Approx(1.0));
  std::vector<float> g(enc.params().size(), 1.f);
  enc.project_decoder_gradient(g.data());
  const std::size_t off = 3 * 3 + 2 * 3;
  ConstMatMap G(g.data() + off, 3, 3);
  for (int j = 0; j < 3; ++j) CHECK(std::fabs(G.col(j).dot(enc.W_dec().col(j))) < 1e-6);
  // and the mask: without decoder_bias, b_dec is never trained; the scale fit trains s only
  std::fill(g.begin(), g.end(), 1.f);
  enc.mask_gradient(g.data(), SuppressionObjective::l1);
  for (int i = 0; i < 3; ++i) CHECK(g[off + 9 + i] == 0.f);  // b_dec
  for (int i = 0; i < 3; ++i) CHECK(g[9 + 3 + i] == 0.f);    // log_s
  CHECK(g[0] == 1.f);
  std::fill(g.begin(), g.end(), 1.f);
  enc.mask_gradient(g.data(), SuppressionObjective::scale);
  for (std::size_t i = 0; i < g.size(); ++i) CHECK(g[i] == (i >= 12 && i < 15 ? 1.f : 0.f));
}

}  // namespace test_suppression_gradients
