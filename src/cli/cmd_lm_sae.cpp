// `superpose lm sae` (issue 16): train a sparse autoencoder on a saved language model's
// activations at one hook (lm/lm_activations.hpp), measure it with the lab's SAE metrics on
// held-out activations and with the language-model ones (ce_loss_score, KL: lm/lm_sae_splice.hpp),
// match every latent to the corpus's ground-truth labels (lm/feature_dashboard.hpp), and save it
// as a SAELens folder whose cfg.json names the hook (lm/lm_saelens.hpp).
// Flags and JSON keys are a contract (issue 16); see `superpose lm sae --help`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/lm_io.hpp"
#include "session/lm_sae_stage.hpp"
#include "core/check.hpp"
#include "lm/feature_dashboard.hpp"
#include "lm/lm_activations.hpp"
#include "lm/lm_sae_splice.hpp"
#include "lm/lm_saelens.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"

namespace superpose::cli {

namespace {
const char* kLmSaeHelp = R"(usage: superpose lm sae --load DIR --hook HOOK [flags]
Train a sparse autoencoder on a saved model's activations at one hook, over windows of the toy
world (a word model) or of --data FILE.txt (a byte model), and measure it on held-out windows.
  --load DIR                the model's folder (lm train --save)
  --hook HOOK               blocks.{l}.hook_resid_pre|hook_resid_mid|hook_resid_post|
                            hook_attn_out|hook_mlp_out or blocks.{l}.mlp.hook_post
  --arch A=relu             relu|gated|jumprelu|topk|batchtopk
  --latents L=256           SAE latents
  --l1 λ=2                  sparsity coefficient: L1 (relu, gated) or L0 (jumprelu)
  --k K=16                  active latents per token (topk, batchtopk)
  --steps S=3000            training steps (batches of 1024 activations)
  --seed SEED=0             the SAE's initialisation, its batches and the windows
  --windows N=2560          training windows of context tokens (2560 × 24 = 61,440 activations)
  --data FILE.txt           a byte model's text
  --save DIR2               write DIR2/cfg.json + DIR2/sae_weights.safetensors (SAELens; cfg.json
                            carries hook_name and model_name)
  --json                    print JSON: {config, metrics: {l0, fve, dead_fraction, ce_loss_score,
                            kl, mse, clean_loss, sae_loss, zero_loss}, latents: [{index,
                            frequency, label, precision, recall}], labels, saved}; latents: every latent,
                            best label match (F1) first on a labelled corpus, else most frequent
                            first; label null when none; labels: [{label, latent, precision,
                            recall}], each label's best latent
The metrics are measured on 256 held-out windows (L0, FVE, dead fraction: latents that never fire
there; label match: precision and recall of the latent firing above 0.2 of its max) and 64
held-out windows (ce_loss_score, KL: the SAE spliced in at the hook).
)";

constexpr int kHeldoutWindows = 256;  // activations for the SAE metrics and the label match
constexpr int kSpliceWindows = 64;    // windows for ce_loss_score and KL

}  // namespace

