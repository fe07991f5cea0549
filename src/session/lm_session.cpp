#include "session/lm_session.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "lm/feature_dashboard.hpp"
#include "lm/lm_ablation.hpp"
#include "lm/lm_steering.hpp"
#include "sae/sae_metrics.hpp"
#include "lm/lm_checkpoint.hpp"
#include "lm/lm_probe.hpp"
#include "lm/lm_saelens.hpp"
#include "sae/saelens_sae.hpp"
#include "lm/lm_ops.hpp"
#include "lm/logit_lens.hpp"
#include "lm/sampler.hpp"
#include "lm/text_corpus.hpp"
#include "lm/toy_world.hpp"

namespace superpose {

namespace {
// Keys the answer carries that configure does not read (what the model and data are).
const char* const kAnswerOnly[] = {"vocab", "vocab_size", "n_params", "tokenizer", "labels",
                                   "source", "dla_components", "ablation_components",
                                   "probe_prompts", "probe_expected", "logit_lens_points"};

bool same_json(const Json& a, const Json& b) { return a.dump() == b.dump(); }

// The two prompt sets of a difference-of-means direction: "a; b; c", each prompt in the
// corpus's tokens (lm/lm_steering.hpp read_prompt_list: refused by key).
std::pair<std::vector<std::vector<int32_t>>, std::vector<std::vector<int32_t>>> steering_prompts(
    const Corpus& corpus, const LmFeatureViewConfig& fv) {
  auto encode = [&](const std::string& prompt) { return corpus.encode(prompt); };
  return {read_prompt_list(fv.steer_prompts_a, "steer_prompts_a", encode),
          read_prompt_list(fv.steer_prompts_b, "steer_prompts_b", encode)};
}

LmAblationMode ablation_mode(const std::string& name) {
  return name == "zero" ? LmAblationMode::zero : LmAblationMode::mean;
}

std::vector<float> probs_after(Transformer& model, const std::vector<int32_t>& ids,
                               const HookSpec* spec = nullptr) {
  return next_token_probs(model, ids.data(), static_cast<int>(ids.size()), 1.0, spec);
}
}  // namespace

LmRun& LmSession::run() { return configured(run_, "lm"); }

Json LmSession::configure(const Json& config) { return apply(config, nullptr); }

Json LmSession::configure_with_file(const Json& config, const std::vector<uint8_t>& file) {
  return apply(config, &file);
}

Json LmSession::apply(const Json& config, const std::vector<uint8_t>* file) {
  Json rest = config_object(config);
  for (const char* key : kAnswerOnly) rest.erase(key);
  LmSessionConfig sc;
  JsonConfigReader r(rest);
  read_fields(sc, r);
  r.finish();
  check_fields(sc);
  sc.run.validate();
  const LmConfig& m = sc.run.model;

  // The corpus: the toy world of these knobs, or the text file (given now, or the last one).
  std::shared_ptr<const Corpus> corpus;
  if (m.data == "toy") {
    if (file) fail_config("a text file is only read with data text");
    const bool same_world = run_ && run_->config().model.data == "toy" &&
                            same_json(fields_to_json(run_->config().world), fields_to_json(sc.run.world));
    corpus = same_world ? run_->corpus_ptr()
                        : std::make_shared<const Corpus>(make_toy_world(sc.run.world));
  } else {
    if (file) {
      const std::string bytes(file->begin(), file->end());
      corpus = std::make_shared<const Corpus>(make_text_corpus(bytes, m.context, "the text file"));
    } else if (text_corpus_) {
      corpus = text_corpus_;
      if (static_cast<int64_t>(corpus->train.size() + corpus->heldout.size()) < text_min_bytes(m.context))
        fail_config("the text file is too short for context " + std::to_string(m.context) +
                    " (it needs " + std::to_string(text_min_bytes(m.context)) + " bytes)");
    } else {
      fail_config("data text needs a text file's bytes (configure with the file)");
    }
  }

  // The view: the prompt must be the corpus's tokens, the target one token.
  const LmViewConfig& v = sc.view;
  if (v.prompt.size() > static_cast<std::size_t>(kMaxPromptBytes))
    fail_config("prompt is " + std::to_string(v.prompt.size()) + " bytes (at most " +
                std::to_string(kMaxPromptBytes) + ")");
  std::vector<int32_t> ids;
  try {
    ids = corpus->encode(v.prompt);
  } catch (const std::invalid_argument& e) {
    fail_config(std::string("prompt: ") + e.what());
  }
  if (ids.empty()) fail_config("prompt is empty: the model needs at least one token");
  if (!v.target.empty() && corpus->tokenizer.id_of(v.target) < 0)
    fail_config("target \"" + v.target + "\" is not one token of the " +
                (corpus->tokenizer.kind() == TokenizerKind::word ? "vocabulary" : "byte tokenizer (one byte)"));

  // The SAE stage's keys, checked against this model before anything is replaced.
  std::unique_ptr<LmSaeStage> stage;
  if (sc.sae.steps > 0) stage = std::make_unique<LmSaeStage>(sc.sae, m);
  const LmFeatureViewConfig& fv = sc.features;
  if (fv.latent >= sc.sae.n_latents)
    require_in_range("latent", fv.latent, -1, sc.sae.n_latents - 1, false, false, nullptr, "sae_latents-1");
  if (corpus->has_labels()) {
    try {
      find_label(*corpus, fv.latent_label);
    } catch (const std::invalid_argument& e) {
      fail_config(std::string("latent_label: ") + e.what());  // lists the labels
    }
  }
  if (fv.steer_direction == "means") steering_prompts(*corpus, fv);
  if (fv.steer_direction == "unit") {
    const int D = sae_hook_dim(sc.sae.hook, m);
    require_in_range("steer_unit", fv.steer_unit, 0, D - 1, false, false, nullptr, nullptr);
  }

  // Only a valid config replaces the experiment; the view alone keeps the trained model (and
  // its SAE); an SAE key alone keeps the model and starts the SAE again.
  const bool keep = run_ && run_->corpus_ptr() == corpus &&
                    same_json(fields_to_json(run_->config()), fields_to_json(sc.run));
  const bool keep_sae = keep && same_json(fields_to_json(sae_config_), fields_to_json(sc.sae));
  if (!keep) run_ = std::make_unique<LmRun>(sc.run, corpus);
  if (!keep_sae) sae_ = std::move(stage);
  sae_config_ = sc.sae;
  if (m.data == "text") text_corpus_ = corpus;
  view_ = v;
  features_ = sc.features;
  model_changed_ = true;
  invalidate();
  return config_json();
}

Json LmSession::config_json() const {
  LmSessionConfig sc{run_->config(), sae_config_, view_, features_};
  Json j = fields_to_json(sc);
  const Corpus& c = run_->corpus();
  const Transformer& model = run_->model();
  j["vocab_size"] = c.vocab_size();
  j["n_params"] = model.n_params();
  j["tokenizer"] = c.tokenizer.kind_name();
  j["source"] = c.source;
  Json labels = Json::array();
  for (const TokenLabel& l : c.labels) labels.push_back(l.name);
  j["labels"] = std::move(labels);
  Json vocab = Json::array();
  for (int i = 0; i < c.vocab_size(); ++i) vocab.push_back(c.tokenizer.display(i));
  j["vocab"] = std::move(vocab);
  const int L = model.config().n_layers, H = model.config().n_heads;
  Json dla = dla_component_names(L, H);
  Json ablation = Json::array();
  for (const LmComponent& comp : lm_components(model.config())) ablation.push_back(component_name(comp));
  Json points = logit_lens_points(L);
  j["dla_components"] = std::move(dla);
  j["ablation_components"] = std::move(ablation);
  j["logit_lens_points"] = std::move(points);
  if (c.tokenizer.kind() == TokenizerKind::word && model.config().data == "toy") {
    Json prompts = Json::array(), expected = Json::array();
    for (const ToyProbe& p : temperature_probe()) {
      prompts.push_back(p.prompt);
      expected.push_back(p.expected);
    }
    j["probe_prompts"] = std::move(prompts);
    j["probe_expected"] = std::move(expected);
  }
  return j;
}

std::unique_ptr<LmSaeStage> LmSession::new_stage() const {
  return sae_config_.steps > 0 ? std::make_unique<LmSaeStage>(sae_config_, run_->config().model) : nullptr;
}

Json LmSession::reset() {
  run().reset();
  sae_ = new_stage();
  model_changed_ = true;
  invalidate();
  return config_json();
}

RunProgress LmSession::progress() const {
  const LmRun& r = configured(run_, "lm");
  const int64_t sae_step = sae_ ? sae_->step() : 0, sae_total = sae_ ? sae_->total_steps() : 0;
  return {r.step() + sae_step, r.total_steps() + sae_total, r.done() && (!sae_ || sae_->done())};
}

Json LmSession::train(int64_t k) {
  LmRun& r = run();
  invalidate();
  // The model's steps first; what is left of k goes to the SAE once the model is done.
  const int64_t model_steps = std::min(k, r.total_steps() - r.step());
  if (model_steps > 0) {
    model_changed_ = true;  // set first: a diverged step throws, and the run went back a step
    r.train(model_steps);
  }
  const bool sae_stage = sae_ && r.done() && k > model_steps;
  if (sae_stage) sae_->train(r.model(), r.corpus(), k - model_steps);
  const double last = sae_stage ? sae_->last_loss() : r.last_train_loss();
  Json answer{{"loss", std::isfinite(last) ? Json::array({last}) : Json::array()}};
  answer["stage"] = sae_stage ? "sae" : "model";
  answer["eval_loss"] = r.history().back().eval_loss;
  answer["tokens_per_step"] = static_cast<int64_t>(r.config().model.batch_size) * r.config().model.context;
  if (sae_) answer["sae_step"] = sae_->step();
  return answer;
}

std::vector<int32_t> LmSession::prompt_ids() const {
  std::vector<int32_t> ids = run_->corpus().encode(view_.prompt);
  const std::size_t T = static_cast<std::size_t>(run_->config().model.context);
  if (ids.size() > T) ids.erase(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(T));
  return ids;
}

std::vector<uint8_t> LmSession::export_safetensors() {
  return save_lm(run().model(), run().corpus().tokenizer);
}

Json LmSession::import_safetensors(const std::vector<uint8_t>& bytes) {
  LoadedLm lm = load_lm(bytes);
  LmRunConfig rc;
  if (run_) {
    rc = run_->config();  // the world and the evaluation as they were
    if (rc.model.data == "text") rc.world = ToyWorldConfig{};
  }
  rc.model = lm.model->config();
  std::shared_ptr<const Corpus> corpus;
  if (rc.model.data == "toy") {
    corpus = run_ && run_->config().model.data == "toy" ? run_->corpus_ptr()
                                                        : std::make_shared<const Corpus>(make_toy_world(rc.world));
    const Tokenizer& mine = corpus->tokenizer;
    bool same = lm.tokenizer.kind() == mine.kind() && lm.tokenizer.vocab_size() == mine.vocab_size();
    for (int i = 0; same && i < mine.vocab_size(); ++i) same = lm.tokenizer.piece(i) == mine.piece(i);
    if (!same) fail_config("language model file: its vocabulary is not the toy world's (" +
                           std::to_string(lm.tokenizer.vocab_size()) + " tokens)");
  } else {
    if (!text_corpus_)
      fail_config("language model file: a byte-level model is read on its text: give the text file first "
                  "(data text), then load the model");
    corpus = text_corpus_;
  }
  auto run = std::make_unique<LmRun>(rc, corpus);
  run->load_parameters(lm.model->params());
  // The view, if the new model's tokens read it.
  LmViewConfig view = view_;
  try {
    if (corpus->encode(view.prompt).empty()) view = LmViewConfig{};
  } catch (const std::invalid_argument&) {
    view = LmViewConfig{};
  }
  if (!view.target.empty() && corpus->tokenizer.id_of(view.target) < 0) view.target.clear();
  run_ = std::move(run);
  view_ = view;
  sae_ = new_stage();
  model_changed_ = true;
  invalidate();
  return config_json();
}

Session::SaeLensFiles LmSession::export_saelens(int run_index) {
  run();
  require_in_range("run", run_index, 0, 0, false, false, nullptr, nullptr);
  if (!sae_ || !sae_->collected())
    fail_config("no SAE to save yet: it trains after the model (sae_steps > 0)");
  auto [cfg, weights] =
      write_saelens(lm_sae_to_saelens(sae_->trainer().sae(), run_->config().model, sae_->config().hook));
  return {std::move(cfg), std::move(weights)};
}

Json LmSession::import_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights) {
  LmRun& r = run();
  if (!r.done())
    fail_config("SAELens: an SAE is read onto the trained model: let the model finish its " +
                std::to_string(r.total_steps()) + " steps first");
  // Everything is built first: a bad file leaves the experiment as it was.
  const SaeLensSae file = read_saelens(cfg_json, weights);
  const SaeConfig base = saelens_sae_config(file, sae_config_.sae_config());
  LmSaeFile lm = lm_sae_from_saelens(file, base, r.config().model);
  LmSaeConfig c = sae_config_;
  c.steps = std::max<int64_t>(c.steps, 1);
  c.hook = lm.hook;
  c.arch = base.arch;
  c.n_latents = base.n_latents;
  c.k = base.k;
  auto stage = std::make_unique<LmSaeStage>(c, r.config().model);
  stage->load(r.model(), r.corpus(), *lm.sae);
  sae_config_ = c;
  sae_ = std::move(stage);
  model_changed_ = true;
  invalidate();
  return config_json();
}

