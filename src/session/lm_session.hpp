// The language-model lab (issue 15) as a Session (kind "lm"; docs/wasm-api.md): step(k) trains
// the transformer k steps on the toy world or a text file (configure_with_file); the buffers
// show, for the config's prompt, what the model makes of it now: the next-token distribution,
// a greedy and a sampled continuation, every head's attention pattern, the logit lens, the
// direct logit attribution of every component to the target token, and each head's and MLP's
// ablation effect on the held-out loss and on the target's probability; on the toy world also
// the temperature probe. A configure that changes only the view keys (LmViewConfig) keeps the
// trained model, so a new prompt needs no retraining.
// Issue 16: with sae_steps > 0, the run goes on after the model's last step with an SAE stage
// (session/lm_sae_stage.hpp): step(k) then trains a sparse autoencoder on the model's
// activations at sae_hook, and the buffers add its metrics and history. step and total_steps count
// both stages (the model's steps, then the SAE's). A change of an SAE key keeps the trained model
// and starts the SAE again; a view key keeps both.
// Not here: the model, data and readouts (lm/), anything browser-specific.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "lm/lm_run.hpp"
#include "session/lm_sae_stage.hpp"
#include "session/session.hpp"

namespace superpose {

// What the page looks at: the prompt and how the model's answer to it is read.
struct LmViewConfig {
  std::string prompt = "the weather in california is";
  std::string target;        // the token attributed and ablated for; "": the model's top prediction
  double temperature = 1.0;  // of the sampled continuation (the greedy one is beside it)
  int sample_tokens = 12;    // tokens of each continuation
  int64_t sample_seed = 0;
  std::string ablation = "mean";  // zero | mean
  int top_k = 5;             // tokens listed per distribution (next token, logit lens)

  template <class C, class V> static void fields(C& c, V& v) {
    v(c.prompt, Field("prompt", "the text the model reads (toy world: its words; text: any bytes)"));
    v(c.target, Field("target", "the token attributed and ablated for (empty: the top prediction)"));
    v(c.temperature, Field("temperature", "of the sampled continuation (0: greedy)").range(0, 100));
    v(c.sample_tokens, Field("sample_tokens", "tokens per continuation").range(1, 128).unit("tokens"));
    v(c.sample_seed, Field("sample_seed", "seed of the sampled continuation").range(0, kMaxSeed));
    v(c.ablation, Field("ablation", "what an ablated head or MLP output is replaced by")
                      .one_of({"zero", "mean"}));
    v(c.top_k, Field("top_k", "tokens listed per distribution").range(1, 50));
  }
};

// How the page looks at the SAE (issue 16): which latent's dashboard, how the list is sorted,
// and the steering and latent ablation on the prompt. View keys: a change keeps model and SAE.
struct LmFeatureViewConfig {
  int latent = -1;                   // -1: the latent that best matches latent_label
  std::string latent_label = "cold"; // a label name, or X for predicts_X (toy world)
  std::string latent_order = "label";
  double steer_strength = 0;
  int steer_from = -1;               // -1: the prompt's last token; p: every position from p on
  std::string steer_direction = "latent";
  std::string steer_prompts_a = "the weather in oslo is; the weather in iceland is";
  std::string steer_prompts_b = "the weather in california is; the weather in egypt is";
  int steer_unit = 0;                // steer_direction unit: the hook's basis vector e_j
  std::string latent_ablation = "zero";

