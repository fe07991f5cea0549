#include "session/steer_session.hpp"

#include <algorithm>
#include <iterator>
#include <numeric>

#include "core/check.hpp"
#include "interp/effects.hpp"
#include "interp/perfect_sae.hpp"
#include "interp/trained_sae.hpp"
#include "io/saelens.hpp"
#include "sae/saelens_sae.hpp"

namespace superpose {

namespace {
// The page's defaults: the pentagon (n=5 in m=2, sparse), trained in well under a second.
Json toy_defaults() {
  return Json{{"n_features", 5}, {"n_hidden", 2}, {"feature_probability", 0.03}, {"lr", 1e-2},
              {"steps", 3000}, {"batch_size", 512}};
}

const Json& object_or_empty(const Json& config, const char* key) {
  static const Json empty = Json::object();
  if (!config.is_object() || !config.contains(key) || config.at(key).is_null()) return empty;
  const Json& v = config.at(key);
  if (!v.is_object()) fail_config(std::string(key) + " must be an object");
  return v;
}
}  // namespace

Json SteerSession::configure(const Json& config) {
  // toy: the toy model's keys (docs/wasm-api.md, kind "toy") over this page's defaults.
  Json toy_json = toy_defaults();
  for (const auto& [key, value] : object_or_empty(config, "toy").items()) toy_json[key] = value;
  ToyConfig toy = ToyConfig::from_json(toy_json);
  // sae: {"kind": an architecture of sae/ (trained on the hidden activations,
  // interp/trained_sae.hpp) or perfect (hand-built, interp/perfect_sae.hpp), and for a trained
  // one n_latents, l1, k, steps, seed} over interp_sae_defaults.
  const Json& sae_in = object_or_empty(config, "sae");
  std::string sae_kind = "topk";
  SaeConfig sc = interp_sae_defaults(toy);
  Json sae;
  if (sae_in.contains("kind") && sae_in["kind"] == "saelens") {
    // the imported SAELens SAE (import_saelens); the other keys describe it and are not read
    if (!loaded_sae_) fail_config("sae.kind saelens needs a SAELens SAE: import one first");
    if (loaded_sae_->d() != toy.n_hidden)
      fail_config("sae: the imported SAELens SAE reads d_in=" + std::to_string(loaded_sae_->d()) +
                  " dimensions but the toy model has n_hidden=" + std::to_string(toy.n_hidden));
    sae_kind = "saelens";
    sc = loaded_sae_->config();
    sae = loaded_info_;
  } else {
    InterpSaeConfig in{sae_kind, sc};
    JsonConfigReader sr(sae_in);
    read_fields(in, sr);
    sr.finish();
    try {
      check_fields(in);
    } catch (const std::invalid_argument& e) {
      fail_config(std::string("sae.") + e.what());
    }
    sae_kind = in.kind;
    sc = in.sae;
    sae = Json{{"kind", sae_kind}};
  }
  if (sae_kind != "perfect" && sae_kind != "saelens") {
    sc.arch = sae_kind;
    sc.aux_k = std::max(1, sc.n_latents / 2);
    try {
      sc.validate();
    } catch (const std::invalid_argument& e) {
      fail_config(std::string("sae.") + e.what());
    }
    sae = fields_to_json(InterpSaeConfig{sae_kind, sc});
  }
  // the rest: the intervention fields ("steps" is read-only: the total training length).
  Json rest = config.is_null() ? Json::object() : config;
  if (rest.is_object()) {
    rest.erase("toy");
    rest.erase("sae");
    rest.erase("steps");
  }
  const InterventionConfig iv = InterventionConfig::from_json(rest, intervention_defaults(toy));
  require_in_range("instance", iv.instance, 0, toy.n_instances - 1, false, false, nullptr,
                   "n_instances-1");
  const SteerTarget target = parse_steer_target(iv.direction);
  const int latents = sae_kind == "perfect" ? toy.n_features : sc.n_latents;
  const int rows = target.kind == SteerKind::unit     ? toy.n_hidden
                   : target.kind == SteerKind::latent ? latents
                                                      : toy.n_features;
  const char* what = target.kind == SteerKind::unit ? "n_hidden-1" : target.kind == SteerKind::latent ? "n_latents-1" : "n_features-1";
  require_in_range("direction index", target.index, 0, rows - 1, false, false, nullptr, what);

  const bool same_toy = model_ && toy.to_json() == toy_.to_json();
  const bool same_models = same_toy && sae == sae_ && iv.instance == iv_.instance &&
                           iv.eval_batch == iv_.eval_batch && iv.seed == iv_.seed;
  toy_ = toy;
  sae_ = sae;
  sae_config_ = sc;
  iv_ = iv;
  // a new toy config retrains everything; a new SAE (or instance, data) keeps the toy model and
  // retrains the SAE on the next step
  if (!same_toy) model_ = std::make_unique<ToyModel>(toy_);
  if (!same_models) interventions_.reset();
  invalidate();
  return config_json();
}

Json SteerSession::schema_fields() const {
  const ToyConfig toy = ToyConfig::from_json(toy_defaults());
  const InterpSaeConfig sae{"topk", interp_sae_defaults(toy)};
  Json fields = Json::array();
  fields.push_back(object_field_schema(
      Field("toy", "the toy model: kind toy's keys, over this kind's defaults"), toy.to_json(),
      fields_schema(toy)));
  fields.push_back(object_field_schema(
      Field("sae", "the SAE: trained on the hidden activations (n_latents default 2·n_features, seed "
                   "default toy.seed), perfect, or the imported saelens one"),
      fields_to_json(sae), fields_schema(sae)));
  for (Json& f : fields_schema<InterventionConfig>()) fields.push_back(std::move(f));
  return fields;
}

Json SteerSession::config_json() const {
  Json j;
  j["toy"] = toy_.to_json();
  j["sae"] = sae_;
  j.update(iv_.to_json());
  j["steps"] = total_steps();
  return j;
}

Json SteerSession::reset() {
  if (!model_) fail_not_configured("steer");
  model_ = std::make_unique<ToyModel>(toy_);
  interventions_.reset();
  invalidate();
  return config_json();
}

void SteerSession::prepare() {
  const SplitToyModel split = SplitToyModel::from(*model_, iv_.instance);
  const std::string kind = sae_.value("kind", "perfect");
  std::optional<SaeView> sae = kind == "perfect"    ? perfect_sae(split)
                               : kind == "saelens" ? view_of_sae(loaded_sae_)
                                                   : trained_sae(split, toy_, iv_.instance, sae_config_);
  interventions_ = std::make_unique<Interventions>(*model_, iv_.instance, std::move(sae),
                                                   static_cast<uint64_t>(iv_.seed), iv_.eval_batch,
                                                   iv_.eval_batch);
}

Json SteerSession::import_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights) {
  if (!model_) fail_not_configured("steer");
  // Build everything first: a bad file leaves the running experiment as it was.
  const SaeLensSae file = read_saelens(cfg_json, weights);
  if (file.d_in != toy_.n_hidden)
    throw std::invalid_argument("SAELens: the SAE reads d_in=" + std::to_string(file.d_in) +
                                " dimensions but the toy model has n_hidden=" +
                                std::to_string(toy_.n_hidden));
  const SaeConfig base = interp_sae_defaults(toy_);
  try {
    saelens_sae_config(file, base).validate();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("SAELens: the file's SAE does not fit this experiment: ") + e.what());
  }
  std::shared_ptr<Sae> sae = sae_from_saelens(file, base, toy_.n_hidden);
  Json info{{"kind", "saelens"}, {"architecture", file.architecture}, {"d_in", file.d_in},
            {"n_latents", file.d_sae}};
  if (file.architecture == "topk") info["k"] = file.k;
  loaded_sae_ = std::move(sae);
  loaded_info_ = info;
  sae_ = info;
  sae_config_ = loaded_sae_->config();
  // a latent direction past the file's latents falls back to latent 0
  const SteerTarget target = parse_steer_target(iv_.direction);
  if (target.kind == SteerKind::latent && target.index >= file.d_sae) iv_.direction = "latent:0";
  interventions_.reset();
  if (model_->step() >= total_steps()) prepare();  // a trained model steers with it at once
  invalidate();
  return config_json();
}

