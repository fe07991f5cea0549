#include "cli/interp_setup.hpp"

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/toy_flags.hpp"
#include "interp/trained_sae.hpp"

namespace superpose::cli {

namespace {
// --sae's values: the session's SAE kinds but saelens (a file: the session's import only).
std::vector<std::string> flag_sae_kinds() {
  std::vector<std::string> kinds = interp_sae_kinds();
  kinds.erase(std::find(kinds.begin(), kinds.end(), "saelens"));
  return kinds;
}
}  // namespace

std::string interp_flags_help() {
  return "  --sae " + join_choices(flag_sae_kinds(), "|") + R"(
                            the SAE (default topk): one of sae/'s architectures trained on the
                            toy model's hidden activations h = W x, or perfect = hand-built from
                            the toy model's feature columns
  --latents L=2·n_features  SAE latents
  --l1 λ=0.01               sparsity coefficient: L1 (relu, gated) or L0 (jumprelu)
  --k K=1                   active latents per sample (topk, batchtopk, matryoshka; matryoshka's
                            prefixes: latents/16 and latents/4, those ≥ 1)
  --sae-steps S=1000        SAE training steps (batch 256, lr 1e-2)
  --sae-seed SEED=--seed    the SAE's seed (its initialisation and data stream)
)" + flags_help_of<InterventionConfig>({"instance", "eval_batch"});
}

bool take_interp_help(Args& a, const std::string& head, const std::vector<std::string>& fields,
                      const char* tail) {
  return take_help(a, {head, flags_help_of<InterventionConfig>(fields), tail, toy_flags_help(),
                       interp_flags_help()});
}

namespace {
// The session's SAE fields (its errors say "sae.<field>") and intervention fields → flags.
const std::vector<std::pair<std::string, std::string>> kSaeFlagOfField = {
    {"n_latents", "latents"},  {"l1", "l1"},
    {"k", "k"},                {"steps", "sae-steps"},
    {"warmup_steps", "sae-steps"}, {"seed", "sae-seed"},
    {"n_latents × batch_size", "latents"}, {"n_latents × input_dim", "latents"}};
const std::vector<std::pair<std::string, std::string>> kFlagOfField = {
    {"instance", "instance"}, {"eval_batch", "eval-batch"}};
}  // namespace

InterpSetup interp_setup_from_flags(Args& a) {
  Json config;
  config["toy"] = toy_config_from_flags(a).to_json();
  Json sae = Json::object();
  if (auto v = a.take("sae")) sae["kind"] = parse_choice("sae", *v, flag_sae_kinds());
  if (auto v = a.take("latents")) sae["n_latents"] = parse_int("latents", *v);
  if (auto v = a.take("l1")) sae["l1"] = parse_number("l1", *v);
  if (auto v = a.take("k")) sae["k"] = parse_int("k", *v);
  if (auto v = a.take("sae-steps")) sae["steps"] = parse_int("sae-steps", *v);
  if (auto v = a.take("sae-seed")) sae["seed"] = parse_int("sae-seed", *v);
  config["sae"] = std::move(sae);
  if (auto v = a.take("instance")) config["instance"] = parse_int("instance", *v);
  if (auto v = a.take("eval-batch")) config["eval_batch"] = parse_int("eval-batch", *v);
  InterpSetup s;
  try {
    s.config = s.session->configure(config);
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    if (message.rfind("sae.", 0) == 0)
      rethrow_as_usage(std::invalid_argument(message.substr(4)), kSaeFlagOfField);
    rethrow_as_usage(e, kFlagOfField);
  }
  return s;
}

void train_and_prepare(InterpSetup& s) {
  Progress progress(s.toy().steps, !s.json);
  for (;;) {
    const Json answer = s.session->step(200);
    if (answer.at("ready").get<bool>()) break;
    progress.update(answer.at("step").get<long long>(), answer.at("loss_total").get<double>());
  }
  progress.finish();
}

Json InterpSetup::config_json() const {
  Json j;
  for (const char* key : {"toy", "sae", "instance", "eval_batch"}) j[key] = config.at(key);
  return j;
}

}  // namespace superpose::cli