  template <class C, class V> static void fields(C& c, V& v) {
    v(c.latent, Field("latent", "the latent shown and steered along (-1: the best match of latent_label)")
                    .range(-1, 4095));
    v(c.latent_label, Field("latent_label", "a ground-truth label (toy world): its name, or X for predicts_X"));
    v(c.latent_order, Field("latent_order", "the latent list, by label match (F1) or by firing frequency")
                          .one_of({"label", "frequency"}));
    v(c.steer_strength, Field("steer_strength", "s: the hook gets s · direction · scale added").range(-1000, 1000));
    v(c.steer_from, Field("steer_from", "-1: steer the prompt's last token; p: every position from p on")
                        .range(-1, 1000));
    v(c.steer_direction, Field("steer_direction", "an SAE latent (W_dec[:, latent] · its max activation), the "
                                                  "difference of means of prompts a and b, or a unit vector e_j")
                             .one_of({"latent", "means", "unit"}));
    v(c.steer_prompts_a, Field("steer_prompts_a", "steer_direction means: prompts separated by ;"));
    v(c.steer_prompts_b, Field("steer_prompts_b", "steer_direction means: prompts separated by ; (subtracted)"));
    v(c.steer_unit, Field("steer_unit", "steer_direction unit: the coordinate j of the hook").range(0, 4095));
    v(c.latent_ablation, Field("latent_ablation", "the latent set to zero or to its mean, through the SAE "
                                                  "with its error term").one_of({"zero", "mean"}));
  }
};

struct LmSessionConfig {
  LmRunConfig run;
  LmSaeConfig sae;
  LmViewConfig view;
  LmFeatureViewConfig features;
  template <class C, class V> static void fields(C& c, V& v) {
    LmRunConfig::fields(c.run, v);
    LmSaeConfig::fields(c.sae, v);
    LmViewConfig::fields(c.view, v);
    LmFeatureViewConfig::fields(c.features, v);
  }
};

class LmSession : public Session {
 public:
  // Held-out windows the ablation effects are measured on (of eval_batch), to keep a frame cheap.
  static constexpr int kAblationWindows = 8;
  static constexpr int kMaxPromptBytes = 4096;
  // The feature views: latents listed per prompt token, dashboard sizes.
  static constexpr int kPromptLatents = 3;
  static constexpr int kTopContexts = 8, kQuantileBands = 4, kPerBand = 2, kHistogramBins = 24,
                       kLogitTokens = 8;

  Json configure(const Json& config) override;  // data toy, or text with the file given before
  Json configure_with_file(const Json& config, const std::vector<uint8_t>& file) override;
  Json reset() override;
  RunProgress progress() const override;
  Json schema_fields() const override { return fields_schema<LmSessionConfig>(); }
  std::vector<uint8_t> export_safetensors() override;
  // A model saved by export_safetensors (or `superpose lm train --save`) replaces the experiment:
  // its config and weights at step 0 of a new run (training it goes on from those weights with a
  // fresh AdamW). A toy-world model needs the toy world's vocabulary; a byte-level model is read
  // on the text file this session was given (configure_with_file) and is refused without one.
  // The view is kept if the model's tokens can read it, else it is the default. A bad file
  // throws std::invalid_argument and leaves the experiment as it was.
  Json import_safetensors(const std::vector<uint8_t>& bytes) override;
  // The SAE stage's SAE as a SAELens folder (lm/lm_saelens.hpp: cfg.json carries the hook and the
  // model's name); run must be 0. Refused before the SAE has collected its activations.
  SaeLensFiles export_saelens(int run) override;
  // A SAELens file's SAE in place of the SAE stage's training, on the trained model (refused while
  // the model trains, or by name when the file's hook or d_in does not fit it). The stage is then
  // complete; the answer's sae_* keys are the file's (hook, architecture, latents, k).
  Json import_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights) override;

  LmRun& run();  // throws before configure
  // The SAE stage, or nullptr with sae_steps 0.
  LmSaeStage* sae() { return sae_.get(); }
  const LmViewConfig& view() const { return view_; }
  // The prompt's ids as the model sees them (its last `context` tokens).
  std::vector<int32_t> prompt_ids() const;

 protected:
  Json train(int64_t k) override;
  void refresh_buffers(std::map<std::string, Buffer>& buffers) override;

 private:
  Json apply(const Json& config, const std::vector<uint8_t>* file);
  Json config_json() const;
  void model_buffers(std::map<std::string, Buffer>& buffers);
  void sae_buffers(std::map<std::string, Buffer>& buffers);
  void feature_buffers(std::map<std::string, Buffer>& buffers);
  std::unique_ptr<LmSaeStage> new_stage() const;

  std::unique_ptr<LmRun> run_;
  LmSaeConfig sae_config_;
  std::unique_ptr<LmSaeStage> sae_;
  // The model's buffers are recomputed only when the model or the view changed (not on SAE steps).
  bool model_changed_ = true;
  std::vector<std::string> sae_buffer_names_;
  LmViewConfig view_;
  LmFeatureViewConfig features_;
  std::shared_ptr<const Corpus> text_corpus_;  // the last text file's corpus
  std::string text_name_;
};

}  // namespace superpose
