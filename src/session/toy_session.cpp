#include "session/toy_session.hpp"

#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "core/check.hpp"
#include "toy/readouts.hpp"
#include "toy/toy_export.hpp"

namespace superpose {

Json ToySession::configure(const Json& config) {
  // trained_instances [k, ...]: the session's own key (a worker pool's share of the instances,
  // docs/wasm-api.md), not a key of the model's config.
  Json rest = config;
  Json share;
  if (rest.is_object() && rest.contains("trained_instances")) {
    share = rest["trained_instances"];
    rest.erase("trained_instances");
  }
  ToyConfig c = ToyConfig::from_json(rest);
  auto model = std::make_unique<ToyModel>(c);
  if (!share.is_null()) {
    const char* form = "trained_instances must be a list of instance indices (integers), ascending, each in [0, n_instances)";
    if (!share.is_array() || share.size() > static_cast<std::size_t>(model->n_instances())) fail_config(form);
    std::vector<int> instances;
    for (const Json& k : share) {
      if (!k.is_number_integer()) fail_config(form);
      const int64_t v = k.get<int64_t>();
      if (v < 0 || v >= model->n_instances())
        fail_config("trained_instances: instance " + std::to_string(v) + " is not in [0, " +
                    std::to_string(model->n_instances()) + ")");
      instances.push_back(static_cast<int>(v));
    }
    try {
      model->set_trained_instances(std::move(instances));
    } catch (const std::invalid_argument& e) {
      fail_config(std::string("trained_instances: ") + e.what());
    }
  }
  model_ = std::move(model);
  invalidate();
  return config_json();
}

Json ToySession::config_json() const {
  Json j = model_->config().to_json();
  if (!model_->trains_all()) j["trained_instances"] = model_->trained_instances();
  return j;
}

Json ToySession::reset() {
  configured(model_, "toy").reset();
  invalidate();
  return config_json();
}

RunProgress ToySession::progress() const {
  const ToyModel& model = configured(model_, "toy");
  return RunProgress::of(model.step(), model.config().steps);
}

Json ToySession::train(int64_t k) {
  ToyModel& model = configured(model_, "toy");
  invalidate();
  model.train(k);
  const auto& l = model.last_loss();
  if (l.empty()) return Json{{"loss", l}};
  std::vector<float> loss;
  for (int k : model.trained_instances()) loss.push_back(l[k]);
  return Json{{"loss", loss}};
}

std::vector<uint8_t> ToySession::export_safetensors() {
  return write_safetensors(export_toy(configured(model_, "toy")));
}

Json ToySession::import_safetensors(const std::vector<uint8_t>& bytes) {
  model_ = import_toy(read_safetensors(bytes));  // a bad file leaves the running model as it was
  invalidate();
  return model_->config().to_json();
}

void ToySession::refresh_buffers(std::map<std::string, Buffer>& buffers) {
  buffers.clear();
  if (!model_) return;
  const ToyModel& model = *model_;
  // The trained instances only (all but in a worker pool's share): row k of the k-th of them.
  const std::vector<int>& trained = model.trained_instances();
  const int K = static_cast<int>(trained.size());
  const int n = model.n_features(), m = model.n_hidden();
  float* W = add_buffer(buffers, "W", {K, m, n});
  float* W2 = model.kind() == ToyModelKind::abs ? add_buffer(buffers, "W2", {K, n, m}) : nullptr;
  float* b = add_buffer(buffers, "b", {K, n});
  float* WtW = add_buffer(buffers, "WtW", {K, n, n});
  float* norms = add_buffer(buffers, "feature_norms", {K, n});
  float* interference = add_buffer(buffers, "interference", {K, n});
  float* dimensionality = add_buffer(buffers, "dimensionality", {K, n});
  float* dpf = add_buffer(buffers, "dims_per_feature", {K});
  float* loss = add_buffer(buffers, "loss", {K});
  float* prob = add_buffer(buffers, "feature_probability", {K});
  float* importance = add_buffer(buffers, "importance", {n});
  for (int k = 0; k < K; ++k) {
    const int g = trained[k];
    copy_row_major(model.W(g), W + k * m * n);
    if (W2) copy_row_major(model.W2(g), W2 + k * n * m);
    Eigen::Map<Vec>(b + k * n, n) = model.b(g);
    const ToyReadouts r = compute_readouts(model.W(g));
    copy_row_major(r.WtW, WtW + k * n * n);
    Eigen::Map<Vec>(norms + k * n, n) = r.feature_norms;
    Eigen::Map<Vec>(interference + k * n, n) = r.interference;
    Eigen::Map<Vec>(dimensionality + k * n, n) = r.dimensionality;
    dpf[k] = r.dims_per_feature;
    loss[k] = model.last_loss().empty() ? 0.f : model.last_loss()[g];
    prob[k] = static_cast<float>(model.config().probability(g));
  }
  const auto imp = model.config().importance();
  std::copy(imp.begin(), imp.end(), importance);
}

}  // namespace superpose