void LmSession::refresh_buffers(std::map<std::string, Buffer>& buffers) {
  if (!run_) {
    buffers.clear();
    return;
  }
  if (model_changed_) {
    buffers.clear();
    model_buffers(buffers);
    model_changed_ = false;
  } else {
    for (const std::string& name : sae_buffer_names_) buffers.erase(name);
  }
  std::map<std::string, Buffer> sae;
  sae_buffers(sae);
  sae_buffer_names_.clear();
  for (auto& [name, b] : sae) {
    sae_buffer_names_.push_back(name);
    buffers[name] = std::move(b);
  }
}

void LmSession::sae_buffers(std::map<std::string, Buffer>& buffers) {
  if (!sae_ || !sae_->collected()) return;
  LmSaeStage& st = *sae_;
  // The SAE's history, one column per quantity.
  const auto& h = st.history();
  add_column(buffers, "sae_history_step", h, [](const auto& p) { return p.step; });
  add_column(buffers, "sae_history_loss", h, [](const auto& p) { return p.loss; });
  add_column(buffers, "sae_history_l0", h, [](const auto& p) { return p.l0; });
  add_column(buffers, "sae_history_fve", h, [](const auto& p) { return p.fve; });
  // The lab's metrics on the held-out activations, now.
  SaeTrainer& tr = st.trainer();
  const LmActivationData& data = st.data();
  // (on the first kEvalActivations held-out columns: a frame's cost is bounded; the latent list
  // and dashboard read the whole held-out set)
  const SaeMetrics m = compute_sae_metrics(
      tr.sae(), data.heldout_set().X.leftCols(std::min<int>(LmSaeStage::kEvalActivations, data.heldout_set().size())), Mat());
  add_values(buffers, "sae_metrics", {m.l0, m.fve, m.dead_fraction, m.mse, m.dense_fraction});
  const int L = tr.sae().n_latents();
  // The language-model metrics: the SAE spliced in at its hook.
  const SpliceMetrics sp = st.splice(run_->model());
  add_values(buffers, "sae_splice", {sp.ce_loss_score, sp.kl, sp.clean_loss, sp.sae_loss, sp.zero_loss});
  float* fb = add_buffer(buffers, "sae_frequency", {L});
  for (int i = 0; i < L; ++i) fb[i] = static_cast<float>(m.firing_frequency[i]);
  feature_buffers(buffers);
}

