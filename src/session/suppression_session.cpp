#include "session/suppression_session.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/check.hpp"
#include "suppression/analytic.hpp"
#include "suppression/suppression_relu_encoder.hpp"

namespace superpose {

namespace {
const char* const kFixes[3] = {"none", "scale", "gated"};
}  // namespace

Json SuppressionSession::configure(const Json& config) {
  if (!config.is_null() && !config.is_object()) fail_config("the config must be a JSON object");
  Json rest = config.is_null() ? Json::object() : config;
  // trained_runs [first, end): the session's own key (a worker pool's share of the runs,
  // docs/wasm-api.md), not a key of the experiment's config.
  Json range;
  if (rest.contains("trained_runs")) {
    range = rest["trained_runs"];
    rest.erase("trained_runs");
  }
  if (rest.contains("fix"))
    fail_config("fix is not a key of the suppression session: it trains none, scale and gated "
                "side by side");
  SuppressionSessionConfig sc;
  JsonConfigReader r(rest);
  read_fields(sc, r);
  r.finish();
  std::vector<double>& sweep = sc.sweep;
  if (sweep.size() > static_cast<std::size_t>(kMaxSweep))
    fail_config("sweep must have at most " + std::to_string(kMaxSweep) + " values (got " +
                std::to_string(sweep.size()) + ")");
  check_fields(sc);
  const SuppressionConfig& base = sc.base;
  base.validate();
  const int n_runs = 3 + static_cast<int>(sweep.size());
  int first = 0, end = n_runs;
  if (!range.is_null()) {
    if (!range.is_array() || range.size() != 2 || !range[0].is_number_integer() || !range[1].is_number_integer())
      fail_config("trained_runs must be [first, end], two integers with 0 <= first < end <= 3 + the sweep's length");
    first = range[0].get<int>();
    end = range[1].get<int>();
    if (first < 0 || first >= end || end > n_runs)
      fail_config("trained_runs: [" + std::to_string(first) + ", " + std::to_string(end) + ") must lie in [0, " +
                  std::to_string(n_runs) + ") with first < end (runs: none, scale, gated, then " +
                  std::to_string(sweep.size()) + " sweep points)");
  }
  // Build everything first: only a valid config replaces the running experiment.
  std::vector<std::unique_ptr<SuppressionRun>> runs, sweep_runs;
  for (const char* fix : kFixes) {
    SuppressionConfig c = base;
    c.fix = fix;
    runs.push_back(std::make_unique<SuppressionRun>(c));
  }
  for (double value : sweep) {
    SuppressionConfig c = base;
    c.l1 = value;
    sweep_runs.push_back(std::make_unique<SuppressionRun>(c));
  }
  config_ = base;
  sweep_values_ = std::move(sweep);
  runs_ = std::move(runs);
  sweep_ = std::move(sweep_runs);
  train_first_ = first;
  train_end_ = end;
  invalidate();
  return config_json();
}

Json SuppressionSession::config_json() const {
  Json j = config_.to_json();
  j.erase("fix");
  j["sweep"] = sweep_values_;
  if (train_first_ != 0 || train_end_ != 3 + static_cast<int>(sweep_.size()))
    j["trained_runs"] = Json::array({train_first_, train_end_});
  return j;
}

void SuppressionSession::require_configured() const {
  if (runs_.empty())
    fail_config("the suppression experiment is not configured yet: call configure first");
}

Json SuppressionSession::reset() {
  require_configured();
  for (auto& r : runs_) r->reset();
  for (auto& r : sweep_) r->reset();
  invalidate();
  return config_json();
}

// The furthest trained run's step against the longest one (the scale run: steps + scale_steps);
// each run stops at its own end, so the session is done once the longest one is.
RunProgress SuppressionSession::progress() const {
  require_configured();
  RunProgress p{0, 0, true};
  for (int i = train_first_; i < train_end_; ++i) {
    const SuppressionRun& r = nth_run(i);
    p.step = std::max(p.step, r.step());
    p.total_steps = std::max(p.total_steps, r.total_steps());
    p.done = p.done && r.done();
  }
  return p;
}

// loss and phase: the trained ones of none, scale, gated (all three but in a share).
Json SuppressionSession::train(int64_t k) {
  require_configured();
  invalidate();
  for (int i = train_first_; i < train_end_; ++i) nth_run(i).train(k);
  Json loss = Json::array(), phase = Json::array();
  for (int i = 0; i < 3; ++i) {
    if (!is_trained(i)) continue;
    loss.push_back(runs_[i]->last_loss());
    phase.push_back(runs_[i]->phase());
  }
  return Json{{"loss", loss}, {"phase", phase}};
}

void SuppressionSession::refresh_buffers(std::map<std::string, Buffer>& buffers) {
  buffers.clear();
  if (runs_.empty()) return;
  const int n = config_.n_features, G = kCurvePoints, A = kAnalyticPoints;
  const int S = static_cast<int>(sweep_.size());
  const bool uniform = config_.magnitude_kind() == SuppressionMagnitude::uniform;
  auto analytic = [&](double c) {
    return static_cast<float>(analytic_activation(c, config_.feature_probability, n,
                                                  config_.decoder_bias, uniform));
  };
  auto monosemantic = [&](double c) {
    return static_cast<float>(monosemantic_activation(c, config_.feature_probability, n,
                                                      config_.decoder_bias, uniform));
  };
  // a(c) from 0 to past the point where it reaches 0 (and past every configured c).
  double c_max = 2.5 / n;
  c_max = std::max(c_max, config_.l1);
  for (double c : sweep_values_) c_max = std::max(c_max, c);
  float* curve = add_buffer(buffers, "analytic_curve", {A, 2});
  float* mono_curve = add_buffer(buffers, "monosemantic_curve", {A, 2});
  for (int i = 0; i < A; ++i) {
    const double c = c_max * i / (A - 1);
    curve[2 * i] = mono_curve[2 * i] = static_cast<float>(c);
    curve[2 * i + 1] = analytic(c);
    mono_curve[2 * i + 1] = monosemantic(c);
  }
  add_buffer(buffers, "analytic_activation", {1})[0] = analytic(config_.l1);
  add_buffer(buffers, "monosemantic_activation", {1})[0] = monosemantic(config_.l1);
  // The exact expected losses that decide between the trained encoder and one latent per feature.
  const float nan = std::numeric_limits<float>::quiet_NaN();  // the values of runs not trained here
  float* losses = add_buffer(buffers, "expected_loss", {3});
  losses[0] = is_trained(0) ? static_cast<float>(runs_[0]->expected_loss()) : nan;
  losses[1] = is_trained(0) ? static_cast<float>(runs_[0]->monosemantic_loss()) : nan;
  losses[2] = is_trained(0) ? static_cast<float>(runs_[0]->loss_lower_bound()) : nan;
  float* mixing = add_buffer(buffers, "decoder_mixing", {3});
  float* dead = add_buffer(buffers, "dead", {3});
  float* outcome = add_buffer(buffers, "fix_outcome", {3});
  float* trained = add_buffer(buffers, "trained_activation", {3});
  float* effective = add_buffer(buffers, "effective_activation", {3});
  float* f_trained = add_buffer(buffers, "feature_trained_activation", {3, n});
  float* f_effective = add_buffer(buffers, "feature_activation", {3, n});
  float* transfer = add_buffer(buffers, "transfer_curve", {3, G, 2});
  float* gamma = add_buffer(buffers, "relative_reconstruction_bias", {3});
  float* loss = add_buffer(buffers, "loss", {3});
  float* steps = add_buffer(buffers, "step", {3});
  float* totals = add_buffer(buffers, "total_steps", {3});
  for (int k = 0; k < 3; ++k) {
    if (!is_trained(k)) {
      for (float* row : {trained + k, effective + k, gamma + k, mixing + k, dead + k, outcome + k, loss + k,
                         steps + k, totals + k})
        *row = nan;
      std::fill(f_trained + k * n, f_trained + (k + 1) * n, nan);
      std::fill(f_effective + k * n, f_effective + (k + 1) * n, nan);
      for (int g = 0; g < G; ++g) {
        transfer[(k * G + g) * 2] = static_cast<float>(g) / (G - 1);
        transfer[(k * G + g) * 2 + 1] = nan;
      }
      continue;
    }
    const SuppressionRun& r = *runs_[k];
    const Vec a = r.trained_activations(), e = r.effective_activations();
    trained[k] = a.mean();
    effective[k] = e.mean();
    std::copy(a.data(), a.data() + n, f_trained + k * n);
    std::copy(e.data(), e.data() + n, f_effective + k * n);
    const Vec t = r.transfer_curve(G);
    for (int g = 0; g < G; ++g) {
      transfer[(k * G + g) * 2] = static_cast<float>(g) / (G - 1);
      transfer[(k * G + g) * 2 + 1] = t[g];
    }
    gamma[k] = static_cast<float>(r.relative_reconstruction_bias());
    mixing[k] = static_cast<float>(r.decoder_mixing());
    dead[k] = r.dead() ? 1.f : 0.f;
    outcome[k] = static_cast<float>(r.fix_outcome());
    loss[k] = static_cast<float>(r.last_loss());
    steps[k] = static_cast<float>(r.step());
    totals[k] = static_cast<float>(r.total_steps());
  }
  float* sweep = add_buffer(buffers, "sweep", {S, 3});
  for (int i = 0; i < S; ++i) {
    sweep[3 * i] = static_cast<float>(sweep_values_[i]);
    sweep[3 * i + 1] = is_trained(3 + i) ? static_cast<float>(sweep_[i]->trained_activation()) : nan;
    sweep[3 * i + 2] = analytic(sweep_values_[i]);
  }
  float* scale = add_buffer(buffers, "scale", {n});
  if (!is_trained(1)) {
    std::fill(scale, scale + n, nan);
    return;
  }
  const auto& scale_run = static_cast<const SuppressionReluEncoder&>(runs_[1]->encoder());
  const Vec s = scale_run.s();
  std::copy(s.data(), s.data() + n, scale);
}

}  // namespace superpose
