// `superpose lm`: the language-model lab on the command line (issue 15): train the tiny
// transformer on the toy world or a text file (through the page's session, kind "lm"), save it,
// and read a saved one: sample from a prompt, ablate every head and MLP on a prompt; train an
// SAE on its activations (cmd_lm_sae.cpp, issue 16) and steer along one of its latents
// (cmd_lm_steer.cpp, issue 16).
// Flags and JSON keys are a contract (issue 15); see `superpose lm --help`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/lm_io.hpp"
#include "core/check.hpp"
#include "io/safetensors.hpp"
#include "lm/lm_ablation.hpp"
#include "lm/lm_checkpoint.hpp"
#include "lm/lm_probe.hpp"
#include "lm/sampler.hpp"
#include "lm/toy_world.hpp"
#include "session/lm_session.hpp"

namespace superpose::cli {

namespace {
const char* kUsage = R"(usage: superpose lm train|sample|ablate|sae|steer [flags]   (superpose lm COMMAND --help)
  train    train a GPT-2-style transformer on the toy world or a text file
  sample   continue a prompt with a saved model
  ablate   each head's and MLP's effect on a prompt, for a saved model
  sae      train a sparse autoencoder on a saved model's activations at one hook
  steer    steer a saved model along an SAE latent: the next token before and after
)";
const char* kTrainHelp = R"(usage: superpose lm train [flags]
A decoder-only transformer (pre-LayerNorm, GELU MLP 4×, learned positions, tied unembedding)
trained with AdamW (warm-up, cosine decay) on windows of the toy world language (cities and
their climates, travel, animals, colours, counting, repeated spans) or of any text file's bytes.
)";
const char* kTrainTail = R"(  --save DIR                write DIR/model.safetensors (GPT-2 tensor names; config and
                            vocabulary in the metadata)
  --json                    print JSON: {config, steps_per_second, tokens_per_second, train_loss,
                            eval_loss, probes: {temperature: {correct, total}} (toy world),
                            samples: [{prompt, text}], saved}
)";
const char* kSampleHelp = R"(usage: superpose lm sample --load DIR --prompt TEXT [flags]
Continue a prompt with a saved model (DIR/model.safetensors from lm train --save).
  --load DIR                the saved model's folder
  --prompt TEXT             what the model reads (a word model: its vocabulary's words)
  --tokens N=20             tokens to write, in [0, 1000]
  --temperature T=0         0: the most probable token each time; else softmax(logits / T), in
                            [0, 100]
  --seed SEED=0             seed of the sampled tokens
  --json                    print JSON: {prompt, text, next_token: [{token, p}, ...] (top 10)}
)";
const char* kAblateHelp = R"(usage: superpose lm ablate --load DIR --prompt TEXT [flags]
Each attention head's and each MLP's effect on a prompt: its output replaced by zero or by its
mean over the prompt's positions, the change of the loss on the prompt's own next tokens (the
target last) and of the probability of the target after it.
  --load DIR                the saved model's folder
  --prompt TEXT             the prompt (at least 2 tokens)
  --target TOKEN            the next token to measure (default: the model's top prediction)
  --ablation zero|mean      (default mean)
  --json                    print JSON: {prompt, target, clean: {loss, target_prob}, components:
                            [{name, layer, head (null: the MLP), loss, loss_delta, target_prob,
                            target_prob_delta}]}
)";

// argv shifted past "lm" so that the subcommand's flags start at index 2, as for the others.
char** shifted(char** argv) { return argv + 1; }

std::vector<int32_t> prompt_ids(Args& a, const Tokenizer& tok, int min_tokens) {
  const auto prompt = a.take("prompt");
  if (!prompt) throw UsageError("--prompt TEXT is required");
  std::vector<int32_t> ids;
  try {
    ids = tok.encode(*prompt);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--prompt: ") + e.what());
  }
  if (static_cast<int>(ids.size()) < min_tokens)
    throw UsageError("--prompt must hold at least " + std::to_string(min_tokens) + " token" +
                     (min_tokens > 1 ? "s" : "") + " (got " + std::to_string(ids.size()) + ")");
  return ids;
}

Json top_json(const std::vector<float>& probs, const Tokenizer& tok, int k) {
  Json out = Json::array();
  for (const TokenProb& t : top_tokens(probs, k)) out.push_back(Json{{"token", tok.display(t.token)}, {"p", t.p}});
  return out;
}

// The prompts a trained model continues in lm train's report.
std::vector<std::string> sample_prompts(const Corpus& c) {
  if (c.tokenizer.kind() == TokenizerKind::word)
    return {california_probe().prompt, temperature_probe()[0].prompt, "one two three"};
  const std::size_t n = std::min<std::size_t>(16, c.heldout.size());
  return {c.decode(std::vector<int32_t>(c.heldout.begin(), c.heldout.begin() + static_cast<std::ptrdiff_t>(n)))};
}

