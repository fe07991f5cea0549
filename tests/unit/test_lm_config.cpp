// LmConfig (lm/lm_config.hpp): the defaults, JSON round trip, every refusal naming the
// field and its range (heads that do not divide d_model, warm-up longer than the run, a batch
// too large for the browser), and the AdamW + warm-up + cosine optimiser it asks core for.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "lm/lm_config.hpp"

namespace test_lm_config {

using namespace superpose;

TEST_CASE("lm config: the issue's defaults and a JSON round trip") {
  const LmConfig c;
  CHECK(c.n_layers == 2);
  CHECK(c.d_model == 64);
  CHECK(c.n_heads == 4);
  CHECK(c.context == 24);
  CHECK(c.batch_size == 64);
  CHECK(c.steps == 2000);
  CHECK(c.lr == 3e-3);
  CHECK(c.weight_decay == 0.01);
  CHECK(c.warmup_steps == 100);
  CHECK(c.data == "toy");
  CHECK(c.d_head() == 16);
  CHECK(c.d_mlp() == 256);
  c.validate();
  const Json j = c.to_json();
  CHECK(j.at("n_layers") == 2);
  CHECK(j.at("data") == "toy");
  CHECK(!j.contains("vocab_size"));
  Json k = j;
  k["n_heads"] = 8;
  k["data"] = "text";
  const LmConfig d = LmConfig::from_json(k);
  CHECK(d.n_heads == 8);
  CHECK(d.data == "text");
  CHECK(d.to_json() == k);
}

TEST_CASE("lm config: refusals name the field and the range") {
  auto refuses = [](Json j, const std::string& message) {
    INFO(j.dump());
    CHECK_THROWS_WITH_AS(LmConfig::from_json(j), message.c_str(), std::invalid_argument);
  };
  refuses({{"n_layers", 7}}, "n_layers must be in [1, 6] (got 7)");
  refuses({{"d_model", 512}}, "d_model must be in [1, 256] (got 512)");
  refuses({{"n_heads", 5}}, "n_heads must divide d_model=64 (got n_heads=5)");
  refuses({{"n_heads", 65}}, "n_heads must be in [1, d_model=64] (got 65)");
  refuses({{"context", 1}}, "context must be in [2, 128] (got 1)");
  refuses({{"context", 129}}, "context must be in [2, 128] (got 129)");
  refuses({{"lr", 0}}, "lr must be in (0, 10] (got 0)");
  refuses({{"warmup_steps", -1}}, "warmup_steps must be in [0, 100000000] (got -1)");
  // a run shorter than the warm-up warms up over all of its steps
  CHECK(LmConfig::from_json({{"steps", 50}}).optimizer_config().schedule.warmup_steps == 50);
  refuses({{"data", "wiki"}}, "data must be one of toy, text (got \"wiki\")");
  refuses({{"vocab_size", 80}}, "unknown config key \"vocab_size\"");
  // 4096 × 128 × 6 × (18·256 + 2·8·128) floats: far beyond the browser's share
  refuses({{"batch_size", 4096}, {"context", 128}, {"n_layers", 6}, {"d_model", 256}, {"n_heads", 8}},
          "batch_size × context × n_layers × (18·d_model + 2·n_heads·context) = 2.093796557e+10 is too "
          "large for the browser (needs 159744 MB, limit 256 MB)");
  // the largest model at a small batch fits
  LmConfig::from_json({{"batch_size", 4}, {"context", 128}, {"n_layers", 6}, {"d_model", 256}, {"n_heads", 8}});
}

TEST_CASE("lm config: AdamW with linear warm-up and cosine decay to 0 over the run") {
  LmConfig c;
  c.steps = 1000;
  c.warmup_steps = 100;
  const OptimizerConfig o = c.optimizer_config();
  CHECK(o.kind == "adamw");
  CHECK(o.lr == c.lr);
  CHECK(o.weight_decay == c.weight_decay);
  CHECK(o.schedule.factor(0) == doctest::Approx(0.01));
  CHECK(o.schedule.factor(99) == doctest::Approx(1.0));
  CHECK(o.schedule.factor(550) == doctest::Approx(0.5));
  CHECK(o.schedule.factor(1000) == doctest::Approx(0.0));
}

}  // namespace test_lm_config