// Done once the toy model is trained and the SAE and interventions are computed: a change of SAE
// keeps the trained model (step == total_steps) but is not done until the next step(0).
RunProgress SteerSession::progress() const {
  if (!model_) fail_not_configured("steer");
  return {model_->step(), total_steps(), model_->step() >= total_steps() && interventions_};
}

Json SteerSession::train(int64_t k) {
  if (!model_) fail_not_configured("steer");
  invalidate();
  if (k > 0) model_->train(k);
  if (model_->step() >= total_steps() && !interventions_) prepare();
  const auto& loss = model_->last_loss();
  const float l = loss.empty() ? 0.f : loss[iv_.instance];
  return Json{{"loss", std::vector<float>{l}}, {"ready", interventions_ != nullptr}};
}

void SteerSession::refresh_buffers(std::map<std::string, Buffer>& buffers) {
  buffers.clear();
  if (!model_) return;
  const int n = toy_.n_features, m = toy_.n_hidden, L = n_latents();
  const SteerTarget target = parse_steer_target(iv_.direction);
  const AblationTarget ab = parse_ablation_target(iv_.target);
  const int rows = ab == AblationTarget::unit ? m : L;
  auto put = [](float* out, const Vec& v) { Eigen::Map<Vec>(out, v.size()) = v; };
  float* ready = add_buffer(buffers, "ready", {1});
  float* loss = add_buffer(buffers, "loss", {1});
  float* W = add_buffer(buffers, "W", {m, n});
  float* input = add_buffer(buffers, "input", {n});
  float* before = add_buffer(buffers, "before", {n});
  float* after = add_buffer(buffers, "after", {n});
  float* h_before = add_buffer(buffers, "h_before", {m});
  float* h_after = add_buffer(buffers, "h_after", {m});
  float* vector = add_buffer(buffers, "steering_vector", {m});
  float* matched = add_buffer(buffers, "matched_feature", {L});
  float* W_dec = add_buffer(buffers, "W_dec", {m, L});
  float* max_act = add_buffer(buffers, "max_activation", {L});
  float* effects = add_buffer(buffers, "effects", {rows, n});
  float* effects_rows = add_buffer(buffers, "effects_rows", {rows});
  float* effects_top = add_buffer(buffers, "effects_top", {rows});
  float* diag = add_buffer(buffers, "diagonality", {1});
  float* clean = add_buffer(buffers, "clean_loss", {n});
  float* importance = add_buffer(buffers, "importance", {n});
  const auto imp = toy_.importance();
  std::copy(imp.begin(), imp.end(), importance);
  copy_row_major(model_->W(iv_.instance), W);
  if (!model_->last_loss().empty()) loss[0] = model_->last_loss()[iv_.instance];
  std::fill(matched, matched + L, -1.f);
  std::iota(effects_rows, effects_rows + rows, 0.f);
  std::fill(effects_top, effects_top + rows, -1.f);
  if (!interventions_) return;
  const Interventions& iv = *interventions_;
  ready[0] = 1.f;
  const Vec x = iv.input(iv_.input);
  const SteerResult r = iv.steer(target, iv_.strength, x);
  put(input, x);
  put(before, r.before);
  put(after, r.after);
  put(h_before, r.h_before);
  put(h_after, r.h_after);
  put(vector, iv.steering_vector(target));
  for (int l = 0; l < L; ++l) matched[l] = static_cast<float>(iv.match().feature[l]);
  copy_row_major(iv.sae()->W_dec, W_dec);
  put(max_act, iv.stats().latents.max);
  const Mat E = iv.effects(ab, parse_ablation_mode(iv_.mode));  // (rows, n)
  const std::vector<int> order = diagonal_order(E);
  const std::vector<int> top = top_features(E);
  for (int i = 0; i < rows; ++i) {
    const int src = order[i];
    Eigen::Map<Eigen::RowVectorXf>(effects + i * n, n) = E.row(src);
    effects_rows[i] = static_cast<float>(src);
    effects_top[i] = static_cast<float>(top[src]);
  }
  diag[0] = static_cast<float>(diagonality(E));
  put(clean, iv.clean_loss(ab));
}

}  // namespace superpose
