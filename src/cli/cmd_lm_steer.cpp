// `superpose lm steer` (issue 16): steer a saved language model along one latent of a saved SAE
// (a SAELens folder naming its hook: lm/lm_saelens.hpp), or along the difference of two prompt
// sets' means, or a unit vector of the hook (the page's three directions), and print the next
// token and a greedy continuation of a prompt before and after (lm/lm_steering.hpp). The latent
// is given by index or as the one best matching a ground-truth label of the toy world
// (lm/feature_dashboard.hpp); its scale, the largest activation, and the label match are
// measured on held-out windows.
// Flags and JSON keys are a contract (issue 16); see `superpose lm steer --help`.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/lm_io.hpp"
#include "core/check.hpp"
#include "io/saelens.hpp"
#include "lm/feature_dashboard.hpp"
#include "lm/lm_activations.hpp"
#include "lm/lm_saelens.hpp"
#include "lm/lm_steering.hpp"

namespace superpose::cli {

namespace {
const char* kLmSteerHelp = R"(usage: superpose lm steer --load DIR --sae DIR2 --prompt TEXT (--latent I | --label NAME) --strength S [flags]
       superpose lm steer --load DIR (--sae DIR2 | --hook NAME) --prompt TEXT --direction means --prompts-a A --prompts-b B --strength S
       superpose lm steer --load DIR (--sae DIR2 | --hook NAME) --prompt TEXT --direction unit --unit J --strength S
Add strength · W_dec[:, i] · max_i to the SAE's hook at the prompt's last token, where max_i is
latent i's largest activation on 256 held-out windows of the corpus (seed 0, as lm sae measures),
and compare the model's next token and greedy continuation before and after.
  --load DIR                the model's folder (lm train --save)
  --sae DIR2                a SAELens folder whose cfg.json names the hook (lm sae --save)
  --direction latent        latent (default): W_dec[:, i] · max_i as above; means: the mean of
                            the hook's value at the last token of the --prompts-a prompts minus
                            that of the --prompts-b prompts (scale 1); unit: e_J, the hook's J-th
                            coordinate (scale 1)
  --prompts-a TEXT          --direction means: prompts separated by ; (at most 64 in 4096 bytes)
  --prompts-b TEXT          --direction means: likewise, subtracted
  --unit J                  --direction unit: the coordinate, in [0, the hook's width)
  --hook NAME               --direction means or unit without --sae: the hook to steer at
                            (blocks.L.hook_resid_pre|mid|post, .hook_attn_out, .hook_mlp_out, .mlp.hook_post)
  --prompt TEXT             what the model reads (a word model: its vocabulary's words)
  --latent I                the latent to steer along, in [0, latents)
  --label NAME              the latent that best matches a ground-truth label (largest F1 of
                            precision P(label | fires) and recall P(fires | label) on the
                            held-out windows): a label's name, or X for predicts_X (--label cold
                            = predicts_cold); toy world only
  --strength S              in [-1000, 1000]; 0 changes nothing
  --tokens N=8              greedy tokens written before and after, in [0, 1000]
  --from P                  steer every position ≥ P (prompt and generated tokens) instead of
                            the prompt's last token, P in [0, 1000]
  --data FILE.txt           a byte model's text (its held-out windows give max_i)
  --json                    print JSON: {latent, scale, before: [{token, p}], after: [{token,
                            p}], text_before, text_after, hook, strength, direction, label:
                            {name, precision, recall} (the latent's match to --label, or its
                            best label; null without labels)}; before/after: the top 10; latent
                            and label are null for --direction means and unit
)";

constexpr int kStatWindows = 256;  // held-out windows for max_i and the label match
constexpr int kTop = 10;           // next tokens listed

double vector_norm(const std::vector<float>& v) {
  double n2 = 0;
  for (float x : v) n2 += static_cast<double>(x) * x;
  return std::sqrt(n2);
}

Json top_json(const std::vector<TokenProb>& top, const Tokenizer& tok) {
  Json out = Json::array();
  for (const TokenProb& t : top) out.push_back(Json{{"token", tok.display(t.token)}, {"p", t.p}});
  return out;
}
}  // namespace

int cmd_lm_steer(int argc, char** argv) {
  Args args(argc - 1, argv + 1, 2, {"json", "help"});
  if (take_help(args, {kLmSteerHelp})) return 0;
  const bool json = args.take_flag("json");
  const std::string direction = args.take("direction").value_or("latent");
  if (direction != "latent" && direction != "means" && direction != "unit")
    throw UsageError("--direction must be latent, means or unit (got " + direction + ")");
  const auto latent_flag = args.take("latent"), label_flag = args.take("label");
  const auto prompts_a = args.take("prompts-a"), prompts_b = args.take("prompts-b");
  const auto unit_flag = args.take("unit"), hook_flag = args.take("hook");
  if (direction == "latent") {
    if (latent_flag.has_value() == label_flag.has_value())
      throw UsageError("give one of --latent I or --label NAME");
    if (hook_flag) throw UsageError("--hook goes with --direction means or unit (a latent's hook is its SAE's)");
  } else if (latent_flag || label_flag) {
    throw UsageError("--latent and --label go with --direction latent (got --direction " + direction + ")");
  }
  if (direction != "means" && (prompts_a || prompts_b))
    throw UsageError("--prompts-a and --prompts-b go with --direction means");
  if (direction == "means" && !(prompts_a && prompts_b))
    throw UsageError("--direction means needs --prompts-a TEXT and --prompts-b TEXT");
  if (direction != "unit" && unit_flag) throw UsageError("--unit goes with --direction unit");
  if (direction == "unit" && !unit_flag) throw UsageError("--direction unit needs --unit J");
  const auto strength_flag = args.take("strength");
  if (!strength_flag) throw UsageError("--strength S is required");
  Steering steering;
  steering.strength = parse_number("strength", *strength_flag);
  if (!(std::fabs(steering.strength) <= 1000))
    throw UsageError("--strength must be in [-1000, 1000] (got " + *strength_flag + ")");
  int tokens = 8;
  if (auto v = args.take("tokens")) tokens = static_cast<int>(parse_int("tokens", *v));
  if (tokens < 0 || tokens > 1000) throw UsageError("--tokens must be in [0, 1000] (got " + std::to_string(tokens) + ")");
  if (auto v = args.take("from")) {
    const long long p = parse_int("from", *v);
    if (p < 0 || p > 1000) throw UsageError("--from must be in [0, 1000] (got " + *v + ")");
    steering.from = static_cast<int>(p);
  }
  const auto sae_dir = args.take("sae");
  if (sae_dir && hook_flag) throw UsageError("give one of --sae DIR2 or --hook NAME (the SAE names its hook)");
  if (!hook_flag && (!sae_dir || sae_dir->empty()))
    throw UsageError(direction == "latent" ? "--sae DIR2 is required (a SAELens folder written by lm sae --save)"
                                           : "--direction " + direction + " needs --sae DIR2 or --hook NAME");
  const auto prompt_text = args.take("prompt");
  if (!prompt_text) throw UsageError("--prompt TEXT is required");
  LoadedLm lm = load_lm_flag(args);
  const Corpus corpus = lm_corpus_flag(args, lm);
  args.finish();
  Transformer& model = *lm.model;

  auto encode = [&](const std::string& text) { return lm.tokenizer.encode(text); };
  std::vector<int32_t> prompt;
  try {
    prompt = encode(*prompt_text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--prompt: ") + e.what());
  }
  if (prompt.empty()) throw UsageError("--prompt must hold at least 1 token (got 0)");
  LmSaeFile file;
  std::string hook;
  if (sae_dir) {
    try {
      file = lm_sae_from_saelens(load_saelens_dir(*sae_dir), SaeConfig{}, model.config());
    } catch (const std::exception& e) {  // a missing file (runtime_error) or a refused one
      throw UsageError("--sae " + *sae_dir + ": " + e.what());
    }
    hook = file.hook;
  } else {
    hook = *hook_flag;
  }
  int hook_width = 0;
  try {
    hook_width = sae_hook_dim(hook, model.config());
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--hook: ") + e.what());
  }

  int latent = -1;
  float max_activation = 0;
  LabelMatch match;
  if (direction == "latent") {
    Sae& sae = *file.sae;
    int label = -1;
    if (label_flag) {
      try {
        label = find_label(corpus, *label_flag);
      } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--label: ") + e.what());
      }
    }
    if (latent_flag) {
      const long long i = parse_int("latent", *latent_flag);
      if (i < 0 || i >= sae.n_latents())
        throw UsageError("--latent must be in [0, " + std::to_string(sae.n_latents() - 1) + "] (got " + *latent_flag + ")");
      latent = static_cast<int>(i);
    }
    const LmActivationSet held = collect_activations(model, corpus, hook, Split::heldout, kStatWindows, 0);
    const LatentCodes codes = encode_set(sae, held);
    const LabelCounts counts = count_labels(codes, held, static_cast<int>(corpus.labels.size()));
    if (label >= 0) {
      latent = best_latent_for_label(codes, counts, label);
      if (latent < 0)
        throw UsageError("--label " + *label_flag + ": no latent fires where " + corpus.labels[label].name + " holds");
    }
    match = label >= 0 ? label_match(codes, counts, latent, label) : best_label(codes, counts, latent);
    for (int64_t e = codes.start[latent]; e < codes.start[latent + 1]; ++e)
      max_activation = std::max(max_activation, codes.value[e]);
    steering.vector = latent_steering(sae, model, hook, latent, max_activation);
  } else if (direction == "means") {
    try {
      steering.vector = mean_difference_steering(model, hook, read_prompt_list(*prompts_a, "--prompts-a", encode),
                                                 read_prompt_list(*prompts_b, "--prompts-b", encode));
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  } else {
    const long long j = parse_int("unit", *unit_flag);
    if (j < 0 || j >= hook_width)
      throw UsageError("--unit must be in [0, " + std::to_string(hook_width - 1) + "] for " + hook + " (got " + *unit_flag + ")");
    std::vector<float> e(static_cast<std::size_t>(hook_width), 0.f);
    e[static_cast<std::size_t>(j)] = 1.f;
    steering.vector = unit_steering(model, hook, std::move(e), 1.0);
  }
  const SteeringResult r = steer_lm(model, prompt, steering, std::min(kTop, model.vocab_size()), tokens);
  const std::string shown = lm.tokenizer.decode(std::vector<int32_t>(prompt.end() - std::min<std::size_t>(prompt.size(), model.config().context), prompt.end()));
  const std::string text_before = lm.tokenizer.decode(r.text_before), text_after = lm.tokenizer.decode(r.text_after);
  const double scale = steering.vector.scale;

  if (json) {
    Json lab = match.label >= 0 ? Json{{"name", corpus.labels[match.label].name}, {"precision", match.precision},
                                       {"recall", match.recall}}
                                : Json(nullptr);
    std::cout << Json{{"latent", latent >= 0 ? Json(latent) : Json(nullptr)},
                      {"scale", scale},
                      {"before", top_json(r.top_before, lm.tokenizer)},
                      {"after", top_json(r.top_after, lm.tokenizer)},
                      {"text_before", text_before},
                      {"text_after", text_after},
                      {"hook", hook},
                      {"strength", steering.strength},
                      {"direction", direction},
                      {"label", lab}}
                     .dump()
              << "\n";
    return 0;
  }
  if (direction == "latent") {
    std::printf("latent %d", latent);
    if (match.label >= 0)
      std::printf(" (%s: precision %.3f, recall %.3f)", corpus.labels[match.label].name.c_str(), match.precision,
                  match.recall);
    std::printf(", max activation %.4f", max_activation);
  } else if (direction == "means") {
    std::printf("mean of --prompts-a minus mean of --prompts-b (norm %.4f)", vector_norm(steering.vector.direction));
  } else {
    std::printf("unit vector e_%s of %s", unit_flag->c_str(), hook.c_str());
  }
  std::printf("; strength %g at %s, %s\n", steering.strength, hook.c_str(),
              steering.from < 0 ? "the prompt's last token" : ("every position from " + std::to_string(steering.from)).c_str());
  std::printf("before: %s → %s\nafter:  %s → %s\n\n", shown.c_str(), text_before.c_str(), shown.c_str(),
              text_after.c_str());
  std::printf("%-16s %-8s   %-16s %s\n", "next (before)", "p", "next (after)", "p");
  for (std::size_t k = 0; k < r.top_before.size(); ++k)
    std::printf("%-16s %-8.4f   %-16s %.4f\n", lm.tokenizer.display(r.top_before[k].token).c_str(), r.top_before[k].p,
                lm.tokenizer.display(r.top_after[k].token).c_str(), r.top_after[k].p);
  return 0;
}

}  // namespace superpose::cli
