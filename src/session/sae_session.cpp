#include "session/sae_session.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/check.hpp"
#include "io/npy.hpp"
#include "io/saelens.hpp"
#include "sae/npy_activations.hpp"
#include "sae/saelens_sae.hpp"

namespace superpose {

const char* const SaeSession::kMetricNames[8] = {
    "l0", "mse", "fve", "dead_fraction", "dense_fraction", "relative_reconstruction_bias",
    "mmcs", "recovered_fraction"};

const char* const SaeSession::kTruthMetricNames[7] = {
    "mcc", "uniqueness", "precision", "recall", "f1", "absorption", "shrinkage"};

namespace {
constexpr std::size_t kMaxUploadBytes = std::size_t(96) * 1024 * 1024;
const std::vector<uint8_t> kNoFile;
}  // namespace

Json SaeSession::configure(const Json& config) { return configure_with_file(config, kNoFile); }

Json SaeSession::configure_with_file(const Json& config, const std::vector<uint8_t>& npy) {
  return configure_from(config, npy, nullptr);
}

Json SaeSession::configure_with_data(const Json& config, std::shared_ptr<SaeData> data) {
  if (!data) fail_config("configure_with_data needs a data source");
  return configure_from(config, kNoFile, std::move(data));
}

Json SaeSession::configure_from(const Json& config, const std::vector<uint8_t>& npy,
                                std::shared_ptr<SaeData> given) {
  Json rest = config_object(config);
  // Read-only keys of the config this session reports (like steer's "steps"): the reported
  // config must configure a fresh session to the same experiment.
  if (rest.is_object()) {
    rest.erase("runs");
    rest.erase("true_features_known");
    rest.erase("loaded");  // a configure trains again
  }
  for (const char* key : {"arch", "npy_path"})
    if (rest.contains(key))
      fail_config(std::string(key) + " is not a key of the sae session (use " +
                  (std::string(key) == "arch" ? "archs" : "data npy with the file's bytes") + ")");
  SaeSessionConfig sc;
  JsonConfigReader r(rest);
  read_fields(sc, r);
  r.finish();
  if (sc.archs.empty() || sc.archs.size() > kSaeArchNames.size())
    fail_config("archs must be a list of 1 to " + std::to_string(kSaeArchNames.size()) + " architectures");
  // An uploaded file stands in for npy_path (the config check asks for one).
  if (sc.base.data == "npy") sc.base.npy_path = "upload.npy";
  check_fields(sc);
  sc.base.validate();
  for (double v : sc.sweep_k)
    if (v != std::floor(v)) fail_config("sweep_k must hold integers (got " + format_number(v) + ")");
  const SaeConfig& base = sc.base;
  std::vector<std::string>& archs = sc.archs;
  std::vector<double>& sweep_l1 = sc.sweep_l1;
  std::vector<double>& sweep_k = sc.sweep_k;
  const int eval_batch = sc.eval_batch;
  // A change of the view alone keeps the trained runs.
  Json fingerprint = fields_to_json(sc);
  fingerprint.erase("view_parent");
  if (!runs_.empty() && npy.empty() && !given && base.data_kind() != SaeDataKind::npy && !loaded() &&
      fingerprint == fingerprint_) {
    view_parent_ = sc.view_parent;
    choose_view_samples();
    invalidate();
    return config_json();
  }
  if (sweep_l1.empty()) sweep_l1 = {base.l1};
  if (sweep_k.empty()) sweep_k = {static_cast<double>(base.k)};

  std::vector<SaeConfig> configs;
  for (const auto& arch : archs)
    for (double v : sae_arch_uses_k(arch) ? sweep_k : sweep_l1) {
      SaeConfig c = base;
      c.arch = arch;
      if (sae_arch_uses_k(arch)) c.k = static_cast<int>(v);
      else c.l1 = v;
      c.validate();
      configs.push_back(c);
    }
  if (configs.size() > static_cast<std::size_t>(kMaxRuns))
    fail_config("archs × sweep values make " + std::to_string(configs.size()) +
                " runs (limit " + std::to_string(kMaxRuns) + ")");

  // Build everything first: only a valid config replaces the running experiment.
  std::shared_ptr<SaeData> data;
  if (given) {
    data = std::move(given);
    data->reset();
  } else if (base.data_kind() == SaeDataKind::npy) {
    if (npy.empty()) fail_config("data npy needs the .npy file's bytes (configure with the file)");
    if (npy.size() > kMaxUploadBytes)
      fail_config("the .npy file is too large (limit " + std::to_string(kMaxUploadBytes >> 20) + " MB)");
    data = std::make_shared<NpyActivations>(npy_activations(parse_npy(npy.data(), npy.size())),
                                            static_cast<uint64_t>(base.seed));
  } else {
    if (!npy.empty()) fail_config("a data file is only read with data npy");
    data = make_sae_data(base);
  }
  std::vector<std::unique_ptr<SaeTrainer>> runs;
  for (const auto& c : configs) runs.push_back(std::make_unique<SaeTrainer>(c, data));
  base_ = runs[0]->config();  // input_dim from the data
  base_.arch = archs[0];
  archs_ = std::move(archs);
  sweep_l1_ = std::move(sweep_l1);
  sweep_k_ = std::move(sweep_k);
  eval_batch_ = eval_batch;
  data_ = std::move(data);
  runs_ = std::move(runs);
  eval_ = data_->held_out(eval_batch_);
  eval_firing_ = data_->held_out_firing(eval_batch_);
  fingerprint_ = std::move(fingerprint);
  view_parent_ = sc.view_parent;
  choose_view_samples();
  metrics_.assign(runs_.size(), SaeMetrics());
  metrics_fresh_.assign(runs_.size(), false);
  loaded_ = nullptr;
  loaded_params_.clear();
  invalidate();
  return config_json();
}

Session::SaeLensFiles SaeSession::export_saelens(int run) {
  require_configured();
  require_in_range("run", run, 0, n_runs() - 1, false, false, nullptr, "runs-1");
  auto [cfg, weights] = write_saelens(sae_to_saelens(runs_[run]->sae()));
  return {std::move(cfg), std::move(weights)};
}

Json SaeSession::import_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights) {
  require_configured();
  return import_saelens(read_saelens(cfg_json, weights));
}

