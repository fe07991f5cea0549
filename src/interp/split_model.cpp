#include "interp/split_model.hpp"

#include "core/check.hpp"

namespace superpose {

SplitToyModel SplitToyModel::from(const ToyModel& model, int instance) {
  require_in_range("instance", instance, 0, model.n_instances() - 1, false, false, nullptr,
                   "n_instances-1");
  SplitToyModel s;
  s.W_in = model.W(instance);
  const ToyModelKind kind = model.kind();
  s.W_out = kind == ToyModelKind::abs ? Mat(model.W2(instance)) : Mat(s.W_in.transpose());
  s.b = model.b(instance);
  const auto imp = model.config().importance();
  s.importance = Eigen::Map<const Vec>(imp.data(), static_cast<Eigen::Index>(imp.size()));
  s.hidden_relu = kind == ToyModelKind::relu_hidden || kind == ToyModelKind::abs;
  s.output_relu = kind != ToyModelKind::linear;
  return s;
}

Mat SplitToyModel::hidden(const Eigen::Ref<const Mat>& X) const {
  Mat H = W_in * X;
  if (hidden_relu) H = H.cwiseMax(0.f);
  return H;
}

Mat SplitToyModel::output(const Eigen::Ref<const Mat>& H) const {
  Mat out = (W_out * H).colwise() + b;
  if (output_relu) out = out.cwiseMax(0.f);
  return out;
}

Vec SplitToyModel::loss_per_feature(const Eigen::Ref<const Mat>& out,
                                    const Eigen::Ref<const Mat>& Y) const {
  const Eigen::Index B = out.cols();
  Vec sq = (Y - out).array().square().rowwise().sum().matrix();
  return importance.cwiseProduct(sq) / static_cast<float>(B > 0 ? B : 1);
}

}  // namespace superpose
