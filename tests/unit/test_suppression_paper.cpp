// Feature suppression (issue 4): the trained runs against the closed forms of analytic.hpp.
//   one binary feature:  a = 1 − c/2 for every p (0 for c ≥ 2), γ = a
//   decoder bias:        a = 1 − c/(2(1 − p))
//   the fixes:           s·a and f_gate·f_mag come back to 1
//   uniform magnitudes:  the transfer curve is the soft threshold max(0, x − c/2)
//   many features:       close to 1 − c·n/2 when co-activation is rare (the MSE is averaged over
//                        n dimensions); the optimum in general: test_suppression_optimum.cpp
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/check.hpp"
#include "suppression/analytic.hpp"
#include "suppression/readouts.hpp"
#include "suppression/suppression_relu_encoder.hpp"
#include "suppression/suppression_run.hpp"

namespace test_suppression_paper {

using namespace superpose;

namespace {
SuppressionConfig small(double c, double p, const char* fix = "none", const char* magnitude = "binary") {
  SuppressionConfig cfg;
  cfg.l1 = c;
  cfg.feature_probability = p;
  cfg.fix = fix;
  cfg.magnitude = magnitude;
  cfg.batch_size = 256;
  cfg.steps = 2000;
  cfg.scale_steps = 600;
  return cfg;
}

// E[loss] of one binary feature with f(1) = a, f(0) = 0, |w_d| = 1, no decoder bias.
double expected_loss(double a, double c, double p) { return p * ((1 - a) * (1 - a) + c * a); }
}  // namespace

TEST_CASE("the analytic optimum minimises the expected loss (independent grid search)") {
  for (double c : {0.0, 0.3, 1.0, 1.7, 2.0, 3.0})
    for (double p : {0.05, 0.5, 1.0}) {
      double best_a = 0, best = 1e9;
      for (int i = 0; i <= 20000; ++i) {  // a ∈ [0, 2] by 1e-4
        const double a = i * 1e-4, l = expected_loss(a, c, p);
        if (l < best) best = l, best_a = a;
      }
      INFO("c " << c << ", p " << p);
      CHECK(std::fabs(analytic_activation(c, p) - best_a) <= 1e-4);
    }
  CHECK(analytic_activation(0.4, 0.5) == doctest::Approx(0.8));
  CHECK(analytic_activation(2.0, 0.5) == 0.0);
  CHECK(analytic_activation(2.5, 0.1) == 0.0);
  CHECK(analytic_reconstruction_error(0.4, 0.3) == doctest::Approx(0.3 * 0.4 * 0.4 / 4));
  CHECK(analytic_scale(0.4) == doctest::Approx(1 / 0.8));
  CHECK(std::isinf(analytic_scale(2.0)));
  CHECK(analytic_transfer(0.1, 0.4) == 0.0);
  CHECK(analytic_transfer(0.9, 0.4) == doctest::Approx(0.7));
  // With a decoder bias: a grid search over (a, b) of p[(1−a−b)² + c a] + (1−p) b².
  for (double c : {0.3, 0.8})
    for (double p : {0.2, 0.5}) {
      double best_a = 0, best = 1e9;
      for (int i = 0; i <= 1000; ++i)
        for (int j = 0; j <= 1000; ++j) {
          const double a = i * 1e-3, b = j * 1e-3;
          const double l = p * ((1 - a - b) * (1 - a - b) + c * a) + (1 - p) * b * b;
          if (l < best) best = l, best_a = a;
        }
      INFO("decoder bias, c " << c << ", p " << p);
      CHECK(std::fabs(analytic_activation(c, p, 1, true) - best_a) <= 1.5e-3);
    }
}

TEST_CASE("one binary feature: the trained activation is 1 − c/2 for every p, 0 for c ≥ 2") {
  for (double c : {0.2, 0.7, 1.2, 1.7})
    for (double p : {0.1, 0.5, 0.9}) {
      SuppressionRun run(small(c, p));
      run.train_to_end();
      INFO("c " << c << ", p " << p << ": trained " << run.trained_activation());
      CHECK(std::fabs(run.trained_activation() - (1 - c / 2)) < 0.01);
      CHECK(run.effective_activation() == doctest::Approx(run.trained_activation()));
      // γ = Σa²/Σa = a: the batch's reconstruction is shrunk by exactly the activation.
      CHECK(std::fabs(run.relative_reconstruction_bias() - (1 - c / 2)) < 0.01);
    }
  for (double c : {2.0, 2.5, 4.0}) {
    SuppressionRun run(small(c, 0.5));
    run.train_to_end();
    INFO("c " << c);
    CHECK(std::fabs(run.trained_activation()) < 1e-6);
    // nothing fires: the encoder is dead, and γ (an argmin that does not exist) is NaN, not 0
    CHECK(run.dead());
    CHECK(std::isnan(run.relative_reconstruction_bias()));
  }
}

TEST_CASE("a free decoder bias moves the optimum to 1 − c/(2(1 − p))") {
  for (double c : {0.3, 0.6})
    for (double p : {0.2, 0.5}) {
      SuppressionConfig cfg = small(c, p);
      cfg.decoder_bias = true;
      cfg.steps = 4000;
      SuppressionRun run(cfg);
      run.train_to_end();
      const double want = 1 - c / (2 * (1 - p));
      INFO("c " << c << ", p " << p << ": trained " << run.trained_activation() << ", want " << want);
      CHECK(run.analytic_activation() == doctest::Approx(want));
      CHECK(std::fabs(run.trained_activation() - want) < 0.01);
      CHECK(std::fabs(run.encoder().b_dec()[0] - p * c / (2 * (1 - p))) < 0.01);
    }
}

TEST_CASE("the scale fix: s = 1/(1 − c/2) and the effective activation returns to 1") {
  for (double c : {0.4, 1.0, 1.6})
    for (double p : {0.1, 0.6}) {
      SuppressionRun run(small(c, p, "scale"));
      run.train(run.config().steps);
      const double before = run.trained_activation();
      CHECK(std::string(run.phase()) == "scale");
      run.train_to_end();
      INFO("c " << c << ", p " << p << ": effective " << run.effective_activation());
      // encoder frozen: the sparsity pattern and the L1 activation are unchanged
      CHECK(run.trained_activation() == before);
      CHECK(std::fabs(run.effective_activation() - 1) < 0.05);
      const auto& enc = static_cast<const SuppressionReluEncoder&>(run.encoder());
      CHECK(enc.s()[0] == doctest::Approx(analytic_scale(c)).epsilon(0.05));
      CHECK(std::fabs(run.relative_reconstruction_bias() - 1) < 0.05);
      // x = 0 still gives 0
      CHECK(run.transfer_curve(11)[0] == 0.f);
    }
}

TEST_CASE("the gated encoder: the gate path is suppressed, the decoded magnitude is not") {
  for (double c : {0.4, 1.0, 1.6})
    for (double p : {0.1, 0.6}) {
      SuppressionRun run(small(c, p, "gated"));
      run.train_to_end();
      INFO("c " << c << ", p " << p << ": gate " << run.trained_activation() << ", effective "
                << run.effective_activation());
      CHECK(std::fabs(run.effective_activation() - 1) < 0.05);
      // ReLU(π_gate) minimises the same L1 + reconstruction (aux) objective: 1 − c/2
      CHECK(std::fabs(run.trained_activation() - (1 - c / 2)) < 0.01);
      CHECK(std::fabs(run.relative_reconstruction_bias() - 1) < 0.05);
    }
}

TEST_CASE("continuous magnitudes: the L1 transfer curve is a soft threshold, zero below c/2") {
  for (double c : {0.4, 0.8}) {
    SuppressionConfig cfg = small(c, 0.5, "none", "uniform");
    cfg.steps = 3000;
    SuppressionRun run(cfg);
    run.train_to_end();
    const int G = 51;
    const Vec f = run.transfer_curve(G);
    const double threshold = c / 2;
    double sxy = 0, sx = 0, sy = 0, sxx = 0;
    int above = 0;
    for (int g = 0; g < G; ++g) {
      const double x = static_cast<double>(g) / (G - 1);
      INFO("c " << c << ", x " << x << ", f " << f[g]);
      if (x < threshold - 0.03) CHECK(f[g] == 0.f);              // suppressed entirely
      if (x > 0) CHECK(f[g] < x);                                // every value biased low
      if (x > threshold + 0.05) {
        CHECK(f[g] / x < 1 - 0.9 * threshold);                   // the secant slope f(x)/x < 1
        CHECK(std::fabs(f[g] - analytic_transfer(x, c)) < 0.02);
        sxy += x * f[g], sx += x, sy += f[g], sxx += x * x, ++above;
      }
    }
    // Above the threshold the optimum is x − c/2: shifted, slope 1 (not rescaled).
    const double slope = (above * sxy - sx * sy) / (above * sxx - sx * sx);
    const double intercept = (sy - slope * sx) / above;
    INFO("c " << c << ": slope " << slope << ", threshold " << -intercept / slope);
    CHECK(std::fabs(slope - 1) < 0.03);
    CHECK(std::fabs(-intercept / slope - threshold) < 0.02);
  }
}

TEST_CASE("continuous magnitudes: the gated transfer curve is x above its gate") {
  SuppressionConfig cfg = small(0.8, 0.5, "gated", "uniform");
  cfg.steps = 3000;
  SuppressionRun run(cfg);
  run.train_to_end();
  const Vec f = run.transfer_curve(51);
  for (int g = 0; g < 51; ++g) {
    const double x = g / 50.0;
    INFO("x " << x << ", f " << f[g]);
    if (x < 0.37) CHECK(f[g] == 0.f);
    if (x > 0.43) CHECK(std::fabs(f[g] - x) < 0.02);
  }
}

TEST_CASE("many rare features, small c: close to one latent per feature, 1 − c·n/2; γ shows it") {
  // Co-active pairs (probability p² = 0.09) pull the latents off the feature axes only a little
  // here (test_suppression_optimum.cpp: the loss falls at 2p²·c·a per radian of tilt).
  SuppressionConfig cfg = small(0.1, 0.3);
  cfg.n_features = 4;
  cfg.steps = 3000;
  SuppressionRun l1(cfg);
  l1.train_to_end();
  const double want = 1 - 0.1 * 4 / 2;
  CHECK(l1.monosemantic_activation() == doctest::Approx(want));
  CHECK(std::isnan(l1.analytic_activation()));  // no closed form for n ≥ 2
  INFO("expected loss " << l1.expected_loss() << ", one latent per feature " << l1.monosemantic_loss()
                        << ", mixing " << l1.decoder_mixing());
  CHECK(l1.expected_loss() <= l1.monosemantic_loss());
  CHECK(l1.expected_loss() >= l1.loss_lower_bound());
  const Vec a = l1.trained_activations();
  for (int i = 0; i < 4; ++i) {
    INFO("feature " << i << ": " << a[i]);
    CHECK(std::fabs(a[i] - want) < 0.02);
  }
  const double gamma = l1.relative_reconstruction_bias();
  INFO("γ " << gamma);
  CHECK(gamma < 0.85);
  CHECK(std::fabs(gamma - want) < 0.03);
  for (const char* fix : {"scale", "gated"}) {
    cfg.fix = fix;
    SuppressionRun run(cfg);
    run.train_to_end();
    const Vec e = run.effective_activations();
    for (int i = 0; i < 4; ++i) {
      INFO(fix << " feature " << i << ": " << e[i]);
      CHECK(std::fabs(e[i] - 1) < 0.05);
    }
    INFO(fix << " γ " << run.relative_reconstruction_bias());
    CHECK(std::fabs(run.relative_reconstruction_bias() - 1) < 0.05);
  }
}

TEST_CASE("γ = ‖x̂‖²/⟨x̂, x⟩ is the argmin of ‖x̂/γ − x‖²") {
  Mat X(2, 3), Xh(2, 3);
  X << 1, 0, 0.5, 0, 1, 0.2;
  Xh << 0.7, 0.1, 0.3, 0.05, 0.6, 0.1;
  const double g = relative_reconstruction_bias(Xh, X);
  auto obj = [&](double gamma) { return (Xh / static_cast<float>(gamma) - X).squaredNorm(); };
  CHECK(obj(g) <= obj(g * 1.01));
  CHECK(obj(g) <= obj(g * 0.99));
  CHECK(g == doctest::Approx(Xh.squaredNorm() / Xh.cwiseProduct(X).sum()));
  CHECK(std::isnan(relative_reconstruction_bias(Mat::Zero(2, 3), X)));
  CHECK(relative_reconstruction_bias(X * 0.5f, X) == doctest::Approx(0.5));
}

TEST_CASE("suppression runs are deterministic per seed and differ across seeds") {
  SuppressionConfig cfg = small(0.5, 0.5, "gated", "uniform");
  cfg.steps = 100;
  SuppressionRun a(cfg), b(cfg);
  a.train(100);
  b.train(60);
  b.train(40);
  CHECK(a.encoder().params() == b.encoder().params());
  cfg.seed = 1;
  SuppressionRun c(cfg);
  c.train(100);
  CHECK(a.encoder().params() != c.encoder().params());
  a.reset();
  CHECK(a.step() == 0);
  a.train(100);
  CHECK(a.encoder().params() == b.encoder().params());
}

TEST_CASE("a diverging suppression run stops with Diverged and keeps its previous state") {
  // Overflowing parameters, as a too-large learning rate would leave them: the loss is not
  // finite, training stops with a message, and nothing is changed.
  for (const char* fix : {"none", "gated"}) {
    SuppressionConfig cfg = small(0.5, 0.5, fix, "uniform");
    SuppressionRun run(cfg);
    run.train(10);
    // W_enc / W_gate (0, 0) is the first parameter of both encoders; r_mag overflows exp().
    run.encoder().params()[0] = 1e30f;
    if (std::string(fix) == "gated") run.encoder().params()[2] = 200.f;
    const std::vector<float> before = run.encoder().params();
    INFO(fix);
    CHECK_THROWS_WITH_AS(run.train(5), doctest::Contains("training diverged at step 11"), Diverged);
    CHECK(run.encoder().params() == before);
    CHECK(run.step() == 10);
  }
}

}  // namespace test_suppression_paper