Json SaeSession::import_saelens(const SaeLensSae& file) {
  require_configured();
  // Build everything first: a bad file leaves the running experiment as it was.
  const SaeConfig c = saelens_sae_config(file, base_);
  const std::unique_ptr<Sae> sae = sae_from_saelens(file, c, data_->dim());  // names a d_in mismatch
  std::unique_ptr<SaeTrainer> run;
  try {
    run = std::make_unique<SaeTrainer>(c, data_);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("SAELens: the file's SAE does not fit this experiment: ") + e.what());
  }
  run->sae().params() = sae->params();
  base_ = run->config();
  archs_ = {base_.arch};
  sweep_l1_ = {base_.l1};
  sweep_k_ = {static_cast<double>(base_.k)};
  runs_.clear();
  runs_.push_back(std::move(run));
  metrics_.assign(1, SaeMetrics());
  metrics_fresh_.assign(1, false);
  loaded_ = Json{{"architecture", file.architecture}, {"d_in", file.d_in}, {"d_sae", file.d_sae}};
  if (file.architecture == "topk") loaded_["k"] = file.k;
  loaded_params_ = sae->params();
  fingerprint_ = nullptr;
  invalidate();
  return config_json();
}

void SaeSession::choose_view_samples() {
  view_samples_.clear();
  const FeatureHierarchy* h = data_->hierarchy();
  if (!h || eval_firing_.empty() || view_parent_ >= static_cast<int>(h->children.size())) return;
  for (int s = 0; s < eval_firing_.n_samples() && int(view_samples_.size()) < kMaxHierarchySamples; ++s)
    for (int e = eval_firing_.start[s]; e < eval_firing_.start[s + 1]; ++e)
      if (eval_firing_.feature[e] == view_parent_) view_samples_.push_back(s);
}

Json SaeSession::config_json() const {
  Json j = base_.to_json();
  j.erase("arch");
  j.erase("npy_path");
  j["archs"] = archs_;
  j["sweep_l1"] = sweep_l1_;
  j["sweep_k"] = sweep_k_;
  j["eval_batch"] = eval_batch_;
  j["view_parent"] = view_parent_;
  Json runs = Json::array();
  for (const auto& r : runs_)
    runs.push_back({{"arch", r->config().arch}, {"l1", r->config().l1}, {"k", r->config().k}});
  j["runs"] = std::move(runs);
  j["true_features_known"] = data_ && data_->true_features().cols() > 0;
  if (loaded()) j["loaded"] = loaded_;
  return j;
}

