#include "toy/toy_model.hpp"

#include <cmath>
#include <cstring>

#include "core/check.hpp"
#include "core/kernels.hpp"

namespace superpose {

namespace {
ToyConfig validated(const ToyConfig& c) {
  c.validate();
  return c;
}
// Streams of the seeded RNG: parameter init, training data, evaluation data.
constexpr uint64_t kInitStream = 0, kDataStream = 1, kEvalStream = 2;
}  // namespace

ToyModel::ToyModel(const ToyConfig& config)
    : config_(validated(config)),
      kind_(config_.model_kind()),
      importance_(config_.importance()),
      data_(config_) {
  const std::size_t n = n_features(), m = n_hidden();
  per_instance_ = m * n + (kind_ == ToyModelKind::abs ? n * m : 0) + n;
  params_.assign(per_instance_ * n_instances(), 0.f);
  grads_.assign(params_.size(), 0.f);
  reset();
}

std::size_t ToyModel::offset_b() const {
  return offset_W2() + (kind_ == ToyModelKind::abs ? offset_W2() : 0);
}

MatMap ToyModel::W(int k) { return MatMap(&params_[k * per_instance_], n_hidden(), n_features()); }
MatMap ToyModel::W2(int k) {
  return MatMap(&params_[k * per_instance_ + offset_W2()], n_features(), n_hidden());
}
VecMap ToyModel::b(int k) { return VecMap(&params_[k * per_instance_ + offset_b()], n_features()); }
ConstMatMap ToyModel::W(int k) const {
  return ConstMatMap(&params_[k * per_instance_], n_hidden(), n_features());
}
ConstMatMap ToyModel::W2(int k) const {
  return ConstMatMap(&params_[k * per_instance_ + offset_W2()], n_features(), n_hidden());
}
ConstVecMap ToyModel::b(int k) const {
  return ConstVecMap(&params_[k * per_instance_ + offset_b()], n_features());
}

void ToyModel::reset() {
  // Xavier-normal weights, zero bias (as the paper's colab and the ARENA exercises).
  Rng init(static_cast<uint64_t>(config_.seed), kInitStream);
  const double std_dev = std::sqrt(2.0 / (n_features() + n_hidden()));
  std::fill(params_.begin(), params_.end(), 0.f);
  for (int k = 0; k < n_instances(); ++k) {
    float* p = &params_[k * per_instance_];
    for (std::size_t i = 0; i < offset_b(); ++i) p[i] = static_cast<float>(std_dev * init.normal());
  }
  adam_ = Adam(config_.optimizer_config(), params_.size());
  data_rng_ = Rng(static_cast<uint64_t>(config_.seed), kDataStream);
  last_loss_.clear();
}

double ToyModel::forward_backward(const ToyBatch& batch, float* grad,
                                  std::vector<float>* instance_loss) {
  const int n = n_features(), m = n_hidden(), B = static_cast<int>(batch.x[0].cols());
  const bool hidden_relu = kind_ == ToyModelKind::relu_hidden || kind_ == ToyModelKind::abs;
  const bool out_relu = kind_ != ToyModelKind::linear;
  const float inv_B = 1.f / static_cast<float>(B);
  h_.resize(m, B);
  out_.resize(n, B);
  g_out_.resize(n, B);
  if (instance_loss) instance_loss->assign(n_instances(), 0.f);
  double total = 0;

  for (int k = 0; k < n_instances(); ++k) {
    const Mat& x = batch.x[k];
    const Mat& y = batch.target(k);
    auto Wk = W(k);
    // ---- forward: h = W x (ReLU'd for the hidden-ReLU models), out = Wᵀh + b (W₂h + b) ----
    h_.noalias() = Wk * x;
    if (hidden_relu) {
      h_pre_ = h_;
      relu_inplace(h_.data(), h_.size());
    }
    if (kind_ == ToyModelKind::abs) out_.noalias() = W2(k) * h_;
    else out_.noalias() = Wk.transpose() * h_;
    out_.colwise() += b(k);
    // ---- loss and dL/d(out), fused; the 1/B of the batch mean is folded into the gradient ----
    float loss = 0.f;
    for (int s = 0; s < B; ++s)
      loss += weighted_sq_error_grad(out_.col(s).data(), y.col(s).data(), importance_.data(),
                                     g_out_.col(s).data(), n, inv_B, out_relu);
    loss *= inv_B;
    if (instance_loss) (*instance_loss)[k] = loss;
    total += loss;
    if (!grad) continue;
    // ---- backward, mirroring the forward in reverse ----
    float* gk = grad + k * per_instance_;
    MatMap gW(gk, m, n);
    VecMap gb(gk + offset_b(), n);
    gb.noalias() = g_out_.rowwise().sum();
    if (kind_ == ToyModelKind::abs) {
      MatMap gW2(gk + offset_W2(), n, m);
      gW2.noalias() = g_out_ * h_.transpose();
      g_h_.noalias() = W2(k).transpose() * g_out_;
      gW.setZero();
    } else {
      gW.noalias() = h_ * g_out_.transpose();  // W as the decoder (Wᵀ)
      g_h_.noalias() = Wk * g_out_;
    }
    if (hidden_relu) relu_backward_inplace(h_pre_.data(), g_h_.data(), g_h_.size());
    gW.noalias() += g_h_ * x.transpose();  // W as the encoder
  }
  return total;
}

void ToyModel::train(int64_t k) {
  for (int64_t i = 0; i < k; ++i) {
    data_.sample(data_rng_, batch_, config_.batch_size);
    const double total = forward_backward(batch_, grads_.data(), &step_loss_);
    if (!std::isfinite(total) || !all_finite(grads_.data(), grads_.size()))
      throw Diverged("training diverged at step " + std::to_string(step() + 1) +
                     ": the loss or its gradient is not finite; try a smaller learning rate (lr=" +
                     format_number(config_.lr) + ")");
    // Snapshot (copies into buffers sized once, no allocation) so a step that overflows a
    // parameter can be undone.
    saved_params_ = params_;
    saved_m_ = adam_.m();
    saved_v_ = adam_.v();
    const int64_t saved_t = adam_.steps_taken();
    adam_.step(params_.data(), grads_.data());
    if (!all_finite(params_.data(), params_.size())) {
      params_ = saved_params_;
      adam_.restore(saved_m_, saved_v_, saved_t);
      throw Diverged("training diverged at step " + std::to_string(saved_t + 1) +
                     ": a parameter is not finite; try a smaller learning rate (lr=" +
                     format_number(config_.lr) + ")");
    }
    last_loss_ = step_loss_;
  }
}

std::vector<float> ToyModel::evaluate(int batch_size) const {
  Rng rng(static_cast<uint64_t>(config_.seed), kEvalStream);
  ToyBatch batch;
  data_.sample(rng, batch, batch_size);
  std::vector<float> loss;
  // forward_backward uses the workspace; evaluation runs on a copy so it stays const.
  ToyModel copy(*this);
  copy.forward_backward(batch, nullptr, &loss);
  return loss;
}

}  // namespace superpose
