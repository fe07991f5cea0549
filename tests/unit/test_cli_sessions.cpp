// The CLI's `sae` and `suppression` and the pages' sessions are one experiment (issue 13): the
// session configured with the config the CLI echoes (--json), as the page configures it, ends
// with exactly the CLI's numbers (the CLI hands its session the data it built; the page's session
// builds its own from the keys). A sweep point of `superpose sae` is the run of its value alone
// (each trains on the data's stream from its start, as the page's runs side by side do), and the
// page's sae session bounds eval_batch as the CLI does (it stopped at 16384).
// Not here: the steer session (test_cli_steer.cpp); the CLI's flags and errors (tests/cli/*.sh).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli_run.hpp"
#include "session/sae_session.hpp"
#include "session/suppression_session.hpp"

namespace test_cli_sessions {

using namespace superpose;
using superpose::test::run_cli;

namespace {

// A small SAE run with a seed other than the default, so a dropped seed shows.
std::vector<std::string> sae_args(std::vector<std::string> more) {
  std::vector<std::string> args = {"sae", "--input-dim", "8", "--true-features", "16", "--active", "2",
                                   "--latents", "24", "--steps", "150", "--batch", "64", "--lr", "1e-2",
                                   "--seed", "4", "--json"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

Json without_timing(Json j) {
  j.erase("steps_per_second");
  return j;
}

void run_to_end(Session& s) {
  for (int i = 0; i < 1000 && !s.step(100000).at("done").get<bool>(); ++i) {
  }
}

}  // namespace

TEST_CASE("cli sae --json equals the sae session configured with its config") {
  for (const char* arch : {"relu", "jumprelu", "topk", "matryoshka"}) {
    CAPTURE(arch);
    const Json out = run_cli(cli::cmd_sae, sae_args({"--arch", arch}));
    Json keys = out.at("config");
    CHECK(keys.at("seed") == 4);
    keys.erase("arch");
    keys["archs"] = {arch};
    keys["eval_batch"] = 4096;  // the CLI's held-out batch
    SaeSession s;
    s.configure(keys);  // as the page does: the session builds its data from the keys
    run_to_end(s);
    const SaeMetrics& m = s.metrics(0);
    const Json& metrics = out.at("metrics");
    CHECK(metrics.at("l0").get<double>() == m.l0);
    CHECK(metrics.at("mse").get<double>() == m.mse);
    CHECK(metrics.at("fve").get<double>() == m.fve);
    CHECK(metrics.at("mmcs").get<double>() == m.mmcs);
    CHECK(metrics.at("mcc").get<double>() == m.truth.mcc);
    CHECK(out.at("loss").get<double>() == s.run(0).last_loss().total);
    CHECK(out.at("train_dead_fraction").get<double>() == s.run(0).dead_fraction());
  }
}

TEST_CASE("cli sae: each sweep point is the run of its value alone") {
  const Json sweep = run_cli(cli::cmd_sae, sae_args({"--sweep", "0.1,0.6"}));
  const Json single = run_cli(cli::cmd_sae, sae_args({"--l1", "0.6"}));
  REQUIRE(sweep.size() == 2);
  CHECK(without_timing(sweep[1]) == without_timing(single));
  const Json sweep_k = run_cli(cli::cmd_sae, sae_args({"--arch", "topk", "--sweep-k", "2,4"}));
  const Json single_k = run_cli(cli::cmd_sae, sae_args({"--arch", "topk", "--k", "4"}));
  REQUIRE(sweep_k.size() == 2);
  CHECK(without_timing(sweep_k[1]) == without_timing(single_k));
}

TEST_CASE("cli sae and the sae session share the eval_batch bound") {
  CHECK_THROWS_WITH_AS(run_cli(cli::cmd_sae, {"sae", "--eval-batch", "70000"}),
                       "--eval-batch must be in [16, 65536] (got 70000)", cli::UsageError);
  CHECK_THROWS_WITH_AS(run_cli(cli::cmd_sae, {"sae", "--eval-batch", "15"}),
                       "--eval-batch must be in [16, 65536] (got 15)", cli::UsageError);
  SaeSession s;
  CHECK_THROWS_WITH_AS(s.configure(parse_json(R"({"eval_batch": 70000})")),
                       "eval_batch must be in [16, 65536] (got 70000)", std::invalid_argument);
}

TEST_CASE("cli suppression --json equals the whole suppression session's run of its fix") {
  const char* const fixes[3] = {"none", "scale", "gated"};
  for (int fix = 0; fix < 3; ++fix) {
    CAPTURE(fixes[fix]);
    const Json out = run_cli(cli::cmd_suppression,
                             {"suppression", "--fix", fixes[fix], "--l1", "0.6", "--feature-prob", "0.4",
                              "--steps", "600", "--scale-steps", "200", "--batch", "256", "--seed", "2",
                              "--json"});
    Json keys = out.at("config");
    CHECK(keys.at("seed") == 2);
    keys.erase("fix");
    SuppressionSession s;
    s.configure(keys);  // none, scale and gated side by side, as on the page
    run_to_end(s);
    const SuppressionRun& run = *s.run(fix);
    CHECK(out.at("trained_activation").get<double>() == run.trained_activation());
    CHECK(out.at("effective_activation").get<double>() == run.effective_activation());
    CHECK(out.at("loss").get<double>() == run.last_loss());
    const Vec curve = run.transfer_curve(21);
    REQUIRE(out.at("transfer_curve").size() == 21);
    for (int g = 0; g < 21; ++g) CHECK(out.at("transfer_curve")[g][1].get<double>() == curve[g]);
  }
}

}  // namespace test_cli_sessions