void SaeSession::require_configured() const {
  if (runs_.empty()) fail_not_configured("sae");
}

Json SaeSession::reset() {
  require_configured();
  for (auto& r : runs_) r->reset();
  if (loaded()) runs_[0]->sae().params() = loaded_params_;
  data_->reset();
  metrics_fresh_.assign(runs_.size(), false);
  invalidate();
  return config_json();
}

RunProgress SaeSession::progress() const {
  require_configured();
  const int64_t step = runs_[0]->step();
  // An imported SAE is measured, not trained: its run is complete where it stands.
  return RunProgress::of(step, loaded() ? step : base_.steps);
}

Json SaeSession::train(int64_t k) {
  require_configured();
  invalidate();
  if (k > 0) metrics_fresh_.assign(runs_.size(), false);
  for (int64_t i = 0; i < k; ++i) {
    data_->sample(batch_, base_.batch_size);
    for (auto& r : runs_) {
      try {
        r->train_on(batch_);
      } catch (const Diverged& e) {
        throw Diverged(r->config().arch + " (λ " + format_number(r->config().l1) + ", k " +
                       std::to_string(r->config().k) + "): " + e.what());
      }
    }
  }
  Json loss = Json::array(), l0 = Json::array(), mse = Json::array();
  for (const auto& r : runs_) {
    loss.push_back(r->last_loss().total);
    l0.push_back(r->last_loss().l0);
    mse.push_back(r->last_loss().mse);
  }
  return Json{{"loss", loss}, {"l0", l0}, {"mse", mse}};
}

const SaeMetrics& SaeSession::metrics(int r) {
  if (!metrics_fresh_[r]) {
    metrics_[r] = compute_sae_metrics(runs_[r]->sae(), eval_, data_->true_features(), &eval_firing_,
                                      data_->hierarchy());
    metrics_fresh_[r] = true;
  }
  return metrics_[r];
}

void SaeSession::refresh_buffers(std::map<std::string, Buffer>& buffers) {
  buffers.clear();
  if (runs_.empty()) return;
  const int R = n_runs(), d = base_.input_dim, L = base_.n_latents;
  const Mat& T = data_->true_features();
  const int F = static_cast<int>(T.cols()), shown = std::min(F, kMaxShownFeatures);
  float* metric_rows = add_buffer(buffers, "metrics", {R, 8});
  float* truth_rows = add_buffer(buffers, "truth_metrics", {R, 7});
  float* loss = add_buffer(buffers, "loss", {R});
  float* train_l0 = add_buffer(buffers, "train_l0", {R});
  float* train_dead = add_buffer(buffers, "train_dead_fraction", {R});
  float* hist = add_buffer(buffers, "density_histogram", {R, 1 + kDensityBins});
  float* cosine = F ? add_buffer(buffers, "match_cosine", {R, F}) : nullptr;
  float* matched = F ? add_buffer(buffers, "matched_decoder", {R, shown, d}) : nullptr;
  float* truth = F ? add_buffer(buffers, "true_features", {shown, d}) : nullptr;
  float* wdec = d * L <= kMaxWdecFloats ? add_buffer(buffers, "W_dec", {R, d, L}) : nullptr;
  float* freq = wdec ? add_buffer(buffers, "latent_frequency", {R, L}) : nullptr;  // with W_dec: dead latents drawn apart
  float* allt = F && d * F <= kMaxWdecFloats ? add_buffer(buffers, "true_directions", {d, F}) : nullptr;
  for (int j = 0; j < shown; ++j) Eigen::Map<Vec>(truth + j * d, d) = T.col(j);
  if (allt) RowMatMap(allt, d, F) = T;
  for (int r = 0; r < R; ++r) {
    const SaeMetrics& m = metrics(r);
    const double values[8] = {m.l0, m.mse, m.fve, m.dead_fraction, m.dense_fraction,
                              m.relative_reconstruction_bias, m.mmcs, m.recovered_fraction};
    for (int c = 0; c < 8; ++c) metric_rows[r * 8 + c] = static_cast<float>(values[c]);
    const GroundTruthMetrics& t = m.truth;
    const double truth[7] = {t.mcc, t.uniqueness, t.precision, t.recall, t.f1, t.absorption, t.shrinkage};
    for (int c = 0; c < 7; ++c) truth_rows[r * 7 + c] = static_cast<float>(truth[c]);
    loss[r] = static_cast<float>(runs_[r]->last_loss().total);
    train_l0[r] = static_cast<float>(runs_[r]->last_loss().l0);
    train_dead[r] = static_cast<float>(runs_[r]->dead_fraction());
    std::copy(m.density_histogram.begin(), m.density_histogram.end(), hist + r * (1 + kDensityBins));
    const Sae& sae = runs_[r]->sae();
    if (F) {
      for (int j = 0; j < F; ++j) cosine[r * F + j] = m.match_cosine.size() ? m.match_cosine[j] : 0.f;
      for (int j = 0; j < shown; ++j) {
        const int i = m.match_latent.empty() ? -1 : m.match_latent[j];
        if (i >= 0) Eigen::Map<Vec>(matched + (std::size_t(r) * shown + j) * d, d) = sae.W_dec().col(i);
      }
    }
    if (wdec) RowMatMap(wdec + std::size_t(r) * d * L, d, L) = sae.W_dec();
    if (freq) Eigen::Map<Vec>(freq + std::size_t(r) * L, L) = m.firing_frequency;
  }
  refresh_hierarchy_buffers(buffers);
}

