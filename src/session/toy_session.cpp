#include "session/toy_session.hpp"

#include <numeric>

#include "core/check.hpp"
#include "toy/readouts.hpp"
#include "toy/toy_export.hpp"

namespace superpose {

Json ToySession::configure(const Json& config) {
  // trained_instances [first, end): the session's own key (a worker pool's share of the
  // instances, docs/wasm-api.md), not a key of the model's config.
  Json rest = config;
  Json range;
  if (rest.is_object() && rest.contains("trained_instances")) {
    range = rest["trained_instances"];
    rest.erase("trained_instances");
  }
  ToyConfig c = ToyConfig::from_json(rest);
  auto model = std::make_unique<ToyModel>(c);
  if (!range.is_null()) {
    if (!range.is_array() || range.size() != 2 || !range[0].is_number_integer() || !range[1].is_number_integer())
      fail_config("trained_instances must be [first, end], two integers with 0 <= first < end <= n_instances");
    try {
      model->set_trained_instances(range[0].get<int>(), range[1].get<int>());
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
  if (model_->trained_first() != 0 || model_->trained_end() != model_->n_instances())
    j["trained_instances"] = Json::array({model_->trained_first(), model_->trained_end()});
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
  return Json{{"loss", std::vector<float>(l.begin() + model.trained_first(), l.begin() + model.trained_end())}};
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
  // The trained instances only (all but in a worker pool's share): rows k of instance k0 + k.
  const int k0 = model.trained_first(), K = model.trained_end() - k0;
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
    const int g = k0 + k;
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
