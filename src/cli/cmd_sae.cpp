// `superpose sae`: train sparse autoencoders (ReLU, Gated, JumpReLU, TopK, BatchTopK, Matryoshka)
// on data with known features, hierarchical features, a toy model's activations or a .npy file,
// and report how well they do. A data source's preset (sae_data_presets: hierarchical's scale)
// fills every flag not given. Each run (one per --sweep or --sweep-k point) is the page's sae session
// (session/sae_session.hpp) with that run's config: its trainer, held-out batch and metrics, on the
// data built here once from the same keys (make_sae_data, the session's own; each session restarts
// its stream, so every point trains on the batches its run alone would, as the page's runs side by
// side do). Flags and JSON keys are a contract (issue 5); see `superpose sae --help`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/sae_io.hpp"
#include "core/check.hpp"
#include "core/kernels.hpp"
#include "sae/saelens_sae.hpp"
#include "session/sae_session.hpp"

namespace superpose::cli {

namespace {
const char* kSaeHelp = R"(usage: superpose sae [flags]
Train a sparse autoencoder and measure it on a held-out batch.
)";
const char* kSaeHelpTail = R"(  --sweep λ1,λ2,...         one run per λ (instead of --l1)
  --sweep-k k1,k2,...       one run per k (instead of --k)
  --eval-batch N=4096       held-out samples for the metrics
  --json                    print JSON: {config, steps_per_second, metrics: {l0, mse, fve,
                            dead_fraction, dense_fraction, relative_reconstruction_bias, mmcs,
                            recovered_fraction, mcc, uniqueness, precision, recall, f1,
                            absorption, shrinkage}}; with a sweep, an array of those (null: not
                            defined for this data, e.g. no ground truth or no hierarchy)
)";

// --data synthetic|toy|FILE.npy: the data key, and npy_path for a file.
void take_data_flag(Args& a, Json& j) {
  const auto v = a.take("data");
  if (!v) return;
  if (*v == "synthetic" || *v == "toy" || *v == "hierarchical") {
    j["data"] = *v;
  } else if (v->size() > 4 && v->compare(v->size() - 4, 4, ".npy") == 0) {
    j["data"] = "npy";
    j["npy_path"] = *v;
  } else {
    throw UsageError("--data must be synthetic, toy, hierarchical or a FILE.npy (got '" + *v + "')");
  }
}

SaeConfig validated_sae_config(const Json& j, const char* sweep_flag) {
  try {
    return SaeConfig::from_json(j);
  } catch (const std::invalid_argument& e) {
    auto flags = flag_of_field<SaeConfig>();
    // the first match names the flag: a sweep sets l1 or k; the memory bounds, the clamped warmup
    if (sweep_flag) flags.insert(flags.begin(), {std::string(sweep_flag) == "sweep" ? "l1" : "k", sweep_flag});
    flags.insert(flags.end(), {{"npy", "data"}, {"aux_k", "latents"}, {"warmup_steps", "steps"},
                               {"n_latents × batch_size", "batch"}, {"n_latents × input_dim", "latents"},
                               {"true_features × input_dim", "true-features"}});
    rethrow_as_usage(e, flags);
  }
}

// "  --data hierarchical sets, unless given: --true-features 1024 ...": one paragraph per
// preset of sae_data_presets, wrapped at the help's width.
std::string presets_help() {
  std::string out;
  const auto flags = flag_of_field<SaeConfig>();
  const Json presets = sae_data_presets();
  for (const auto& preset : presets.items()) {
    std::string line = "  --data " + preset.key() + " sets, unless given:";
    for (const auto& [field, flag] : flags) {
      const auto v = preset.value().find(field);
      if (v == preset.value().end()) continue;
      const std::string part = " --" + flag + " " + (v->is_string() ? v->get<std::string>() : format_number(v->get<double>()));
      const std::size_t last = line.rfind('\n') == std::string::npos ? 0 : line.rfind('\n') + 1;
      if (line.size() - last + part.size() > 96) line += "\n" + std::string(27, ' ');
      line += part;
    }
    out += line + "\n";
  }
  return out;
}

