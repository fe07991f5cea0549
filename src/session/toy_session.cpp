#include "session/toy_session.hpp"

#include <numeric>

#include "core/check.hpp"
#include "toy/readouts.hpp"
#include "toy/toy_export.hpp"

namespace superpose {

Json ToySession::configure(const Json& config) {
  ToyConfig c = ToyConfig::from_json(config);
  model_ = std::make_unique<ToyModel>(c);
  invalidate();
  return c.to_json();
}

ToyModel& ToySession::require_model() {
  if (!model_) fail_config("the toy experiment is not configured yet: call configure first");
  return *model_;
}

Json ToySession::reset() {
  require_model().reset();
  invalidate();
  return model_->config().to_json();
}

RunProgress ToySession::progress() const {
  if (!model_) fail_config("the toy experiment is not configured yet: call configure first");
  const int64_t total = model_->config().steps;
  return {model_->step(), total, model_->step() >= total};
}

Json ToySession::train(int64_t k) {
  ToyModel& model = require_model();
  invalidate();
  model.train(k);
  return Json{{"loss", model.last_loss()}};
}

std::vector<uint8_t> ToySession::export_safetensors() {
  return write_safetensors(export_toy(require_model()));
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
  const int K = model.n_instances(), n = model.n_features(), m = model.n_hidden();
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
    copy_row_major(model.W(k), W + k * m * n);
    if (W2) copy_row_major(model.W2(k), W2 + k * n * m);
    Eigen::Map<Vec>(b + k * n, n) = model.b(k);
    const ToyReadouts r = compute_readouts(model.W(k));
    copy_row_major(r.WtW, WtW + k * n * n);
    Eigen::Map<Vec>(norms + k * n, n) = r.feature_norms;
    Eigen::Map<Vec>(interference + k * n, n) = r.interference;
    Eigen::Map<Vec>(dimensionality + k * n, n) = r.dimensionality;
    dpf[k] = r.dims_per_feature;
    loss[k] = model.last_loss().empty() ? 0.f : model.last_loss()[k];
    prob[k] = static_cast<float>(model.config().probability(k));
  }
  const auto imp = model.config().importance();
  std::copy(imp.begin(), imp.end(), importance);
}

}  // namespace superpose
