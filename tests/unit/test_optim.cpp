// Adam/AdamW against a hand-computed first step, convergence on a quadratic, and the schedules.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/optim.hpp"

namespace test_optim {

using namespace superpose;

TEST_CASE("Adam's first step moves each parameter by lr against the gradient's sign") {
  OptimizerConfig c;
  c.lr = 0.1;
  Adam adam(c, 3);
  std::vector<float> p{1.f, -2.f, 0.5f}, g{0.3f, -4.f, 0.f};
  adam.step(p.data(), g.data());
  // m̂ = g, v̂ = g², update = g/(|g| + eps) = sign(g)
  CHECK(p[0] == doctest::Approx(0.9));
  CHECK(p[1] == doctest::Approx(-1.9));
  CHECK(p[2] == doctest::Approx(0.5));
  CHECK(adam.steps_taken() == 1);
}

TEST_CASE("AdamW decays the weights, Adam does not") {
  OptimizerConfig c;
  c.lr = 0.1;
  c.weight_decay = 0.5;
  std::vector<float> g{0.f};
  std::vector<float> p{2.f};
  Adam(c, 1).step(p.data(), g.data());
  CHECK(p[0] == doctest::Approx(2.f));
  c.kind = "adamw";
  Adam(c, 1).step(p.data(), g.data());
  CHECK(p[0] == doctest::Approx(2.f - 0.1 * 0.5 * 2.f));
}

TEST_CASE("Adam minimises a quadratic") {
  OptimizerConfig c;
  c.lr = 0.05;
  Adam adam(c, 2);
  std::vector<float> p{3.f, -5.f}, g(2);
  for (int t = 0; t < 2000; ++t) {
    g[0] = 2.f * (p[0] - 1.f);
    g[1] = 20.f * (p[1] + 2.f);
    adam.step(p.data(), g.data());
  }
  CHECK(p[0] == doctest::Approx(1.f).epsilon(0.01));
  CHECK(p[1] == doctest::Approx(-2.f).epsilon(0.01));
}

TEST_CASE("learning-rate schedules") {
  ScheduleConfig s;
  s.total_steps = 100;
  CHECK(s.factor(0) == 1.0);
  CHECK(s.factor(99) == 1.0);
  s.kind = "warmup";
  s.warmup_steps = 10;
  CHECK(s.factor(0) == doctest::Approx(0.1));
  CHECK(s.factor(4) == doctest::Approx(0.5));
  CHECK(s.factor(50) == 1.0);
  s.kind = "cosine";
  CHECK(s.factor(4) == doctest::Approx(0.5));
  CHECK(s.factor(10) == doctest::Approx(1.0));
  CHECK(s.factor(55) == doctest::Approx(0.5));
  CHECK(s.factor(100) == doctest::Approx(0.0));
  CHECK(s.factor(1000) == doctest::Approx(0.0));
}

TEST_CASE("optimiser configs are validated with the field's name") {
  OptimizerConfig c;
  c.lr = -1;
  CHECK_THROWS_WITH_AS(c.validate(), "lr must be in (0, 10] (got -1)", std::invalid_argument);
  c.lr = NAN;
  CHECK_THROWS_AS(c.validate(), std::invalid_argument);
  c = OptimizerConfig{};
  c.kind = "sgd";
  CHECK_THROWS_WITH_AS(c.validate(), "optimizer must be one of adam, adamw (got \"sgd\")",
                       std::invalid_argument);
  c = OptimizerConfig{};
  c.schedule.warmup_steps = 20000;
  CHECK_THROWS_WITH_AS(c.validate(), "warmup_steps must be in [0, steps=10000] (got 20000)",
                       std::invalid_argument);
}

}  // namespace test_optim
