#include "cli/interp_setup.hpp"

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/toy_flags.hpp"
#include "core/check.hpp"
#include "interp/perfect_sae.hpp"
#include "interp/trained_sae.hpp"

namespace superpose::cli {

const char* const kInterpFlagsHelp =
    R"(  --sae topk|relu|gated|jumprelu|batchtopk|perfect   (default topk) the SAE: one of sae/'s
                            architectures trained on the toy model's hidden activations h = W x,
                            or perfect = hand-built from the toy model's feature columns
  --latents L=2·n_features  SAE latents
  --l1 λ=0.01               sparsity coefficient: L1 (relu, gated) or L0 (jumprelu)
  --k K=1                   active latents per sample (topk, batchtopk)
  --sae-steps S=1000        SAE training steps (batch 256, lr 1e-2)
  --sae-seed SEED=--seed    the SAE's seed (its initialisation and data stream)
  --instance K=0            which toy instance to intervene on
  --eval-batch B=4096       inputs for the statistics (max/mean activations) and the loss changes
)";

InterpSetup interp_setup_from_flags(Args& a) {
  InterpSetup s;
  s.toy = toy_config_from_flags(a);
  if (auto v = a.take("sae"))
    s.sae = parse_choice("sae", *v, {"topk", "relu", "gated", "jumprelu", "batchtopk", "perfect"});
  SaeConfig& c = s.sae_config;
  c = interp_sae_defaults(s.toy);
  c.arch = s.sae == "perfect" ? std::string("topk") : s.sae;
  if (auto v = a.take("latents")) c.n_latents = static_cast<int>(parse_int("latents", *v));
  if (auto v = a.take("l1")) c.l1 = parse_number("l1", *v);
  if (auto v = a.take("k")) c.k = parse_int("k", *v);
  if (auto v = a.take("sae-steps")) c.steps = parse_int("sae-steps", *v);
  if (auto v = a.take("sae-seed")) c.seed = parse_int("sae-seed", *v);
  c.input_dim = s.toy.n_hidden;
  c.true_features = s.toy.n_features;
  c.active = std::min<double>(c.active, c.true_features);
  c.aux_k = std::max(1, c.n_latents / 2);
  try {
    c.validate();
  } catch (const std::invalid_argument& e) {
    rethrow_as_usage(e, {{"n_latents", "latents"},
                         {"l1", "l1"},
                         {"k", "k"},
                         {"steps", "sae-steps"},
                         {"warmup_steps", "sae-steps"},
                         {"seed", "sae-seed"},
                         {"n_latents × batch_size", "latents"},
                         {"n_latents × input_dim", "latents"}});
  }
  if (auto v = a.take("instance")) {
    const long long k = parse_int("instance", *v);
    if (k < 0 || k >= s.toy.n_instances)
      throw UsageError("--instance: instance must be in [0, n_instances-1=" +
                       std::to_string(s.toy.n_instances - 1) + "] (got " + *v + ")");
    s.instance = static_cast<int>(k);
  }
  if (auto v = a.take("eval-batch")) {
    const long long b = parse_int("eval-batch", *v);
    if (b < 1 || b > (1 << 20))
      throw UsageError("--eval-batch: eval_batch must be in [1, 1048576] (got " + *v + ")");
    s.eval_batch = static_cast<int>(b);
  }
  return s;
}

void train_and_prepare(InterpSetup& s) {
  s.model = std::make_unique<ToyModel>(s.toy);
  Progress progress(s.toy.steps, !s.json);
  for (int64_t done = 0; done < s.toy.steps;) {
    const int64_t chunk = std::min<int64_t>(200, s.toy.steps - done);
    s.model->train(chunk);
    done += chunk;
    double total = 0;
    for (float l : s.model->last_loss()) total += l;
    progress.update(done, total);
  }
  progress.finish();
  const SplitToyModel split = SplitToyModel::from(*s.model, s.instance);
  SaeView sae = s.sae == "perfect" ? perfect_sae(split)
                                    : trained_sae(split, s.toy, s.instance, s.sae_config);
  s.interventions = std::make_unique<Interventions>(*s.model, s.instance, std::move(sae),
                                                    static_cast<uint64_t>(s.toy.seed),
                                                    s.eval_batch, s.eval_batch);
}

Json InterpSetup::config_json() const {
  Json j;
  j["toy"] = toy.to_json();
  j["sae"] = Json{{"kind", sae}};
  if (sae != "perfect") {
    j["sae"]["n_latents"] = sae_config.n_latents;
    j["sae"]["l1"] = sae_config.l1;
    j["sae"]["k"] = sae_config.k;
    j["sae"]["steps"] = sae_config.steps;
    j["sae"]["seed"] = sae_config.seed;
  }
  j["instance"] = instance;
  j["eval_batch"] = eval_batch;
  return j;
}

}  // namespace superpose::cli