// What the SAE's latents mean, on the held-out activations: the list, the chosen latent's
// dashboard, the latents at each prompt token, steering and the latent's ablation.
void LmSession::feature_buffers(std::map<std::string, Buffer>& buffers) {
  LmSaeStage& st = *sae_;
  LmRun& r = *run_;
  Transformer& model = r.model();
  const Corpus& corpus = r.corpus();
  Sae& sae = st.trainer().sae();
  const std::string& hook = st.config().hook;
  const LmActivationSet& set = st.data().heldout_set();
  const LatentCodes codes = encode_set(sae, set);
  const LabelCounts counts = count_labels(codes, set, static_cast<int>(corpus.labels.size()));
  const int L = sae.n_latents();

  // The list: index, frequency, max activation, best label (-1: none), its precision and recall.
  const std::vector<LatentSummary> list =
      latent_list(codes, counts, features_.latent_order == "frequency" ? LatentOrder::frequency : LatentOrder::label);
  float* lb = add_buffer(buffers, "latent_list", {L, 6});
  for (int i = 0; i < L; ++i) {
    const LatentSummary& e = list[i];
    float* row = lb + 6 * i;
    row[0] = static_cast<float>(e.index);
    row[1] = static_cast<float>(e.frequency);
    row[2] = e.max_activation;
    row[3] = static_cast<float>(e.label.label);
    row[4] = static_cast<float>(e.label.precision);
    row[5] = static_cast<float>(e.label.recall);
  }

  // The latent: the view's, or the best match of its label (without labels: the list's first).
  int latent = features_.latent;
  if (latent < 0 && corpus.has_labels())
    latent = best_latent_for_label(codes, counts, find_label(corpus, features_.latent_label));
  if (latent < 0) latent = list[0].index;
  add_values(buffers, "latent", {double(latent)});

  DashboardOptions opt;
  opt.top_contexts = kTopContexts;
  opt.quantile_bands = kQuantileBands;
  opt.per_band = kPerBand;
  opt.histogram_bins = kHistogramBins;
  opt.logit_tokens = std::min(kLogitTokens, model.vocab_size());
  const FeatureDashboard d = feature_dashboard(codes, counts, set, sae, model, latent, opt);
  add_values(buffers, "latent_stats", {d.frequency, d.max_activation, d.mean_activation, double(d.label.label),
                                        d.label.precision, d.label.recall, d.bin_width});
  const int bins = static_cast<int>(d.histogram.size());
  float* hb = add_buffer(buffers, "latent_histogram", {bins});
  for (int b = 0; b < bins; ++b) hb[b] = static_cast<float>(d.histogram[b]);
  // Contexts: the top ones, then each band's, one row of T tokens each; per row its position
  // (the token the activation is read at) and its group (-1: top, q: band q).
  std::vector<const ActivationContext*> rows;
  std::vector<int> group;
  for (const ActivationContext& c : d.top) { rows.push_back(&c); group.push_back(-1); }
  for (int q = 0; q < static_cast<int>(d.bands.size()); ++q)
    for (const ActivationContext& c : d.bands[q].contexts) { rows.push_back(&c); group.push_back(q); }
  const int nr = static_cast<int>(rows.size()), T = set.T;
  float* ct = add_buffer(buffers, "latent_context_tokens", {nr, T});
  float* ca = add_buffer(buffers, "latent_context_acts", {nr, T});
  float* cm = add_buffer(buffers, "latent_context_meta", {nr, 3});
  for (int i = 0; i < nr; ++i) {
    for (int t = 0; t < T; ++t) {
      ct[i * T + t] = static_cast<float>(rows[i]->tokens[t]);
      ca[i * T + t] = rows[i]->activations[t];
    }
    cm[3 * i] = static_cast<float>(group[i]);
    cm[3 * i + 1] = static_cast<float>(rows[i]->position);
    cm[3 * i + 2] = rows[i]->activation;
  }
  const int nb = static_cast<int>(d.bands.size());
  float* br = add_buffer(buffers, "latent_bands", {nb, 3});
  for (int q = 0; q < nb; ++q) {
    br[3 * q] = d.bands[q].lo;
    br[3 * q + 1] = d.bands[q].hi;
    br[3 * q + 2] = static_cast<float>(d.bands[q].count);
  }
  auto effects = [&](const char* name, const std::vector<TokenEffect>& e) {
    const int n = static_cast<int>(e.size());
    float* b = add_buffer(buffers, name, {n, 2});
    for (int i = 0; i < n; ++i) {
      b[2 * i] = static_cast<float>(e[i].token);
      b[2 * i + 1] = e[i].effect;
    }
  };
  effects("latent_promoted", d.promoted);
  effects("latent_suppressed", d.suppressed);

  // The prompt view: the strongest latents at each token.
  const std::vector<int32_t> ids = prompt_ids();
  const std::vector<TokenLatents> pl = prompt_latents(model, sae, hook, ids, kPromptLatents);
  const int pt = static_cast<int>(pl.size());
  float* pi = add_buffer(buffers, "prompt_latents", {pt, kPromptLatents});
  float* pa = add_buffer(buffers, "prompt_latent_acts", {pt, kPromptLatents});
  for (int t = 0; t < pt; ++t)
    for (int j = 0; j < kPromptLatents; ++j) {
      const bool has = j < static_cast<int>(pl[t].latents.size());
      pi[t * kPromptLatents + j] = has ? static_cast<float>(pl[t].latents[j].first) : -1.f;
      pa[t * kPromptLatents + j] = has ? pl[t].latents[j].second : 0.f;
    }

  // Steering: the next token and a greedy continuation after the prompt, before and after.
  Steering steering;
  if (features_.steer_direction == "latent") {
    steering.vector = latent_steering(sae, model, hook, latent, d.max_activation);
  } else if (features_.steer_direction == "means") {
    auto [a, b] = steering_prompts(corpus, features_);
    steering.vector = mean_difference_steering(model, hook, a, b);
  } else {
    std::vector<float> e(static_cast<std::size_t>(sae.d()), 0.f);
    e[static_cast<std::size_t>(features_.steer_unit)] = 1.f;
    steering.vector = unit_steering(model, hook, std::move(e), 1.0);
  }
  steering.strength = features_.steer_strength;
  steering.from = features_.steer_from;
  const int V = model.vocab_size(), k = std::min(view_.top_k, V), n = view_.sample_tokens;
  const SteeringResult sr = steer_lm(model, ids, steering, k, n);
  add_values(buffers, "steer_scale", {steering.vector.scale});
  std::copy(sr.probs_before.begin(), sr.probs_before.end(), add_buffer(buffers, "steer_probs_before", {V}));
  std::copy(sr.probs_after.begin(), sr.probs_after.end(), add_buffer(buffers, "steer_probs_after", {V}));
  float* tb = add_buffer(buffers, "steer_top_before", {k});
  float* ta = add_buffer(buffers, "steer_top_after", {k});
  for (int i = 0; i < k; ++i) {
    tb[i] = static_cast<float>(sr.top_before[i].token);
    ta[i] = static_cast<float>(sr.top_after[i].token);
  }
  std::copy(sr.text_before.begin(), sr.text_before.end(), add_buffer(buffers, "steer_text_before", {n}));
  std::copy(sr.text_after.begin(), sr.text_after.end(), add_buffer(buffers, "steer_text_after", {n}));

  // The latent ablated through the SAE (error term kept): the prompt's target and the loss.
  LatentAblation abl;
  abl.latent = latent;
  abl.value = features_.latent_ablation == "mean" ? static_cast<float>(latent_means(sae, set.X)[latent]) : 0.f;
  const LmWindows& w = st.splice_windows();
  const LatentAblationEffect ae = latent_ablation_effect(model, sae, hook, abl, ids, w.x.data(), w.y.data(), w.B, w.T);
  const int32_t target = view_.target.empty() ? sr.top_before[0].token : corpus.tokenizer.id_of(view_.target);
  add_values(buffers, "latent_ablation", {ae.loss_before, ae.loss_after, ae.probs_before[target],
                                           ae.probs_after[target], double(target)});
}

