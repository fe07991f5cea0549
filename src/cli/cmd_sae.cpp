// `superpose sae`: train sparse autoencoders (ReLU, Gated, JumpReLU, TopK, BatchTopK) on data
// with known features, a toy model's activations or a .npy file, and report how well they do.
// Flags and JSON keys are a contract (issue 5); see `superpose sae --help`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/sae_io.hpp"
#include "core/check.hpp"
#include "core/kernels.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"
#include "sae/saelens_sae.hpp"

namespace superpose::cli {

namespace {
const char* kHelp = R"(usage: superpose sae [flags]
Train a sparse autoencoder and measure it on a held-out batch.
  --arch relu|gated|jumprelu|topk|batchtopk   (default relu)
  --data synthetic|toy|FILE.npy   known features; a toy model's h = W x; a (N, d) float .npy
  --input-dim D=64          input dimension d (synthetic; toy: the toy model's hidden dims)
  --true-features F=256     true features (synthetic; toy: the toy model's features)
  --active A=5              mean active true features per sample
  --latents L=512           SAE latents
  --l1 λ=0.3                sparsity coefficient: L1 (relu, gated) or L0 (jumprelu)
  --k K=5                   active latents per sample (topk, batchtopk)
  --steps S=3000  --batch B=1024  --lr LR=3e-3  --seed SEED=0
  --sweep λ1,λ2,...         one run per λ (instead of --l1)
  --sweep-k k1,k2,...       one run per k (instead of --k)
  --power-law α=0           feature probabilities p_i ∝ (i+1)^-α (synthetic)
  --group-size G=1          correlated groups of G consecutive features (synthetic)
  --orthogonal              orthonormal true directions (needs F ≤ d)
  --toy-steps S=3000        training steps of the toy model (data toy)
  --decoder-norm unit|weighted   relu: unit-norm decoder, or L1 weighted by decoder norms
  --no-resample             no dead-latent resampling (relu, gated)
  --dead-window S=500       a latent is dead after S steps without firing
  --resample-every S=1000   steps between resampling checks (relu, gated)
  --init tied|random        tied: W_enc = W_decᵀ, b_dec = data mean (default); random: the
                            ARENA exercise's independent Kaiming-uniform W_enc, W_dec, zero biases
  --eval-batch N=4096       held-out samples for the metrics
  --json                    print JSON: {config, steps_per_second, metrics: {l0, mse, fve,
                            dead_fraction, dense_fraction, relative_reconstruction_bias, mmcs,
                            recovered_fraction}}; with a sweep, an array of those
)";

std::vector<std::pair<std::string, std::string>> flag_of_field(const char* sweep_flag) {
  return {{"arch", "arch"},
          {"data", "data"},
          {"npy", "data"},
          {"input_dim", "input-dim"},
          {"true_features", "true-features"},
          {"active", "active"},
          {"n_latents", "latents"},
          {"l1", sweep_flag && std::string(sweep_flag) == "sweep" ? "sweep" : "l1"},
          {"k", sweep_flag && std::string(sweep_flag) == "sweep-k" ? "sweep-k" : "k"},
          {"aux_k", "latents"},
          {"steps", "steps"},
          {"batch_size", "batch"},
          {"n_latents × batch_size", "batch"},
          {"n_latents × input_dim", "latents"},
          {"true_features × input_dim", "true-features"},
          {"lr", "lr"},
          {"seed", "seed"},
          {"power_law", "power-law"},
          {"group_size", "group-size"},
          {"orthogonal", "orthogonal"},
          {"toy_steps", "toy-steps"},
          {"decoder_norm", "decoder-norm"},
          {"init", "init"},
          {"dead_window", "dead-window"},
          {"resample_every", "resample-every"},
          {"warmup_steps", "steps"}};
}

Json config_json_from_flags(Args& a) {
  Json j = Json::object();
  if (auto v = a.take("arch"))
    j["arch"] = parse_choice("arch", *v, {"relu", "gated", "jumprelu", "topk", "batchtopk"});
  if (auto v = a.take("data")) {
    if (*v == "synthetic" || *v == "toy") {
      j["data"] = *v;
    } else if (v->size() > 4 && v->compare(v->size() - 4, 4, ".npy") == 0) {
      j["data"] = "npy";
      j["npy_path"] = *v;
    } else {
      throw UsageError("--data must be synthetic, toy or a FILE.npy (got '" + *v + "')");
    }
  }
  if (auto v = a.take("input-dim")) j["input_dim"] = parse_int("input-dim", *v);
  if (auto v = a.take("true-features")) j["true_features"] = parse_int("true-features", *v);
  if (auto v = a.take("active")) j["active"] = parse_number("active", *v);
  if (auto v = a.take("latents")) j["n_latents"] = parse_int("latents", *v);
  if (auto v = a.take("l1")) j["l1"] = parse_number("l1", *v);
  if (auto v = a.take("k")) j["k"] = parse_int("k", *v);
  if (auto v = a.take("steps")) j["steps"] = parse_int("steps", *v);
  if (auto v = a.take("batch")) j["batch_size"] = parse_int("batch", *v);
  if (auto v = a.take("lr")) j["lr"] = parse_number("lr", *v);
  if (auto v = a.take("seed")) j["seed"] = parse_int("seed", *v);
  if (auto v = a.take("power-law")) j["power_law"] = parse_number("power-law", *v);
  if (auto v = a.take("group-size")) j["group_size"] = parse_int("group-size", *v);
  if (auto v = a.take("toy-steps")) j["toy_steps"] = parse_int("toy-steps", *v);
  if (auto v = a.take("decoder-norm")) j["decoder_norm"] = parse_choice("decoder-norm", *v, {"unit", "weighted"});
  if (auto v = a.take("init")) j["init"] = parse_choice("init", *v, {"tied", "random"});
  if (auto v = a.take("dead-window")) j["dead_window"] = parse_int("dead-window", *v);
  if (auto v = a.take("resample-every")) j["resample_every"] = parse_int("resample-every", *v);
  if (a.take_flag("orthogonal")) j["orthogonal"] = true;
  if (a.take_flag("no-resample")) j["resample"] = false;
  return j;
}

SaeConfig validated_config(const Json& j, const char* sweep_flag) {
  try {
    return SaeConfig::from_json(j);
  } catch (const std::invalid_argument& e) {
    rethrow_as_usage(e, flag_of_field(sweep_flag));
  }
}

Json number_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json metrics_json(const SaeMetrics& m) {
  return Json{{"l0", m.l0},
              {"mse", m.mse},
              {"fve", m.fve},
              {"dead_fraction", m.dead_fraction},
              {"dense_fraction", m.dense_fraction},
              {"relative_reconstruction_bias", number_or_null(m.relative_reconstruction_bias)},
              {"mmcs", number_or_null(m.mmcs)},
              {"recovered_fraction", number_or_null(m.recovered_fraction)}};
}

std::string fmt(const Json& v) {
  if (v.is_null()) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v.get<double>());
  return buf;
}
}  // namespace

int cmd_sae(int argc, char** argv) {
  Args args(argc, argv, 2, {"json", "help", "orthogonal", "no-resample"});
  if (args.take_flag("help")) {
    std::fputs(kHelp, stdout);
    std::fputs(kSaeIoHelp, stdout);
    return 0;
  }
  const bool json = args.take_flag("json");
  std::vector<double> sweep, sweep_k;
  if (auto v = args.take("sweep")) sweep = parse_numbers("sweep", *v);
  if (auto v = args.take("sweep-k")) sweep_k = parse_numbers("sweep-k", *v);
  int eval_batch = 4096;
  if (auto v = args.take("eval-batch")) {
    const long long n = parse_int("eval-batch", *v);
    if (n < 16 || n > 65536) throw UsageError("--eval-batch must be in [16, 65536] (got " + *v + ")");
    eval_batch = static_cast<int>(n);
  }
  const auto save_dir = args.take("save");  // issue 7: a SAELens folder out
  const auto load_dir = args.take("load");  // issue 7: a SAELens folder in, measured, not trained
  Json base = config_json_from_flags(args);
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

  std::vector<SaeConfig> configs;
  if (!sweep.empty()) {
    for (double v : sweep) {
      Json j = base;
      j["l1"] = v;
      configs.push_back(validated_config(j, "sweep"));
    }
  } else if (!sweep_k.empty()) {
    for (double v : sweep_k) {
      if (v != std::floor(v)) throw UsageError("--sweep-k expects integers (got " + format_number(v) + ")");
      Json j = base;
      j["k"] = v;
      configs.push_back(validated_config(j, "sweep-k"));
    }
  } else {
    configs.push_back(validated_config(base, nullptr));
  }

  std::shared_ptr<SaeData> data;
  try {
    data = make_sae_data(configs[0]);
  } catch (const std::invalid_argument& e) {
    if (configs[0].data_kind() == SaeDataKind::npy) throw UsageError(std::string("--data: ") + e.what());
    throw;
  }
  const Mat eval = data->held_out(eval_batch);
  Json results = Json::array();
  std::vector<double> rates;
  for (const SaeConfig& c : configs) {
    SaeTrainer trainer(c, data);
    std::unique_ptr<Sae> loaded = file ? sae_from_saelens(*file, c, data->dim()) : nullptr;
    Sae& sae = loaded ? *loaded : trainer.sae();
    const int64_t train_steps = loaded ? 0 : c.steps;
    Progress progress(train_steps, !json);
    const double t0 = now_seconds();
    for (int64_t done = 0; done < train_steps;) {
      const int64_t chunk = std::min<int64_t>(100, train_steps - done);
      trainer.train(chunk);
      done += chunk;
      progress.update(done, trainer.last_loss().total);
    }
    const double seconds = now_seconds() - t0;
    progress.finish();
    const SaeMetrics m = compute_sae_metrics(sae, eval, data->true_features());
    Json out;
    out["config"] = trainer.config().to_json();
    out["steps_per_second"] = train_steps / std::max(seconds, 1e-9);
    if (load_dir) out["loaded"] = *load_dir;
    if (save_dir) {
      save_saelens_dir(*save_dir, sae_to_saelens(sae));
      out["saved"] = *save_dir;
    }
    out["metrics"] = metrics_json(m);
    out["loss"] = trainer.last_loss().total;
    out["resampled"] = trainer.resampled_total();
    out["train_dead_fraction"] = trainer.dead_fraction();
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
              c0.data.c_str(), data->dim());
  if (data->true_features().cols() > 0)
    std::printf(", %d true features, %g active", static_cast<int>(data->true_features().cols()), c0.active);
  std::printf("); %lld steps of batch %d, lr %g, seed %lld, simd %s\n\n",
              static_cast<long long>(c0.steps), c0.batch_size, c0.lr,
              static_cast<long long>(c0.seed), simd_arch_name());
  std::printf("%-10s %-7s %-4s %-8s %-8s %-8s %-6s %-6s %-7s %-7s %-9s %s\n", "arch", "λ", "k", "L0",
              "MSE", "FVE", "dead", "dense", "γ", "MMCS", "recovered", "steps/s");
  for (const auto& r : results) {
    const Json& m = r["metrics"];
    std::printf("%-10s %-7g %-4d %-8.3f %-8.5f %-8.4f %-6.3f %-6.3f %-7s %-7s %-9s %.0f\n",
                r["config"]["arch"].get<std::string>().c_str(), r["config"]["l1"].get<double>(),
                r["config"]["k"].get<int>(), m["l0"].get<double>(), m["mse"].get<double>(),
                m["fve"].get<double>(), m["dead_fraction"].get<double>(),
                m["dense_fraction"].get<double>(), fmt(m["relative_reconstruction_bias"]).c_str(),
                fmt(m["mmcs"]).c_str(), fmt(m["recovered_fraction"]).c_str(),
                r["steps_per_second"].get<double>());
  }
  std::printf("\n(on %d held-out samples; γ = ‖x̂‖²/⟨x̂, x⟩, < 1 is shrinkage; MMCS: mean max cosine "
              "of true features with decoder columns; recovered: cosine > 0.9)\n", eval_batch);
  if (load_dir) std::printf("loaded %s (measured, not trained)\n", load_dir->c_str());
  if (save_dir) std::printf("saved %s (SAELens layout: cfg.json + sae_weights.safetensors)\n", save_dir->c_str());
  return 0;
}

}  // namespace superpose::cli