void SaeSession::refresh_hierarchy_buffers(std::map<std::string, Buffer>& buffers) {
  const FeatureHierarchy* h = data_->hierarchy();
  if (!h || eval_firing_.empty()) return;
  const int R = n_runs(), F = static_cast<int>(h->parent.size());
  // Every parent's absorption, per run.
  std::vector<int> parents;
  for (int i = 0; i < F; ++i)
    if (!h->children[i].empty()) parents.push_back(i);
  const int P = static_cast<int>(parents.size());
  if (P == 0) return;
  float* ids = add_buffer(buffers, "parents", {P});
  float* absorption = add_buffer(buffers, "parent_absorption", {R, P});
  for (int q = 0; q < P; ++q) ids[q] = static_cast<float>(parents[q]);
  for (int r = 0; r < R; ++r) {
    const Vec& a = metrics(r).truth.parent_absorption;
    for (int q = 0; q < P; ++q)
      absorption[r * P + q] = a.size() ? a[parents[q]] : std::numeric_limits<float>::quiet_NaN();
  }
  // The view: view_parent and its children, the true coefficients and their matched latents'
  // activations on the held-out samples where the parent is present.
  std::vector<int> family{view_parent_};
  for (int c : h->children[view_parent_]) family.push_back(c);
  const int C = static_cast<int>(family.size()), S = static_cast<int>(view_samples_.size());
  float* fam = add_buffer(buffers, "hierarchy_features", {C});
  float* partner = add_buffer(buffers, "hierarchy_latents", {R, C});
  float* firing = add_buffer(buffers, "hierarchy_firing", {R, S, 2 * C});
  for (int c = 0; c < C; ++c) fam[c] = static_cast<float>(family[c]);
  Mat Xs(eval_.rows(), S);
  for (int k = 0; k < S; ++k) Xs.col(k) = eval_.col(view_samples_[k]);
  SparseCode code;
  for (int r = 0; r < R; ++r) {
    const GroundTruthMetrics& t = metrics(r).truth;
    for (int c = 0; c < C; ++c)
      partner[r * C + c] = t.latent_of_feature.empty() ? -1.f : static_cast<float>(t.latent_of_feature[family[c]]);
    if (S) runs_[r]->sae().encode(Xs, code);
    for (int k = 0; k < S; ++k) {
      float* row = firing + (std::size_t(r) * S + k) * 2 * C;
      std::fill(row, row + 2 * C, 0.f);
      const int s = view_samples_[k];
      for (int e = eval_firing_.start[s]; e < eval_firing_.start[s + 1]; ++e)
        for (int c = 0; c < C; ++c)
          if (eval_firing_.feature[e] == family[c]) row[c] = eval_firing_.coefficient[e];
      for (int e = code.start[k]; e < code.start[k + 1]; ++e)
        for (int c = 0; c < C; ++c)
          if (partner[r * C + c] == static_cast<float>(code.index[e])) row[C + c] = std::max(0.f, code.value[e]);
    }
  }
  float* shown = add_buffer(buffers, "hierarchy_absorption", {R});
  for (int r = 0; r < R; ++r) {
    const Vec& a = metrics(r).truth.parent_absorption;
    shown[r] = a.size() ? a[view_parent_] : std::numeric_limits<float>::quiet_NaN();
  }
}

}  // namespace superpose
