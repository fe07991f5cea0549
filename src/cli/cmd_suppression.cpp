// `superpose suppression`: feature suppression in sparse autoencoders (issue 4): the L1 penalty
// shrinks a feature's activation to a = 1 − c/2; the scale-vector and gated fixes undo it. With
// several co-active features the optimum leaves one latent per feature (analytic.hpp, issue 14):
// the output shows both and the exact expected losses that decide between them.
// Each run (the one of --fix, or one per --sweep point) is the page's suppression session
// (session/suppression_session.hpp) trained on that fix alone: its key trained_runs, a worker
// pool's share of the runs, picks the fix's run, so defaults, seeds and training are the page's.
// Flags and JSON keys are a contract (issue 4); see `superpose suppression --help`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "core/check.hpp"
#include "session/suppression_session.hpp"
#include "suppression/suppression_relu_encoder.hpp"

namespace superpose::cli {

namespace {
const char* kSuppressionHelp = R"(usage: superpose suppression [flags]
Feature suppression: a sparse autoencoder trained with ‖y − x‖²/d + c·|f(x)| on a feature that is
active with probability p learns the activation a = 1 − c/2 (0 for c ≥ 2) instead of 1. With
n ≥ 2 co-active features, one latent per feature (a = 1 − c·n/2) is no longer the optimum: latents
that mix co-occurring features pay less L1, so the trained activation falls below it; the exact
expected losses show which is lower.
  --sweep C1,C2,...         one run per c (instead of --l1)
)";
const char* kSuppressionHelpTail = R"(  --json                    print JSON: {config, analytic_activation (null where no closed form:
                            n ≥ 2), monosemantic_activation (one latent per feature),
                            trained_activation, effective_activation, transfer_curve: [[x, f(x)],
                            ...], relative_reconstruction_bias (null when dead), dead,
                            expected_loss: {trained, monosemantic, lower_bound}, decoder_mixing,
                            fix_outcome}; with --sweep, an array of those
)";

constexpr int kCurvePoints = 21;  // transfer curve, x = 0, 0.05, ..., 1

// A sweep sets l1 (its errors name --sweep); the memory bound names n_features × batch_size.
SuppressionConfig validated_suppression_config(const Json& j, bool sweep) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  return config_from_flag_json<SuppressionConfig>(j, sweep ? Pairs{{"l1", "sweep"}} : Pairs{},
                                                  {{"n_features × batch_size", "batch"}});
}


struct RunResult {
  Json json;
  double seconds;
};

// config's run on the page's session: configured with config's keys but fix, trained on the
// fix's run alone (trained_runs: runs none, scale, gated are 0, 1, 2) to its end.
RunResult run_one(const SuppressionConfig& config, bool progress) {
  SuppressionSession session;
  Json keys = config.to_json();
  keys.erase("fix");
  const int fix = static_cast<int>(config.fix_kind());
  keys["trained_runs"] = Json::array({fix, fix + 1});
  session.configure(keys);
  const double seconds = run_session(session, 500, progress);
  const SuppressionRun& run = *session.run(fix);
  Json out;
  out["config"] = run.config().to_json();
  out["analytic_activation"] = number_or_null(run.analytic_activation());
  out["monosemantic_activation"] = number_or_null(run.monosemantic_activation());
  out["trained_activation"] = run.trained_activation();
  out["effective_activation"] = run.effective_activation();
  out["expected_loss"] = Json{{"trained", number_or_null(run.expected_loss())},
                              {"monosemantic", number_or_null(run.monosemantic_loss())},
                              {"lower_bound", number_or_null(run.loss_lower_bound())}};
  out["decoder_mixing"] = run.decoder_mixing();
  out["dead"] = run.dead();
  out["fix_outcome"] = to_string(run.fix_outcome());
  Json curve = Json::array();
  const Vec f = run.transfer_curve(kCurvePoints);
  for (int g = 0; g < kCurvePoints; ++g)
    curve.push_back({static_cast<double>(g) / (kCurvePoints - 1), f[g]});
  out["transfer_curve"] = std::move(curve);
  out["relative_reconstruction_bias"] = number_or_null(run.relative_reconstruction_bias());
  out["loss"] = run.last_loss();
  out["steps_per_second"] = static_cast<double>(run.total_steps()) / std::max(seconds, 1e-9);
  if (config.n_features > 1) {
    const Vec a = run.trained_activations(), e = run.effective_activations();
    out["feature_trained_activation"] = std::vector<float>(a.data(), a.data() + a.size());
    out["feature_activation"] = std::vector<float>(e.data(), e.data() + e.size());
  }
  if (config.fix_kind() == SuppressionFix::scale) {
    const Vec s = static_cast<const SuppressionReluEncoder&>(run.encoder()).s();
    out["scale"] = std::vector<float>(s.data(), s.data() + s.size());
  }
  return {std::move(out), seconds};
}

std::string figure_text(const Json& v) { return number_text(v, "%6.4f", "  n/a "); }
}  // namespace

