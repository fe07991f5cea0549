#include "session/grok_session.hpp"

#include <algorithm>

#include "core/check.hpp"
#include "grok/grok_fourier.hpp"

namespace superpose {

Json GrokSession::configure(const Json& config) {
  Json rest = config_object(config);
  rest.erase("steps");  // read-only: the answer's copy of epochs
  auto run = std::make_unique<GrokRun>(GrokConfig::from_json(rest));
  run_ = std::move(run);  // only a valid config replaces the running experiment
  invalidate();
  return config_json();
}

Json GrokSession::config_json() const {
  Json j = run_->config().to_json();
  j["steps"] = run_->config().epochs;
  return j;
}

Json GrokSession::reset() {
  configured(run_, "grok").reset();
  invalidate();
  return config_json();
}

RunProgress GrokSession::progress() const {
  const GrokRun& run = configured(run_, "grok");
  return RunProgress::of(run.epoch(), run.config().epochs);
}

Json GrokSession::train(int64_t k) {
  GrokRun& run = configured(run_, "grok");
  invalidate();
  run.train(k);
  // The latest history point (none before the first epoch: loss is then empty).
  if (run.history().empty()) return Json{{"loss", Json::array()}};
  const GrokPoint& h = run.history().back();
  return Json{{"loss", Json::array({h.train_loss})}, {"train_acc", h.train_acc}, {"test_acc", h.test_acc}};
}

void GrokSession::refresh_buffers(std::map<std::string, Buffer>& buffers) {
  buffers.clear();
  if (!run_) return;
  GrokRun& run = *run_;
  // The history, one column per quantity (the page reads them by name; they grow with the run).
  const auto& history = run.history();
  add_column(buffers, "history_epoch", history, [](const GrokPoint& g) { return double(g.epoch); });
  add_column(buffers, "history_train_acc", history, [](const GrokPoint& g) { return g.train_acc; });
  add_column(buffers, "history_test_acc", history, [](const GrokPoint& g) { return g.test_acc; });
  add_column(buffers, "history_train_loss", history, [](const GrokPoint& g) { return g.train_loss; });
  add_column(buffers, "history_test_loss", history, [](const GrokPoint& g) { return g.test_loss; });
  add_column(buffers, "history_weight_norm", history, [](const GrokPoint& g) { return g.weight_norm; });
  float* thresholds = add_buffer(buffers, "thresholds", {3});
  const std::optional<int64_t> t[3] = {run.epoch_train_100(), run.epoch_test_50(),
                                        run.epoch_test_99()};
  for (int i = 0; i < 3; ++i) thresholds[i] = t[i] ? static_cast<float>(*t[i]) : -1.f;
  add_values(buffers, "epoch", {double(run.epoch())});
  add_values(buffers, "weight_norm", {run.weight_norm()});

  const Mat power = run.fourier_power();  // (rows, K + 1)
  const int rows = static_cast<int>(power.rows()), F = static_cast<int>(power.cols());
  const Vec spectrum = fourier_spectrum(power);
  std::copy(spectrum.data(), spectrum.data() + F, add_buffer(buffers, "spectrum", {F}));
  const std::vector<int> top = top_frequencies(spectrum, kTopFrequencies);
  float* topb = add_buffer(buffers, "top_frequencies", {static_cast<int>(top.size())});
  for (std::size_t i = 0; i < top.size(); ++i) topb[i] = static_cast<float>(top[i]);
  add_values(buffers, "fourier_concentration", {fourier_concentration(power)});
  // Each row's spectrum as shares of its own norm² (a row of zeros stays zeros).
  float* rs = add_buffer(buffers, "row_spectrum", {rows, F});
  for (int r = 0; r < rows; ++r) {
    const float total = power.row(r).sum();
    for (int k = 0; k < F; ++k) rs[r * F + k] = total > 0.f ? power(r, k) / total : 0.f;
  }

  if (auto paths = run.paths()) {
    add_values(buffers, "contributions", {paths->direct_contribution, paths->mlp_contribution});
    float* ab = add_buffer(buffers, "ablation", {2, 3});
    for (int path = 0; path < 2; ++path)
      for (int mode = 0; mode < 3; ++mode)
        ab[3 * path + mode] = static_cast<float>(paths->ablated[path][mode].accuracy);
    add_values(buffers, "clean_accuracy", {paths->clean.accuracy});
  }
}

}  // namespace superpose