// --eval-batch N: the session's eval_batch field bounds it (the one place); the CLI measures on
// 4096 held-out samples by default (the page's 1024 keeps its frames cheap).
constexpr int kCliEvalBatch = 4096;
struct FindField {  // a fields() visitor: the field named `name`
  const char* name;
  Field found{"", ""};
  template <class T> void operator()(const T&, const Field& f) {
    if (std::string(f.name) == name) found = f;
  }
};
int take_eval_batch(Args& a) {
  const auto v = a.take("eval-batch");
  if (!v) return kCliEvalBatch;
  const long long n = parse_int("eval-batch", *v);
  FindField field{"eval_batch"};
  const SaeSessionConfig defaults;
  SaeSessionConfig::fields(defaults, field);
  if (n < field.found.min || n > field.found.max)
    throw UsageError("--eval-batch must be in " + range_text(field.found) + " (got " + *v + ")");
  return static_cast<int>(n);
}

// The session's keys for one run: config's but arch (archs: just it) and npy_path (the data is
// handed over), and the held-out batch.
Json session_keys(const SaeConfig& c, int eval_batch) {
  Json j = c.to_json();
  j.erase("arch");
  j.erase("npy_path");
  j["archs"] = Json::array({c.arch});
  j["eval_batch"] = eval_batch;
  return j;
}

Json metrics_json(const SaeMetrics& m) {
  return Json{{"l0", m.l0},
              {"mse", m.mse},
              {"fve", m.fve},
              {"dead_fraction", m.dead_fraction},
              {"dense_fraction", m.dense_fraction},
              {"relative_reconstruction_bias", number_or_null(m.relative_reconstruction_bias)},
              {"mmcs", number_or_null(m.mmcs)},
              {"recovered_fraction", number_or_null(m.recovered_fraction)},
              {"mcc", number_or_null(m.truth.mcc)},
              {"uniqueness", number_or_null(m.truth.uniqueness)},
              {"precision", number_or_null(m.truth.precision)},
              {"recall", number_or_null(m.truth.recall)},
              {"f1", number_or_null(m.truth.f1)},
              {"absorption", number_or_null(m.truth.absorption)},
              {"shrinkage", number_or_null(m.truth.shrinkage)}};
}

std::string metric_text(const Json& v) { return number_text(v, "%.4f", "n/a"); }
}  // namespace