void LmSession::model_buffers(std::map<std::string, Buffer>& buffers) {
  LmRun& r = *run_;
  Transformer& model = r.model();
  const LmConfig& mc = model.config();
  const int L = mc.n_layers, H = mc.n_heads, V = model.vocab_size();
  const int k = std::min(view_.top_k, V);

  // The loss history, one column per quantity.
  const auto& history = r.history();
  add_column(buffers, "history_step", history, [](const auto& p) { return p.step; });
  add_column(buffers, "history_train_loss", history, [](const auto& p) { return p.train_loss; });
  add_column(buffers, "history_eval_loss", history, [](const auto& p) { return p.eval_loss; });

  // The prompt, the next token and two continuations.
  const std::vector<int32_t> ids = prompt_ids();
  const int T = static_cast<int>(ids.size());
  std::copy(ids.begin(), ids.end(), add_buffer(buffers, "prompt_tokens", {T}));
  const std::vector<float> probs = probs_after(model, ids);
  std::copy(probs.begin(), probs.end(), add_buffer(buffers, "next_token_probs", {V}));
  const std::vector<TokenProb> top = top_tokens(probs, k);
  float* topb = add_buffer(buffers, "next_token_top", {k});
  for (int i = 0; i < k; ++i) topb[i] = static_cast<float>(top[i].token);
  const int32_t target = view_.target.empty() ? top[0].token : r.corpus().tokenizer.id_of(view_.target);
  add_values(buffers, "target", {double(target)});
  const int n = view_.sample_tokens;
  const std::vector<int32_t> greedy = generate(model, ids, n, 0.0, 0);
  std::copy(greedy.begin(), greedy.end(), add_buffer(buffers, "greedy_tokens", {n}));
  const std::vector<int32_t> sampled =
      generate(model, ids, n, view_.temperature, static_cast<uint64_t>(view_.sample_seed));
  std::copy(sampled.begin(), sampled.end(), add_buffer(buffers, "sample_tokens", {n}));

  // Every head's attention pattern on the prompt.
  HookSpec spec;
  for (int l = 0; l < L; ++l) spec.record.push_back(block_hook(l, "attn.hook_pattern"));
  HookRecords records;
  model.forward(ids.data(), nullptr, 1, T, &spec, &records);
  float* att = add_buffer(buffers, "attention", {L, H, T, T});
  for (int l = 0; l < L; ++l) {
    const std::vector<float>& a = records.at(block_hook(l, "attn.hook_pattern")).data;  // (1, H, T, T)
    std::copy(a.begin(), a.end(), att + static_cast<std::size_t>(l) * H * T * T);
  }

  // The logit lens: each point's top tokens and the target's probability, at every position.
  const LogitLens lens = logit_lens(model, ids.data(), T);
  const int P = static_cast<int>(lens.points.size());
  float* lt = add_buffer(buffers, "logit_lens_top", {P, T, k});
  float* lp = add_buffer(buffers, "logit_lens_prob", {P, T, k});
  float* lg = add_buffer(buffers, "logit_lens_target", {P, T});
  // every point and position as one row of P·T softmaxes (lm_ops' softmax_forward)
  std::vector<float> q(lens.logits.size());
  softmax_forward(q.data(), lens.logits.data(), P * T, V);
  for (int r = 0; r < P * T; ++r) {
    const std::vector<float> row(q.begin() + std::ptrdiff_t(r) * V, q.begin() + std::ptrdiff_t(r + 1) * V);
    const std::vector<TokenProb> best = top_tokens(row, k);
    for (int i = 0; i < k; ++i) {
      lt[r * k + i] = static_cast<float>(best[i].token);
      lp[r * k + i] = best[i].p;
    }
    lg[r] = row[target];
  }

  // Direct logit attribution of the target at the last position.
  const DirectLogitAttribution dla = direct_logit_attribution(model, ids.data(), T, T - 1, target);
  const int nc = static_cast<int>(dla.components.size());
  float* d = add_buffer(buffers, "dla", {nc});
  for (int i = 0; i < nc; ++i) d[i] = static_cast<float>(dla.components[i].value);
  add_values(buffers, "dla_bias_logit", {dla.bias_term, dla.logit});

  // Each head's and MLP's ablation: the loss on the first held-out windows (mean ablation: their
  // means) and P(target | prompt).
  const int W = std::min(kAblationWindows, r.config().eval_batch), ET = r.eval_T();
  const int32_t* ex = r.eval_x().data();
  const int32_t* ey = r.eval_y().data();
  const LmAblationMode mode = ablation_mode(view_.ablation);
  const HookRecords means = mode == LmAblationMode::mean ? ablation_means(model, ex, W, ET) : HookRecords();
  const std::vector<LmComponent> components = lm_components(mc);
  const int na = static_cast<int>(components.size());
  float* al = add_buffer(buffers, "ablation_loss", {na});
  float* ap = add_buffer(buffers, "ablation_target_prob", {na});
  for (int i = 0; i < na; ++i) {
    HookSpec spec;
    spec.edits.push_back(ablation_edit(components[i], mode, mode == LmAblationMode::mean ? &means : nullptr));
    al[i] = static_cast<float>(model.forward(ex, ey, W, ET, &spec));
    ap[i] = probs_after(model, ids, &spec)[target];
  }
  add_values(buffers, "ablation_clean", {model.forward(ex, ey, W, ET), probs[target]});

  // The temperature probe (toy world): per prompt, right or not and P(expected).
  if (r.corpus().tokenizer.kind() == TokenizerKind::word && mc.data == "toy") {
    const ProbeResult probe = temperature_probe_result(model, r.corpus());
    const int np = probe.total;
    float* pc = add_buffer(buffers, "probe_correct", {np});
    float* pp = add_buffer(buffers, "probe_p_expected", {np});
    for (int i = 0; i < np; ++i) {
      pc[i] = probe.answers[i].predicted == probe.answers[i].expected ? 1.f : 0.f;
      pp[i] = static_cast<float>(probe.answers[i].p_expected);
    }
    add_values(buffers, "probe_score", {double(probe.correct), double(probe.total)});
  }
}

}  // namespace superpose