int lm_train(int argc, char** argv) {
  Args args = config_args<LmRunConfig>(argc - 1, shifted(argv), {});
  if (take_help(args, {kTrainHelp, flags_help<LmRunConfig>(), kTrainTail})) return 0;
  const bool json = args.take_flag("json");
  Json config = flags_to_json<LmRunConfig>(args);
  std::vector<uint8_t> file;
  if (auto d = args.take("data")) {
    if (*d == "toy") {
      config["data"] = "toy";
    } else if (d->size() > 4 && d->compare(d->size() - 4, 4, ".txt") == 0) {
      config["data"] = "text";
      file = read_file_bytes(*d);
    } else {
      throw UsageError("--data must be toy or a FILE.txt (got '" + *d + "')");
    }
  }
  auto save = args.take("save");
  if (save && save->empty()) throw UsageError("--save needs a folder");
  args.finish();

  LmSession session;
  try {
    if (config.value("data", "toy") == "text") session.configure_with_file(config, file);
    else session.configure(config);
  } catch (const std::invalid_argument& e) {
    auto flags = flag_of_field<LmRunConfig>();
    flags.insert(flags.end(), {{"text file", "data"}, {"the text file", "data"}, {"n_heads", "heads"}});
    rethrow_as_usage(e, flags);
  }
  LmRun& run = session.run();
  const LmConfig& m = run.config().model;
  Progress progress(m.steps, !json);
  const double t0 = now_seconds();
  while (!run.done()) {
    session.step(20);
    progress.update(run.step(), run.last_train_loss());
  }
  const double seconds = std::max(now_seconds() - t0, 1e-9);
  progress.finish();

  const double eval_loss = run.eval_loss();
  const double steps_per_second = static_cast<double>(m.steps) / seconds;
  const double tokens_per_second = steps_per_second * m.batch_size * m.context;
  Transformer& model = run.model();
  const Corpus& corpus = run.corpus();
  Json samples = Json::array();
  for (const std::string& prompt : sample_prompts(corpus)) {
    const std::vector<int32_t> out = generate(model, corpus.encode(prompt), 12, 0.0, 0);
    samples.push_back(Json{{"prompt", prompt}, {"text", corpus.decode(out)}});
  }
  Json probes = Json::object();
  std::optional<ProbeResult> probe;
  if (m.data == "toy") {
    probe = temperature_probe_result(model, corpus);
    probes["temperature"] = Json{{"correct", probe->correct}, {"total", probe->total}};
  }
  std::string saved;
  if (save) {
    std::error_code ec;
    std::filesystem::create_directories(*save, ec);
    if (ec) throw std::runtime_error("cannot create " + *save + ": " + ec.message());
    saved = lm_model_path(*save);
    write_file_bytes(saved, save_lm(model, corpus.tokenizer));
  }

  if (json) {
    Json out;
    out["config"] = fields_to_json(run.config());
    out["n_params"] = model.n_params();
    out["vocab_size"] = corpus.vocab_size();
    out["steps_per_second"] = steps_per_second;
    out["tokens_per_second"] = tokens_per_second;
    out["train_loss"] = run.last_train_loss();
    out["eval_loss"] = eval_loss;
    out["probes"] = std::move(probes);
    out["samples"] = std::move(samples);
    out["saved"] = saved.empty() ? Json(nullptr) : Json(saved);
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("language model: %d layers, d_model %d, %d heads, context %d, %zu parameters, %s "
              "(vocabulary %d)\n",
              m.n_layers, m.d_model, m.n_heads, m.context, model.n_params(), corpus.source.c_str(),
              corpus.vocab_size());
  std::printf("trained %lld steps of %d × %d tokens in %.2f s: %.1f steps/s, %.0f tokens/s\n",
              static_cast<long long>(m.steps), m.batch_size, m.context, seconds, steps_per_second,
              tokens_per_second);
  std::printf("loss: train %.4f (last step), held-out %.4f\n", run.last_train_loss(), eval_loss);
  if (probe) std::printf("temperature probe: %d / %d prompts answered right\n", probe->correct, probe->total);
  for (const Json& s : samples)
    std::printf("  %s → %s\n", s["prompt"].get<std::string>().c_str(), s["text"].get<std::string>().c_str());
  if (!saved.empty()) std::printf("saved %s\n", saved.c_str());
  return 0;
}

int lm_sample(int argc, char** argv) {
  Args args(argc - 1, shifted(argv), 2, {"json", "help"});
  if (take_help(args, {kSampleHelp})) return 0;
  const bool json = args.take_flag("json");
  int tokens = 20;
  double temperature = 0;
  long long seed = 0;
  if (auto v = args.take("tokens")) tokens = static_cast<int>(parse_int("tokens", *v));
  if (auto v = args.take("temperature")) temperature = parse_number("temperature", *v);
  if (auto v = args.take("seed")) seed = parse_int("seed", *v);
  if (tokens < 0 || tokens > 1000) throw UsageError("--tokens must be in [0, 1000] (got " + std::to_string(tokens) + ")");
  if (!(temperature >= 0 && temperature <= 100))
    throw UsageError("--temperature must be in [0, 100] (got " + format_number(temperature) + ")");
  if (seed < 0 || seed > 4294967295LL) throw UsageError("--seed must be in [0, 2^32-1] (got " + std::to_string(seed) + ")");
  LoadedLm lm = load_lm_flag(args);
  const std::vector<int32_t> ids = prompt_ids(args, lm.tokenizer, 1);
  args.finish();
  const std::vector<float> probs = next_token_probs(*lm.model, ids.data(), static_cast<int>(ids.size()));
  const std::vector<int32_t> out = generate(*lm.model, ids, tokens, temperature, static_cast<uint64_t>(seed));
  const std::string prompt = lm.tokenizer.decode(ids), text = lm.tokenizer.decode(out);
  if (json) {
    std::cout << Json{{"prompt", prompt}, {"text", text}, {"next_token", top_json(probs, lm.tokenizer, 10)}}.dump() << "\n";
    return 0;
  }
  std::printf("%s → %s\n\nnext token:\n", prompt.c_str(), text.c_str());
  for (const TokenProb& t : top_tokens(probs, 10)) std::printf("  %-14s %.4f\n", lm.tokenizer.display(t.token).c_str(), t.p);
  return 0;
}

int lm_ablate(int argc, char** argv) {
  Args args(argc - 1, shifted(argv), 2, {"json", "help"});
  if (take_help(args, {kAblateHelp})) return 0;
  const bool json = args.take_flag("json");
  LmAblationMode mode = LmAblationMode::mean;
  if (auto v = args.take("ablation")) mode = parse_choice("ablation", *v, {"zero", "mean"}) == "zero" ? LmAblationMode::zero : LmAblationMode::mean;
  const auto target_text = args.take("target");
  LoadedLm lm = load_lm_flag(args);
  std::vector<int32_t> ids = prompt_ids(args, lm.tokenizer, 2);
  args.finish();
  Transformer& model = *lm.model;
  const int context = model.config().context;
  if (static_cast<int>(ids.size()) > context + 1) ids.erase(ids.begin(), ids.end() - (context + 1));
  int32_t target;
  if (target_text) {
    target = lm.tokenizer.id_of(*target_text);
    if (target < 0) throw UsageError("--target \"" + *target_text + "\" is not one token of the model's vocabulary");
  } else {
    target = top_tokens(next_token_probs(model, ids.data(), static_cast<int>(ids.size())), 1)[0].token;
  }
  // The prompt predicts its own next tokens and then the target: x = ids, y = ids[1..] + target;
  // P(target) is read at the last position. Mean ablation averages over the prompt's positions.
  if (static_cast<int>(ids.size()) > context) ids.erase(ids.begin(), ids.end() - context);
  const int T = static_cast<int>(ids.size());
  std::vector<int32_t> y(ids.begin() + 1, ids.end());
  y.push_back(target);
  const AblationEffects r = ablation_effects(model, ids.data(), y.data(), 1, T, mode, T - 1, target);
  if (json) {
    Json comps = Json::array();
    for (const AblationEffect& c : r.components)
      comps.push_back(Json{{"name", c.name}, {"layer", c.component.layer},
                           {"head", c.component.head >= 0 ? Json(c.component.head) : Json(nullptr)},
                           {"loss", c.loss}, {"loss_delta", c.loss - r.loss},
                           {"target_prob", c.p_token}, {"target_prob_delta", c.p_token - r.p_token}});
    std::cout << Json{{"prompt", lm.tokenizer.decode(ids)}, {"target", lm.tokenizer.display(target)},
                      {"clean", Json{{"loss", r.loss}, {"target_prob", r.p_token}}},
                      {"components", comps}}.dump() << "\n";
    return 0;
  }
  std::printf("prompt: %s\ntarget: %s   clean loss %.4f, P(target) %.4f\n\n", lm.tokenizer.decode(ids).c_str(),
              lm.tokenizer.display(target).c_str(), r.loss, r.p_token);
  std::printf("%-10s %-10s %-11s %-12s %s\n", "component", "loss", "Δloss", "P(target)", "ΔP(target)");
  for (const AblationEffect& c : r.components)
    std::printf("%-10s %-10.4f %+-11.4f %-12.4f %+.4f\n", c.name.c_str(), c.loss, c.loss - r.loss,
                c.p_token, c.p_token - r.p_token);
  return 0;
}
}  // namespace

int cmd_lm(int argc, char** argv) {
  if (argc < 3 || !std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "help")) {
    std::fputs(kUsage, argc < 3 ? stderr : stdout);
    return argc < 3 ? 2 : 0;
  }
  const std::string sub = argv[2];
  if (sub == "train") return lm_train(argc, argv);
  if (sub == "sample") return lm_sample(argc, argv);
  if (sub == "ablate") return lm_ablate(argc, argv);
  if (sub == "sae") return cmd_lm_sae(argc, argv);
  if (sub == "steer") return cmd_lm_steer(argc, argv);
  throw UsageError("unknown lm command '" + sub + "' (train, sample, ablate, sae, steer)");
}

}  // namespace superpose::cli