int cmd_sae(int argc, char** argv) {
  Args args = config_args<SaeConfig>(argc, argv);
  if (take_help(args, {kSaeHelp, flags_help<SaeConfig>(), presets_help(), kSaeIoHelp, kSaeHelpTail})) return 0;
  const bool json = args.take_flag("json");
  std::vector<double> sweep, sweep_k;
  if (auto v = args.take("sweep")) sweep = parse_numbers("sweep", *v);
  if (auto v = args.take("sweep-k")) sweep_k = parse_numbers("sweep-k", *v);
  const int eval_batch = take_eval_batch(args);
  const auto save_dir = args.take("save");  // issue 7: a SAELens folder out
  const auto load_dir = args.take("load");  // issue 7: a SAELens folder in, measured, not trained
  Json base = flags_to_json<SaeConfig>(args);
  take_data_flag(args, base);
  args.finish();
  std::optional<SaeLensSae> file;
  if (load_dir) {
    file = load_saelens_dir(*load_dir);
    base = config_for_loaded_sae(base, *file, !sweep.empty() || !sweep_k.empty());
  }
  if (save_dir && (!sweep.empty() || !sweep_k.empty())) throw UsageError("--save needs a single run: drop --sweep / --sweep-k");
  if (!sweep.empty() && !sweep_k.empty()) throw UsageError("--sweep and --sweep-k are exclusive");
  if (!sweep.empty() && base.contains("l1"))
    throw UsageError("--l1 and --sweep are exclusive (the sweep sets λ for each run)");
  if (!sweep_k.empty() && base.contains("k"))
    throw UsageError("--k and --sweep-k are exclusive (the sweep sets k for each run)");
  base = with_data_preset(std::move(base));  // the data's preset, for every key not given

  std::vector<SaeConfig> configs;
  if (!sweep.empty()) {
    for (double v : sweep) {
      Json j = base;
      j["l1"] = v;
      configs.push_back(validated_sae_config(j, "sweep"));
    }
  } else if (!sweep_k.empty()) {
    for (double v : sweep_k) {
      if (v != std::floor(v)) throw UsageError("--sweep-k expects integers (got " + format_number(v) + ")");
      Json j = base;
      j["k"] = v;
      configs.push_back(validated_sae_config(j, "sweep-k"));
    }
  } else {
    configs.push_back(validated_sae_config(base, nullptr));
  }

  std::shared_ptr<SaeData> data;
  try {
    data = make_sae_data(configs[0]);
  } catch (const std::invalid_argument& e) {
    if (configs[0].data_kind() == SaeDataKind::npy) throw UsageError(std::string("--data: ") + e.what());
    throw;
  }
  Json results = Json::array();
  int dim = 0, true_features = 0;  // of the data, for the summary
  for (const SaeConfig& c : configs) {
    SaeSession session;
    session.configure_with_data(session_keys(c, eval_batch), data);
    if (file) session.import_saelens(*file);  // measured, not trained: the run is complete
    const double seconds = run_session(session, 100, !json);
    const SaeTrainer& run = session.run(0);
    const SaeMetrics& m = session.metrics(0);
    dim = session.data().dim();
    true_features = static_cast<int>(session.data().true_features().cols());
    Json out;
    out["config"] = run.config().to_json();
    if (c.data_kind() == SaeDataKind::npy) out["config"]["npy_path"] = c.npy_path;  // not "upload.npy"
    out["steps_per_second"] = (file ? 0 : c.steps) / std::max(seconds, 1e-9);
    if (load_dir) out["loaded"] = *load_dir;
    if (save_dir) {
      save_saelens_dir(*save_dir, sae_to_saelens(run.sae()));
      out["saved"] = *save_dir;
    }
    out["metrics"] = metrics_json(m);
    out["loss"] = run.last_loss().total;
    out["resampled"] = run.resampled_total();
    out["train_dead_fraction"] = run.dead_fraction();
    out["density_histogram"] = m.density_histogram;
    results.push_back(std::move(out));
  }

  if (json) {
    std::cout << (configs.size() == 1 && sweep.empty() && sweep_k.empty() ? results[0] : results).dump()
              << "\n";
    return 0;
  }
  const SaeConfig& c0 = configs[0];
  std::printf("sparse autoencoder: %s, %d latents on %s data (d=%d", c0.arch.c_str(), c0.n_latents,
              c0.data.c_str(), dim);
  if (true_features > 0) std::printf(", %d true features, %g active", true_features, c0.active);
  std::printf("); %lld steps of batch %d, lr %g, seed %lld, simd %s\n\n",
              static_cast<long long>(c0.steps), c0.batch_size, c0.lr,
              static_cast<long long>(c0.seed), simd_arch_name());
  std::printf("%-10s %-7s %-4s %-8s %-8s %-8s %-6s %-6s %-7s %-7s %-9s %-7s %-7s %-7s %s\n", "arch", "λ",
              "k", "L0", "MSE", "FVE", "dead", "dense", "γ", "MMCS", "recovered", "MCC", "F1", "absorb",
              "steps/s");
  for (const auto& r : results) {
    const Json& m = r["metrics"];
    std::printf("%-10s %-7g %-4d %-8.3f %-8.5f %-8.4f %-6.3f %-6.3f %-7s %-7s %-9s %-7s %-7s %-7s %.0f\n",
                r["config"]["arch"].get<std::string>().c_str(), r["config"]["l1"].get<double>(),
                r["config"]["k"].get<int>(), m["l0"].get<double>(), m["mse"].get<double>(),
                m["fve"].get<double>(), m["dead_fraction"].get<double>(),
                m["dense_fraction"].get<double>(),
                metric_text(m["relative_reconstruction_bias"]).c_str(), metric_text(m["mmcs"]).c_str(),
                metric_text(m["recovered_fraction"]).c_str(), metric_text(m["mcc"]).c_str(),
                metric_text(m["f1"]).c_str(), metric_text(m["absorption"]).c_str(),
                r["steps_per_second"].get<double>());
  }
  std::printf("\n(on %d held-out samples; γ = ‖x̂‖²/⟨x̂, x⟩, < 1 is shrinkage; MMCS: mean max cosine "
              "of true features with decoder columns; recovered: cosine > 0.9; MCC: mean |cos| of the "
              "one-to-one matching; F1: mean over latents of firing vs their best feature's; absorb: "
              "share of a parent's presence its children's latents carry)\n", eval_batch);
  if (load_dir) std::printf("loaded %s (measured, not trained)\n", load_dir->c_str());
  if (save_dir) std::printf("saved %s (SAELens layout: cfg.json + sae_weights.safetensors)\n", save_dir->c_str());
  return 0;
}

}  // namespace superpose::cli
