// The CLI's `steer` and `ablate` and the steer page's session are one experiment: a SteerSession
// configured with the config the CLI echoes (--json) shows exactly the CLI's numbers (seeded:
// the sampled input, the steering scale, the resample draws). Before the CLI drove the session
// (cli/interp_setup.cpp) it seeded the interventions with --seed and the page with its own seed
// (0), and bounded eval_batch at 2^20 where the page says 65536.
// Native only: the CLI is the native front end (CMakeLists.txt: test_cli_* and superpose_cli).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli_run.hpp"
#include "session/steer_session.hpp"

namespace test_cli_steer {

using namespace superpose;
using superpose::test::run_cli;

namespace {

// The steer session configured with `config`, stepped until ready.
std::unique_ptr<SteerSession> trained_session(const Json& config) {
  auto s = std::make_unique<SteerSession>();
  s->configure(config);
  for (int i = 0; i < 100 && !s->step(1000).at("ready").get<bool>(); ++i) {
  }
  REQUIRE(s->interventions() != nullptr);
  return s;
}

std::vector<float> floats(const Json& j) { return j.get<std::vector<float>>(); }

// A small pentagon with a seed other than the default, so a seed that is dropped shows.
const std::vector<std::string> kToy = {"--features", "5", "--hidden", "2", "--feature-prob", "0.03",
                                       "--lr", "1e-2", "--steps", "600", "--seed", "3",
                                       "--sae-steps", "300"};

std::vector<std::string> with_toy(std::vector<std::string> args) {
  args.insert(args.begin() + 1, kToy.begin(), kToy.end());
  return args;
}

}  // namespace

TEST_CASE("cli steer --json equals the steer session for the same config") {
  const Json out = run_cli(cli::cmd_steer, with_toy({"steer", "--latent", "1", "--strength", "2",
                                                     "--input", "sample", "--json"}));
  const Json& config = out.at("config");
  CHECK(config.at("toy").at("seed") == 3);
  CHECK(config.at("sae").at("seed") == 3);
  auto s = trained_session(config);
  CHECK(s->intervention_config().seed == 3);  // the toy's seed seeds the interventions
  const auto& b = s->buffers();
  for (const char* name : {"input", "before", "after", "h_before", "h_after", "steering_vector"}) {
    CAPTURE(name);
    CHECK(b.at(name).data == floats(out.at(name)));
  }
  CHECK(b.at("matched_feature").data.at(1) == out.at("matched_feature").get<float>());
}

TEST_CASE("cli ablate --json equals the steer session's effects for the same config") {
  const Json out = run_cli(cli::cmd_ablate, with_toy({"ablate", "--target", "latent", "--all",
                                                      "--mode", "resample", "--json"}));
  Json config = out.at("config");
  config.erase("all");  // the CLI's own key; the session's effects matrix always has every row
  auto s = trained_session(config);
  const auto& b = s->buffers();
  const Json& effects = out.at("effects");  // (rows, n), rows in latent order
  const int rows = b.at("effects").shape.at(0), n = b.at("effects").shape.at(1);
  REQUIRE(rows == static_cast<int>(effects.size()));
  for (int i = 0; i < rows; ++i) {  // the session's rows are in diagonal order
    const int src = static_cast<int>(b.at("effects_rows").data.at(i));
    CAPTURE(i);
    const std::vector<float> row(b.at("effects").data.begin() + i * n,
                                 b.at("effects").data.begin() + (i + 1) * n);
    CHECK(row == floats(effects.at(src)));
    CHECK(src == out.at("diagonal_order").at(i).get<int>());
  }
  CHECK(b.at("clean_loss").data == floats(out.at("clean_loss")));
  CHECK(b.at("diagonality").data.at(0) == doctest::Approx(out.at("diagonality").get<double>()));
}

TEST_CASE("cli steer and the steer session share the eval_batch bound") {
  CHECK_THROWS_WITH_AS(run_cli(cli::cmd_steer, {"steer", "--latent", "0", "--eval-batch", "70000"}),
                       "--eval-batch: eval_batch must be in [1, 65536] (got 70000)", cli::UsageError);
  SteerSession s;
  CHECK_THROWS_WITH_AS(s.configure(parse_json(R"({"eval_batch": 70000})")),
                       "eval_batch must be in [1, 65536] (got 70000)", std::invalid_argument);
}

}  // namespace test_cli_steer
