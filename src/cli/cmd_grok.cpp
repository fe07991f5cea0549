// `superpose grok`: modular addition that memorises, then generalises (issue 10): the Gromov MLP
// or its residual-stream variant trained full-batch with AdamW; prints the accuracy/loss history,
// the epochs at which thresholds were crossed and the embedding's key Fourier frequencies.
// Flags and JSON keys are a contract (issue 10); see `superpose grok --help`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "core/check.hpp"
#include "core/kernels.hpp"
#include "grok/grok_fourier.hpp"
#include "grok/grok_run.hpp"
#include "session/grok_session.hpp"

namespace superpose::cli {

namespace {
const char* kGrokHelp = R"(usage: superpose grok [flags]
Grokking (Power et al. 2022; Gromov 2023): learn (a + b) mod p from a fraction of the pairs with
h = (W₁[1_a; 1_b])², logits = W₂h (mlp), or the residual stream x₁ = x₀ + W_out(W_in x₀)²,
logits = U x₁ (residual); full-batch AdamW, one step per epoch.
)";
const char* kGrokHelpTail = R"(  --json                    print JSON: {config, history: [{epoch, train_acc, test_acc,
                            train_loss, test_loss, weight_norm}], epoch_train_100,
                            epoch_test_50, epoch_test_99 (null: never reached),
                            top_frequencies, spectrum, fourier_concentration, seconds
                            [, paths (residual)]}
)";

Json epoch_or_null(const std::optional<int64_t>& e) { return e ? Json(*e) : Json(nullptr); }
std::string epoch_text(const std::optional<int64_t>& e) { return e ? std::to_string(*e) : "never"; }

Json score_json(const GrokScore& s) { return Json{{"loss", s.loss}, {"accuracy", s.accuracy}}; }

Json paths_json(const GrokPathReadout& r) {
  Json ablated = Json::object();
  for (int path = 0; path < 2; ++path)
    for (int mode = 0; mode < 3; ++mode)
      ablated[kGrokPathNames[path]][kGrokAblationNames[mode]] = score_json(r.ablated[path][mode]);
  return Json{{"direct_contribution", r.direct_contribution},
              {"mlp_contribution", r.mlp_contribution},
              {"clean", score_json(r.clean)},
              {"ablated", ablated}};
}
}  // namespace

int cmd_grok(int argc, char** argv) {
  Args args = config_args<GrokConfig>(argc, argv);
  if (take_help(args, {kGrokHelp, flags_help<GrokConfig>(), kGrokHelpTail})) return 0;
  const bool json = args.take_flag("json");
  // (the memory bound names p², the schedule steps)
  const Json flags_config = config_from_flag_json<GrokConfig>(flags_to_json<GrokConfig>(args), {},
                                                              {{"p²", "p"}, {"steps", "epochs"}})
                                .to_json();
  args.finish();

  // The page's grok session: the same config, run and epochs.
  GrokSession session;
  session.configure(flags_config);
  GrokRun& run = *session.run();
  const GrokConfig& config = run.config();
  const double t0 = now_seconds();
  run_session(session, 10, !json);
  run.record();
  const double seconds = now_seconds() - t0;
  const Mat power = run.fourier_power();
  const Vec spectrum = fourier_spectrum(power);
  const double concentration = fourier_concentration(power);
  const std::vector<int> top = top_frequencies(spectrum, 5);
  const auto paths = run.paths();

  if (json) {
    Json out;
    out["config"] = config.to_json();
    Json history = Json::array();
    for (const GrokPoint& h : run.history())
      history.push_back(Json{{"epoch", h.epoch},         {"train_acc", h.train_acc},
                             {"test_acc", h.test_acc},   {"train_loss", h.train_loss},
                             {"test_loss", h.test_loss}, {"weight_norm", h.weight_norm}});
    out["history"] = std::move(history);
    out["epoch_train_100"] = epoch_or_null(run.epoch_train_100());
    out["epoch_test_50"] = epoch_or_null(run.epoch_test_50());
    out["epoch_test_99"] = epoch_or_null(run.epoch_test_99());
    out["top_frequencies"] = top;
    out["spectrum"] = std::vector<float>(spectrum.data(), spectrum.data() + spectrum.size());
    out["fourier_concentration"] = concentration;
    out["seconds"] = seconds;
    if (paths) out["paths"] = paths_json(*paths);
    std::cout << out.dump() << "\n";
    return 0;
  }

  std::printf("grokking (a + b) mod %d: %s model, width %d, %s loss, %.0f%% of %d pairs for "
              "training\n",
              config.p, config.model.c_str(), config.width, config.loss.c_str(),
              100 * config.train_fraction, config.p * config.p);
  std::printf("trained %lld full-batch epochs in %.2f s (AdamW lr %g, weight decay %g, seed %lld, "
              "simd %s)\n\n",
              static_cast<long long>(config.epochs), seconds, config.lr, config.weight_decay,
              static_cast<long long>(config.seed), simd_arch_name());
  std::printf("%-8s %-10s %-10s %-11s %-11s %s\n", "epoch", "train_acc", "test_acc", "train_loss",
              "test_loss", "weight_norm");
  // Log-spaced rows: the grokking gap lives on a log-epoch axis.
  int64_t next = 0;
  const auto& history = run.history();
  for (std::size_t i = 0; i < history.size(); ++i) {
    const GrokPoint& h = history[i];
    if (h.epoch < next && i + 1 != history.size()) continue;
    std::printf("%-8lld %-10.4f %-10.4f %-11.4g %-11.4g %.2f\n", static_cast<long long>(h.epoch),
                h.train_acc, h.test_acc, h.train_loss, h.test_loss, h.weight_norm);
    next = std::max<int64_t>(h.epoch + 1, static_cast<int64_t>(std::ceil(h.epoch * 1.5)));
  }
  std::printf("\ntrain accuracy 100%%: epoch %s   test accuracy 50%%: epoch %s   99%%: epoch %s\n",
              epoch_text(run.epoch_train_100()).c_str(), epoch_text(run.epoch_test_50()).c_str(),
              epoch_text(run.epoch_test_99()).c_str());
  std::printf("embedding's top Fourier frequencies:");
  for (int k : top) std::printf(" %d (%.1f%%)", k, 100 * spectrum[k]);
  std::printf("\nshare of each embedding row's norm² at its own dominant frequency: %.1f%%\n",
              100 * concentration);
  if (paths) {
    std::printf("\ntest set, contribution to the correct logit: direct %.3f, mlp %.3f\n",
                paths->direct_contribution, paths->mlp_contribution);
    std::printf("test accuracy %.4f clean; ablated (zero/mean/resample): direct %.4f/%.4f/%.4f, "
                "mlp %.4f/%.4f/%.4f\n",
                paths->clean.accuracy, paths->ablated[0][0].accuracy, paths->ablated[0][1].accuracy,
                paths->ablated[0][2].accuracy, paths->ablated[1][0].accuracy,
                paths->ablated[1][1].accuracy, paths->ablated[1][2].accuracy);
  }
  return 0;
}

}  // namespace superpose::cli
