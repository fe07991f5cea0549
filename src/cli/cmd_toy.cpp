// `superpose toy`: train toy models of superposition and print what they learned.
// Flags and JSON keys are a contract (issue 2); see `superpose toy --help`.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/toy_flags.hpp"
#include "cli/toy_io.hpp"
#include "core/kernels.hpp"
#include "toy/readouts.hpp"
#include "toy/toy_model.hpp"

namespace superpose::cli {

namespace {
const char* kToyHelp = R"(usage: superpose toy [flags]
Train toy models of superposition (Elhage et al. 2022): x' = ReLU(WᵀW x + b) and friends.
)";
const char* kToyHelpTail = "  --json                    print one JSON object instead of the summary\n";

Json rows_json(const Eigen::Ref<const Mat>& M) {
  Json rows = Json::array();
  for (int r = 0; r < M.rows(); ++r) {
    Json row = Json::array();
    for (int c = 0; c < M.cols(); ++c) row.push_back(M(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

Json vec_json(const Eigen::Ref<const Vec>& v) { return Json(std::vector<float>(v.data(), v.data() + v.size())); }
}  // namespace

int cmd_toy(int argc, char** argv) {
  Args args = config_args<ToyConfig>(argc, argv);
  if (take_help(args, {kToyHelp, toy_flags_help(), kToyIoHelp, kToyHelpTail})) return 0;
  const bool json = args.take_flag("json");
  const auto load_file = take_toy_load(args);  // --load FILE: no training (issue 7)
  const auto save_dir = take_toy_save(args);   // --save DIR (issue 7)
  const std::optional<ToyConfig> flags_config =
      load_file ? std::nullopt : std::optional<ToyConfig>(toy_config_from_flags(args));
  args.finish();

  // The page's toy session: the same config, model and training steps.
  ToySession session;
  if (load_file) load_toy(session, *load_file);
  else session.configure(flags_config->to_json());
  const ToyModel& model = *session.model();
  const ToyConfig& config = model.config();
  const int64_t train_steps = load_file ? 0 : config.steps;
  const double seconds = load_file ? 0.0 : run_session(session, 200, !json);
  const double steps_per_second = train_steps / std::max(seconds, 1e-9);

  // Final loss on a large fresh batch from a fixed evaluation stream (less noisy than one step).
  const int eval_batch = std::max(config.batch_size,
      std::min(8192, static_cast<int>((1 << 24) / (config.n_instances * config.n_features))));
  const std::vector<float> loss = model.evaluate(eval_batch);
  const std::string saved = save_dir ? save_toy(model, *save_dir) : std::string();

  if (json) {
    Json out;
    out["config"] = config.to_json();
    out["steps_per_second"] = steps_per_second;
    out["seconds"] = seconds;
    out["simd"] = simd_arch_name();
    Json instances = Json::array();
    for (int k = 0; k < config.n_instances; ++k) {
      const ToyReadouts r = compute_readouts(model.W(k));
      Json inst;
      inst["feature_probability"] = config.probability(k);
      inst["loss"] = loss[k];
      if (model.kind() == ToyModelKind::abs) {
        inst["W1"] = rows_json(model.W(k));
        inst["W2"] = rows_json(model.W2(k));
      } else {
        inst["W"] = rows_json(model.W(k));
      }
      inst["b"] = vec_json(model.b(k));
      inst["feature_norms"] = vec_json(r.feature_norms);
      inst["interference"] = vec_json(r.interference);
      inst["dimensionality"] = vec_json(r.dimensionality);
      inst["dims_per_feature"] = r.dims_per_feature;
      instances.push_back(std::move(inst));
    }
    out["instances"] = std::move(instances);
    if (!saved.empty()) out["saved"] = saved;
    std::cout << out.dump() << "\n";
    return 0;
  }

  std::printf("toy models of superposition: %s model, n=%d features, m=%d hidden, %d instance%s\n",
              config.model.c_str(), config.n_features, config.n_hidden, config.n_instances,
              config.n_instances == 1 ? "" : "s");
  if (train_steps == 0) std::printf("loaded a saved model (no training)\n\n");
  else std::printf("trained %lld steps of batch %d in %.2f s: %.0f steps/s (%s, lr %g, seed %lld, simd %s)\n\n",
              static_cast<long long>(config.steps), config.batch_size, seconds, steps_per_second,
              config.optimizer.c_str(), config.lr, static_cast<long long>(config.seed),
              simd_arch_name());
  std::printf("%-9s %-13s %-11s %-13s %-13s %s\n", "instance", "feature_prob", "loss",
              "represented", "dims/feature", "feature norms ‖W_i‖");
  for (int k = 0; k < config.n_instances; ++k) {
    const ToyReadouts r = compute_readouts(model.W(k));
    char rep[32];
    std::snprintf(rep, sizeof rep, "%d/%d", r.represented, config.n_features);
    std::printf("%-9d %-13.4g %-11.4g %-13s %-13.3f", k, config.probability(k), loss[k], rep,
                r.dims_per_feature);
    const int shown = std::min(config.n_features, 12);
    for (int i = 0; i < shown; ++i) std::printf(" %.2f", r.feature_norms[i]);
    if (shown < config.n_features) std::printf(" ...");
    std::printf("\n");
  }
  std::printf("\n(represented: ‖W_i‖ > 0.5; dims/feature = m / ‖W‖_F²)\n");
  if (!saved.empty()) std::printf("saved %s\n", saved.c_str());
  return 0;
}

}  // namespace superpose::cli