int cmd_suppression(int argc, char** argv) {
  Args args = config_args<SuppressionConfig>(argc, argv);
  if (take_help(args, {kSuppressionHelp, flags_help<SuppressionConfig>(), kSuppressionHelpTail})) return 0;
  const bool json = args.take_flag("json");
  std::vector<double> sweep;
  if (auto v = args.take("sweep")) sweep = parse_numbers("sweep", *v);
  Json base = flags_to_json<SuppressionConfig>(args);
  args.finish();
  if (!sweep.empty() && base.contains("l1"))
    throw UsageError("--l1 and --sweep are exclusive (the sweep sets c for each run)");

  std::vector<SuppressionConfig> configs;
  if (sweep.empty()) {
    configs.push_back(validated_suppression_config(base, false));
  } else {
    for (double c : sweep) {
      Json j = base;
      j["l1"] = c;
      configs.push_back(validated_suppression_config(j, true));
    }
  }
  std::vector<RunResult> results;
  for (const auto& c : configs) results.push_back(run_one(c, !json));

  if (json) {
    if (sweep.empty()) {
      std::cout << results[0].json.dump() << "\n";
    } else {
      Json all = Json::array();
      for (auto& r : results) all.push_back(std::move(r.json));
      std::cout << all.dump() << "\n";
    }
    return 0;
  }

  const SuppressionConfig& c0 = configs[0];
  std::printf("feature suppression: fix %s, p=%g, %s magnitudes, %d feature%s%s; %lld steps, lr %g, seed %lld\n",
              c0.fix.c_str(), c0.feature_probability, c0.magnitude.c_str(), c0.n_features,
              c0.n_features == 1 ? "" : "s", c0.decoder_bias ? ", decoder bias" : "",
              static_cast<long long>(c0.steps), c0.lr, static_cast<long long>(c0.seed));
  const bool several = c0.n_features > 1;
  if (several)
    std::printf("one latent per feature: a = 1 − c·n/2 (0 when c·n ≥ 2)%s. With co-active features\n"
                "this is not the optimum of the trained loss (its gradient is not 0: latents that mix co-occurring\n"
                "features pay less L1); no closed form, so compare the exact expected losses.\n\n",
                c0.decoder_bias ? "; with a decoder bias 1 − c·n/(2(1 − p))" : "");
  else
    std::printf("analytic: a = 1 − c/2 (0 when c ≥ 2)%s\n\n",
                c0.decoder_bias ? "; with a decoder bias 1 − c/(2(1 − p))" : "");
  std::printf("c        %-10s trained    effective  γ        E[loss] trained  %-10s bound    steps/s\n",
              several ? "1/feature" : "analytic", several ? "1/feature" : "analytic");
  for (const auto& r : results) {
    const Json& j = r.json;
    const Json& loss = j["expected_loss"];
    std::printf("%-8g %-10s %-10s %-10s %-8s %-16s %-10s %-8s %.0f\n", j["config"]["l1"].get<double>(),
                figure_text(j["monosemantic_activation"]).c_str(),
                figure_text(j["trained_activation"]).c_str(), figure_text(j["effective_activation"]).c_str(),
                j["dead"].get<bool>() ? "dead" : figure_text(j["relative_reconstruction_bias"]).c_str(),
                figure_text(loss["trained"]).c_str(), figure_text(loss["monosemantic"]).c_str(),
                figure_text(loss["lower_bound"]).c_str(), j["steps_per_second"].get<double>());
  }
  std::printf("\n");
  for (const auto& r : results) {
    const Json& j = r.json;
    const double c = j["config"]["l1"].get<double>();
    if (j["dead"].get<bool>())
      std::printf("c=%g: dead: no latent fires on any input (γ is undefined).\n", c);
    const Json& loss = j["expected_loss"];
    if (several && !loss["trained"].is_null()) {
      const double trained = loss["trained"].get<double>(), mono = loss["monosemantic"].get<double>();
      if (trained < mono - 1e-4)
        std::printf("c=%g: the trained encoder's expected loss %.4f is below one latent per feature's "
                    "%.4f: its latents mix features (decoder mixing %.2f), and a feature alone comes "
                    "back as %.3f, not %.3f.\n",
                    c, trained, mono, j["decoder_mixing"].get<double>(),
                    j["trained_activation"].get<double>(), j["monosemantic_activation"].get<double>());
      else if (trained > mono + 1e-4)
        std::printf("c=%g: training stopped at expected loss %.4f, above one latent per feature's "
                    "%.4f (a local optimum, or too few steps).\n", c, trained, mono);
    }
    const std::string outcome = j["fix_outcome"].get<std::string>();
    const char* fix = c0.fix == "scale" ? "the scale vector" : "the gated encoder";
    const double e = j["effective_activation"].get<double>();
    if (outcome == "dead")
      std::printf("c=%g: %s decodes 0, not 1: no latent fires for a feature alone, so there is "
                  "nothing to %s.\n", c, fix, c0.fix == "scale" ? "rescale" : "gate");
    else if (outcome == "mixed")
      std::printf("c=%g: %s decodes %.3f, not 1: the latents mix features (decoder mixing %.2f), "
                  "and %s.\n", c, fix, e, j["decoder_mixing"].get<double>(),
                  c0.fix == "scale"
                      ? "one scale per latent cannot return each feature alone to 1 (it can make "
                        "the reconstruction of the data unbiased: γ)"
                      : "its gates open for co-active groups rather than for a feature alone");
    else if (outcome == "short_of")
      std::printf("c=%g: %s decodes %.3f, not 1 (more --steps may help).\n", c, fix, e);
  }
  if (results.size() == 1) {
    std::printf("\ntransfer curve f(x) (effective):\n");
    for (const auto& point : results[0].json["transfer_curve"])
      std::printf("  x=%.2f  f=%.4f\n", point[0].get<double>(), point[1].get<double>());
  }
  std::printf("\n(trained: the L1-penalised activation of a feature alone at x = 1; effective: what "
              "is decoded, s·f or f_gate·f_mag; γ = ‖x̂‖²/⟨x̂, x⟩; E[loss]: exact over all binary "
              "inputs; bound: no dictionary does better)\n");
  return 0;
}

}  // namespace superpose::cli
