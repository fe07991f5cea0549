// `superpose ablate`: knock out SAE latents or hidden units of a trained toy model and print the
// loss change per output feature (issue 6; interp/ablation.hpp, interp/effects.hpp).
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/interp_setup.hpp"
#include "interp/effects.hpp"

namespace superpose::cli {

namespace {
// The usage; --target and --mode are the steer session's fields (their help lines follow it).
std::string ablate_help_head() {
  return "usage: superpose ablate [toy and SAE flags] --target " + join_choices(kAblationTargetNames, "|") +
         " [--index I | --all]\n                        --mode " + join_choices(kAblationModeNames, "|") +
         " [--json]\n" R"(Train a toy model (then its SAE), ablate a latent or hidden unit, report each output feature's
loss change (importance-weighted squared error, mean over a seeded evaluation batch).
)";
}
const char* kAblateHelpTail = R"(  --index I=0 | --all       one row, or every latent/unit (the effects matrix)
  --json                    print {config, effects: [[...]], rows, diagonality, ...}
)";
}  // namespace

int cmd_ablate(int argc, char** argv) {
  Args args(argc, argv, 2, {"json", "help", "all"});
  if (take_interp_help(args, ablate_help_head(), {"target", "mode"}, kAblateHelpTail)) return 0;
  InterpSetup s = interp_setup_from_flags(args);
  s.json = args.take_flag("json");
  const bool all = args.take_flag("all");
  const InterventionConfig defaults;  // the steer session's: target, mode
  std::string target_name = defaults.target, mode_name = defaults.mode;
  if (auto v = args.take("target")) target_name = parse_choice("target", *v, kAblationTargetNames);
  if (auto v = args.take("mode")) mode_name = parse_choice("mode", *v, kAblationModeNames);
  int index = 0;
  if (auto v = args.take("index")) {
    if (all) throw UsageError("give --index or --all, not both");
    const long long i = parse_int("index", *v);
    const int rows = target_name == "unit" ? s.toy().n_hidden : s.n_latents();
    if (i < 0 || i >= rows)
      throw UsageError("--index: index must be in [0, " +
                       std::string(target_name == "unit" ? "n_hidden-1=" : "n_latents-1=") +
                       std::to_string(rows - 1) + "] (got " + *v + ")");
    index = static_cast<int>(i);
  }
  args.finish();
  const AblationTarget target = parse_ablation_target(target_name);
  const AblationMode mode = parse_ablation_mode(mode_name);

  train_and_prepare(s);
  const Interventions& iv = s.interventions();
  std::vector<int> rows;
  Mat E;  // (rows, n)
  if (all) {
    E = iv.effects(target, mode);
    for (int r = 0; r < E.rows(); ++r) rows.push_back(r);
  } else {
    E = iv.loss_change(target, index, mode).transpose();
    rows.push_back(index);
  }
  const std::vector<int> order = diagonal_order(E);
  const std::vector<int> top = top_features(E);
  const Vec clean = iv.clean_loss(target);

  if (s.json) {
    Json out;
    Json config = s.config_json();
    config["target"] = target_name;
    config["mode"] = mode_name;
    if (all) config["all"] = true;
    else config["index"] = index;
    out["config"] = std::move(config);
    Json effects = Json::array();
    for (int r = 0; r < E.rows(); ++r) {
      Json row = Json::array();
      for (int c = 0; c < E.cols(); ++c) row.push_back(E(r, c));
      effects.push_back(std::move(row));
    }
    out["effects"] = std::move(effects);
    out["rows"] = rows;
    out["top_feature"] = top;
    out["diagonal_order"] = order;
    out["diagonality"] = diagonality(E);
    out["clean_loss"] = std::vector<float>(clean.data(), clean.data() + clean.size());
    if (target == AblationTarget::latent) out["matched_feature"] = iv.match().feature;
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("ablating %s%s (%s) of toy instance %d (%s model, n=%d, m=%d); loss change per output\n"
              "feature (importance-weighted squared error, mean over %d seeded inputs)\n\n",
              target_name.c_str(), all ? "s" : "", mode_name.c_str(), s.instance(),
              s.toy().model.c_str(), s.toy().n_features, s.toy().n_hidden, s.eval_batch());
  std::printf("%-10s", target_name.c_str());
  for (int c = 0; c < E.cols(); ++c) std::printf(" %9s", ("f" + std::to_string(c)).c_str());
  std::printf("   top\n");
  for (int r : order) {
    std::printf("%-10d", rows[r]);
    for (int c = 0; c < E.cols(); ++c) std::printf(" %9.2e", E(r, c));
    std::printf("   %d\n", top[r]);
  }
  std::printf("\ndiagonality %.3f (mean over rows of the top feature's share of |loss change|; 1 = "
              "each row hurts one feature)\n", diagonality(E));
  return 0;
}

}  // namespace superpose::cli