int cmd_lm_sae(int argc, char** argv) {
  Args args(argc - 1, argv + 1, 2, {"json", "help"});
  if (take_help(args, {kLmSaeHelp})) return 0;
  const bool json = args.take_flag("json");
  // The SAE's config: the lab's defaults, then the LM recipe's, the page's (LmSaeConfig: ReLU,
  // 256 latents, λ 2, k 16), for 3000 steps (issue 16's feasibility run), then the flags.
  const LmSaeConfig recipe;
  Json c = SaeConfig().to_json();
  c["n_latents"] = recipe.n_latents;
  c["l1"] = recipe.l1;
  c["k"] = recipe.k;
  c["lr"] = recipe.lr;
  c["batch_size"] = recipe.batch_size;
  c["steps"] = 3000;
  const std::pair<const char*, const char*> keys[] = {{"arch", "arch"}, {"latents", "n_latents"},
                                                      {"l1", "l1"},     {"k", "k"},
                                                      {"steps", "steps"}, {"seed", "seed"}};
  for (const auto& [flag, key] : keys)
    if (auto v = args.take(flag)) {
      if (std::string(flag) == "arch") c[key] = *v;
      else if (std::string(flag) == "l1") c[key] = parse_number(flag, *v);
      else c[key] = parse_int(flag, *v);
    }
  int windows = 2560;
  if (auto v = args.take("windows")) windows = static_cast<int>(parse_int("windows", *v));
  if (windows < 1 || windows > kMaxActivationWindows)
    throw UsageError("--windows must be in [1, " + std::to_string(kMaxActivationWindows) + "] (got " +
                     std::to_string(windows) + ")");
  const auto hook = args.take("hook");
  if (!hook) throw UsageError("--hook HOOK is required (e.g. blocks.0.hook_resid_post)");
  const auto save = args.take("save");
  if (save && save->empty()) throw UsageError("--save needs a folder");
  LoadedLm lm = load_lm_flag(args);
  const Corpus corpus = lm_corpus_flag(args, lm);
  args.finish();
  Transformer& model = *lm.model;
  const LmConfig& mc = model.config();
  try {
    sae_hook_dim(*hook, mc);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--hook: ") + e.what());
  }
  SaeConfig config;
  try {
    config = SaeConfig::from_json(c);
  } catch (const std::invalid_argument& e) {
    auto flags = flag_of_field<SaeConfig>();
    flags.insert(flags.end(), {{"aux_k", "latents"}, {"warmup_steps", "steps"}, {"n_latents × batch_size", "latents"},
                               {"n_latents × input_dim", "latents"}});
    rethrow_as_usage(e, flags);
  }

  const uint64_t seed = static_cast<uint64_t>(config.seed);
  auto data = std::make_shared<LmActivationData>(
      collect_activations(model, corpus, *hook, Split::train, windows, seed),
      collect_activations(model, corpus, *hook, Split::heldout, kHeldoutWindows, seed), seed);
  SaeTrainer trainer(config, data);
  Progress progress(config.steps, !json);
  const double t0 = now_seconds();
  while (trainer.step() < config.steps) {
    trainer.train(std::min<int64_t>(50, config.steps - trainer.step()));
    progress.update(trainer.step(), trainer.last_loss().total);
  }
  const double seconds = std::max(now_seconds() - t0, 1e-9);
  progress.finish();
  Sae& sae = trainer.sae();

  const LmActivationSet& held = data->heldout_set();
  const SaeMetrics metrics = compute_sae_metrics(sae, held.X, data->true_features());
  const LmWindows w = heldout_windows(corpus, mc.context, kSpliceWindows, seed);
  const SpliceMetrics splice = splice_metrics(model, sae, *hook, w.x.data(), w.y.data(), w.B, w.T);
  const LatentCodes codes = encode_set(sae, held);
  const LabelCounts counts = count_labels(codes, held, static_cast<int>(corpus.labels.size()));
  const std::vector<LatentSummary> list =
      latent_list(codes, counts, corpus.has_labels() ? LatentOrder::label : LatentOrder::frequency);

  std::string saved;
  if (save) {
    save_saelens_dir(*save, lm_sae_to_saelens(sae, mc, *hook));
    saved = *save;
  }

  if (json) {
    Json out;
    Json cfg = config.to_json();
    for (const char* k : {"data", "npy_path", "input_dim", "true_features", "active", "power_law",
                          "group_size", "orthogonal", "toy_steps"})
      cfg.erase(k);
    cfg["hook"] = *hook;
    cfg["windows"] = windows;
    cfg["d_in"] = sae.d();
    cfg["model_name"] = saelens_model_name(mc);
    out["config"] = cfg;
    out["seconds"] = seconds;
    out["metrics"] = Json{{"l0", metrics.l0},
                          {"fve", metrics.fve},
                          {"dead_fraction", metrics.dead_fraction},
                          {"ce_loss_score", number_or_null(splice.ce_loss_score)},
                          {"kl", splice.kl},
                          {"mse", metrics.mse},
                          {"clean_loss", splice.clean_loss},
                          {"sae_loss", splice.sae_loss},
                          {"zero_loss", splice.zero_loss}};
    Json latents = Json::array();
    for (const LatentSummary& s : list) {
      const bool has = s.label.label >= 0;
      latents.push_back(Json{{"index", s.index},
                             {"frequency", s.frequency},
                             {"label", has ? Json(corpus.labels[s.label.label].name) : Json(nullptr)},
                             {"precision", has ? Json(s.label.precision) : Json(nullptr)},
                             {"recall", has ? Json(s.label.recall) : Json(nullptr)}});
    }
    out["latents"] = std::move(latents);
    Json labels = Json::array();  // each label's best latent (largest F1), null when none fires with it
    for (int k = 0; k < static_cast<int>(corpus.labels.size()); ++k) {
      const int i = best_latent_for_label(codes, counts, k);
      const LabelMatch m = i >= 0 ? label_match(codes, counts, i, k) : LabelMatch{};
      labels.push_back(Json{{"label", corpus.labels[k].name},
                            {"latent", i >= 0 ? Json(i) : Json(nullptr)},
                            {"precision", i >= 0 ? Json(m.precision) : Json(nullptr)},
                            {"recall", i >= 0 ? Json(m.recall) : Json(nullptr)}});
    }
    out["labels"] = std::move(labels);
    out["saved"] = saved.empty() ? Json(nullptr) : Json(saved);
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("%s SAE, %d latents, on %s (%d values) of %s: %lld steps in %.1f s on %d activations\n",
              config.arch.c_str(), config.n_latents, hook->c_str(), sae.d(), saelens_model_name(mc).c_str(),
              static_cast<long long>(config.steps), seconds, data->train_set().size());
  std::printf("held-out: L0 %.2f, FVE %.4f, dead %.3f; loss clean %.4f, with the SAE %.4f, zero-ablated %.4f: "
              "ce_loss_score %.4f, KL %.4f\n",
              metrics.l0, metrics.fve, metrics.dead_fraction, splice.clean_loss, splice.sae_loss, splice.zero_loss,
              splice.ce_loss_score, splice.kl);
  if (corpus.has_labels()) {
    std::printf("\nlatents best matching a label (held-out, by F1):\n%-8s %-10s %-18s %-10s %s\n", "latent",
                "frequency", "label", "precision", "recall");
    for (std::size_t i = 0; i < std::min<std::size_t>(10, list.size()); ++i) {
      const LatentSummary& s = list[i];
      if (s.label.label < 0) break;
      std::printf("%-8d %-10.4f %-18s %-10.3f %.3f\n", s.index, s.frequency, corpus.labels[s.label.label].name.c_str(),
                  s.label.precision, s.label.recall);
    }
  }
  if (!saved.empty()) std::printf("saved %s\n", saved.c_str());
  return 0;
}

}  // namespace superpose::cli
