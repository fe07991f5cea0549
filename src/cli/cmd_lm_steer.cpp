// `superpose lm steer` (issue 16): steer a saved language model along one latent of a saved SAE
// (a SAELens folder naming its hook: lm/lm_saelens.hpp) and print the next token and a greedy
// continuation of a prompt before and after (lm/lm_steering.hpp). The latent is given by index
// or as the one best matching a ground-truth label of the toy world (lm/feature_dashboard.hpp);
// its scale, the largest activation, and the label match are measured on held-out windows.
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
const char* kHelp = R"(usage: superpose lm steer --load DIR --sae DIR2 --prompt TEXT (--latent I | --label NAME) --strength S [flags]
Add strength · W_dec[:, i] · max_i to the SAE's hook at the prompt's last token, where max_i is
latent i's largest activation on 256 held-out windows of the corpus (seed 0, as lm sae measures),
and compare the model's next token and greedy continuation before and after.
  --load DIR                the model's folder (lm train --save)
  --sae DIR2                a SAELens folder whose cfg.json names the hook (lm sae --save)
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
                            p}], text_before, text_after, hook, strength, label: {name,
                            precision, recall} (the latent's match to --label, or its best
                            label; null without labels)}; before/after: the top 10
)";

constexpr int kStatWindows = 256;  // held-out windows for max_i and the label match
constexpr int kTop = 10;           // next tokens listed

Json top_json(const std::vector<TokenProb>& top, const Tokenizer& tok) {
  Json out = Json::array();
  for (const TokenProb& t : top) out.push_back(Json{{"token", tok.display(t.token)}, {"p", t.p}});
  return out;
}
}  // namespace

int cmd_lm_steer(int argc, char** argv) {
  Args args(argc - 1, argv + 1, 2, {"json", "help"});
  if (args.take_flag("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const bool json = args.take_flag("json");
  const auto latent_flag = args.take("latent"), label_flag = args.take("label");
  if (latent_flag.has_value() == label_flag.has_value())
    throw UsageError("give one of --latent I or --label NAME");
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
  if (!sae_dir || sae_dir->empty()) throw UsageError("--sae DIR2 is required (a SAELens folder written by lm sae --save)");
  const auto prompt_text = args.take("prompt");
  if (!prompt_text) throw UsageError("--prompt TEXT is required");
  LoadedLm lm = load_lm_flag(args);
  const Corpus corpus = lm_corpus_flag(args, lm);
  args.finish();
  Transformer& model = *lm.model;

  std::vector<int32_t> prompt;
  try {
    prompt = lm.tokenizer.encode(*prompt_text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--prompt: ") + e.what());
  }
  if (prompt.empty()) throw UsageError("--prompt must hold at least 1 token (got 0)");
  LmSaeFile file;
  try {
    file = lm_sae_from_saelens(load_saelens_dir(*sae_dir), SaeConfig{}, model.config());
  } catch (const std::exception& e) {  // a missing file (runtime_error) or a refused one
    throw UsageError("--sae " + *sae_dir + ": " + e.what());
  }
  Sae& sae = *file.sae;
  int label = -1;
  if (label_flag) {
    try {
      label = find_label(corpus, *label_flag);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--label: ") + e.what());
    }
  }
  int latent = -1;
  if (latent_flag) {
    const long long i = parse_int("latent", *latent_flag);
    if (i < 0 || i >= sae.n_latents())
      throw UsageError("--latent must be in [0, " + std::to_string(sae.n_latents() - 1) + "] (got " + *latent_flag + ")");
    latent = static_cast<int>(i);
  }

  const LmActivationSet held = collect_activations(model, corpus, file.hook, Split::heldout, kStatWindows, 0);
  const LatentCodes codes = encode_set(sae, held);
  const LabelCounts counts = count_labels(codes, held, static_cast<int>(corpus.labels.size()));
  if (label >= 0) {
    latent = best_latent_for_label(codes, counts, label);
    if (latent < 0)
      throw UsageError("--label " + *label_flag + ": no latent fires where " + corpus.labels[label].name + " holds");
  }
  const LabelMatch match = label >= 0 ? label_match(codes, counts, latent, label) : best_label(codes, counts, latent);
  float max_activation = 0;
  for (int64_t e = codes.start[latent]; e < codes.start[latent + 1]; ++e)
    max_activation = std::max(max_activation, codes.value[e]);
  steering.vector = latent_steering(sae, model, file.hook, latent, max_activation);
  const SteeringResult r = steer_lm(model, prompt, steering, std::min(kTop, model.vocab_size()), tokens);
  const std::string shown = lm.tokenizer.decode(std::vector<int32_t>(prompt.end() - std::min<std::size_t>(prompt.size(), model.config().context), prompt.end()));
  const std::string text_before = lm.tokenizer.decode(r.text_before), text_after = lm.tokenizer.decode(r.text_after);

  if (json) {
    Json lab = match.label >= 0 ? Json{{"name", corpus.labels[match.label].name}, {"precision", match.precision},
                                       {"recall", match.recall}}
                                : Json(nullptr);
    std::cout << Json{{"latent", latent},
                      {"scale", max_activation},
                      {"before", top_json(r.top_before, lm.tokenizer)},
                      {"after", top_json(r.top_after, lm.tokenizer)},
                      {"text_before", text_before},
                      {"text_after", text_after},
                      {"hook", file.hook},
                      {"strength", steering.strength},
                      {"label", lab}}
                     .dump()
              << "\n";
    return 0;
  }
  std::printf("latent %d", latent);
  if (match.label >= 0)
    std::printf(" (%s: precision %.3f, recall %.3f)", corpus.labels[match.label].name.c_str(), match.precision,
                match.recall);
  std::printf(", max activation %.4f; strength %g at %s, %s\n", max_activation, steering.strength, file.hook.c_str(),
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
