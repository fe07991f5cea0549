#include "toy/toy_model.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

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
      data_(config_),
      data_rng_(static_cast<uint64_t>(config_.seed), kDataStream) {
  const std::size_t n = n_features(), m = n_hidden();
  per_instance_ = m * n + (kind_ == ToyModelKind::abs ? n * m : 0) + n;
  const std::size_t w = simd_width();
  n_pad_ = static_cast<int>((n + w - 1) / w * w);
  importance_pad_.setZero(n_pad_);
  for (std::size_t i = 0; i < n; ++i) importance_pad_[i] = importance_[i];
  params_.assign(per_instance_ * n_instances(), 0.f);
  grads_.assign(params_.size(), 0.f);
  set_trained_instances(0, n_instances());
  reset();
}

void ToyModel::set_trained_instances(std::vector<int> instances) {
  const int K = n_instances();
  bool ok = !instances.empty();
  for (std::size_t i = 0; ok && i < instances.size(); ++i)
    ok = instances[i] >= 0 && instances[i] < K && (i == 0 || instances[i] > instances[i - 1]);
  if (!ok) {
    std::string list;
    for (int k : instances) list += (list.empty() ? "" : ", ") + std::to_string(k);
    throw std::invalid_argument("trained instances [" + list + "] must be ascending, without repeats, each in [0, " +
                                std::to_string(K) + "), and hold one at least");
  }
  trained_ = std::move(instances);
}

void ToyModel::set_trained_instances(int first, int end) {
  std::vector<int> range;
  for (int k = first; k < end; ++k) range.push_back(k);
  set_trained_instances(std::move(range));
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
  data_rng_ = ToyRng(static_cast<uint64_t>(config_.seed), kDataStream);
  last_loss_.clear();
  saved_.clear();
}

double ToyModel::forward_backward(const ToyBatch& batch, float* grad,
                                  std::vector<float>* instance_loss) {
  const int n = n_features(), m = n_hidden(), np = n_pad_;
  const bool abs = kind_ == ToyModelKind::abs;
  h_.resize(m);
  h_pre_.resize(m);
  dh_.resize(m);
  out_.resize(np);
  g_out_.resize(np);
  x_.setZero(np);
  target_.setZero(np);
  bias_.setZero(np);
  decoder_.setZero(np, m);
  if (abs) encoder_.setZero(np, m);
  if (instance_loss) instance_loss->assign(n_instances(), 0.f);
  double total = 0;

  for (int k : trained_) {
    const SparseBatch& x = batch.x[k];
    if (abs) {
      decoder_.topRows(n) = W2(k);
      encoder_.topRows(n) = W(k).transpose();
    } else {
      decoder_.topRows(n) = W(k).transpose();
    }
    bias_.head(n) = b(k);
    float* gD = nullptr;
    float* gE = nullptr;
    float* gb = nullptr;
    if (grad) {
      g_decoder_.setZero(np, m);
      g_bias_.setZero(np);
      gD = g_decoder_.data();
      gb = g_bias_.data();
      if (abs) g_encoder_.setZero(np, m);
      gE = abs ? g_encoder_.data() : gD;
    }
    const double density =
        static_cast<double>(x.nnz()) / (static_cast<double>(n) * std::max(1, x.batch_size()));
    const float loss = density >= batched_from_
                           ? instance_batched(x, batch.abs_target, gE, gD, gb)
                           : instance_per_sample(x, batch.abs_target, gE, gD, gb);
    if (grad) {
      float* gk = grad + k * per_instance_;
      VecMap(gk + offset_b(), n) = g_bias_.head(n);
      MatMap(gk, m, n) = (abs ? g_encoder_ : g_decoder_).topRows(n).transpose();
      if (abs) MatMap(gk + offset_W2(), n, m) = g_decoder_.topRows(n);
    }
    if (instance_loss) (*instance_loss)[k] = loss;
    total += loss;
  }
  return total;
}

float ToyModel::instance_per_sample(const SparseBatch& x, bool abs_target, float* gE, float* gD,
                                    float* gb) {
  const int m = n_hidden(), np = n_pad_, B = x.batch_size();
  const bool hidden_relu = kind_ == ToyModelKind::relu_hidden || kind_ == ToyModelKind::abs;
  const bool out_relu = kind_ != ToyModelKind::linear;
  const float inv_B = 1.f / static_cast<float>(B);
  const float* D = decoder_.data();
  const float* E = kind_ == ToyModelKind::abs ? encoder_.data() : D;
  // A sample with more active entries than this encodes by SIMD dots over all n_pad features;
  // sparser samples gather their few active entries.
  const int dense_from = std::max(2, np / static_cast<int>(simd_width()));
  const int* idx = x.index.data();
  const float* val = x.value.data();
  float* h = h_.data();
  float* dh = dh_.data();
  float loss = 0.f;
  int empty = 0;  // samples with no active feature: all give out = b (see below)
  for (int s = 0; s < B; ++s) {
    const int first = x.start[s], last = x.start[s + 1];
    if (first == last) {
      ++empty;
      continue;
    }
    const bool dense = last - first >= dense_from;
    for (int e = first; e < last; ++e) {
      x_[idx[e]] = val[e];
      target_[idx[e]] = abs_target ? std::fabs(val[e]) : val[e];
    }
    // ---- forward: h = Eᵀx (= W x); ReLU for the hidden-ReLU models ----
    if (dense) {
      matvec_t(E, x_.data(), h, np, m);
    } else {  // each h_j accumulates in a register over the few active entries
      for (int j = 0; j < m; ++j) {
        float acc = 0.f;
        for (int e = first; e < last; ++e) acc += val[e] * E[j * np + idx[e]];
        h[j] = acc;
      }
    }
    if (hidden_relu) {
      h_pre_ = h_;
      relu_inplace(h, m);
    }
    // ---- out = b + D h; loss and dL/d(out) fused (the batch mean's 1/B folded in) ----
    matvec_add(D, h, bias_.data(), out_.data(), np, m);
    const float l = weighted_sq_error_grad(out_.data(), target_.data(), importance_pad_.data(),
                                           g_out_.data(), np, inv_B, out_relu);
    loss += l;
    // A zero loss means every w_i·d_i is zero, so the whole gradient of this sample is zero.
    if (gD && l != 0.f) {
      // ---- backward, mirroring the forward in reverse ----
      axpy(1.f, g_out_.data(), gb, np);                        // db += g
      matvec_t_outer(D, g_out_.data(), h, gD, dh, np, m);      // dh = Dᵀg, dD += g hᵀ
      if (hidden_relu) relu_backward_inplace(h_pre_.data(), dh, m);
      if (dense) {
        outer_add(gE, x_.data(), dh, np, m);                   // dE += x dhᵀ
      } else {
        for (int e = first; e < last; ++e)
          for (int j = 0; j < m; ++j) gE[j * np + idx[e]] += val[e] * dh[j];
      }
    }
    for (int e = first; e < last; ++e) x_[idx[e]] = target_[idx[e]] = 0.f;
  }
  if (empty > 0) {
    // x = 0 gives h = 0 and out = b for every model: one loss and one gradient, counted
    // `empty` times; with h = 0 and x = 0 only the bias receives gradient.
    const float l = weighted_sq_error_grad(bias_.data(), target_.data(), importance_pad_.data(),
                                           g_out_.data(), np, inv_B, out_relu);
    loss += static_cast<float>(empty) * l;
    if (gb) axpy(static_cast<float>(empty), g_out_.data(), gb, np);
  }
  return loss * inv_B;
}

float ToyModel::instance_batched(const SparseBatch& x, bool abs_target, float* gE, float* gD,
                                 float* gb) {
  const int n = n_features(), m = n_hidden(), np = n_pad_, B = x.batch_size(), L = kBlock;
  const bool hidden_relu = kind_ == ToyModelKind::relu_hidden || kind_ == ToyModelKind::abs;
  const bool out_relu = kind_ != ToyModelKind::linear;
  const float inv_B = 1.f / static_cast<float>(B);
  if (xb_.rows() != np || hb_.rows() != m) {  // sized once per shape; padding rows stay zero
    xb_.setZero(np, L);
    yb_.setZero(np, L);
    gb_.setZero(np, L);
    hb_.setZero(m, L);
    hb_pre_.setZero(m, L);
    dhb_.setZero(m, L);
  }
  decoder_rows_ = decoder_;  // (n_pad, m) row-major: row i = D[i, :]
  // Row-major views: the encoder E as (m, n_pad) rows W[j, :]; the decoder D as (n_pad, m);
  // Dᵀ as (m, n_pad), which is D's column-major storage.
  const float* E_rows = kind_ == ToyModelKind::abs ? encoder_.data() : decoder_.data();
  const float* D_rows = decoder_rows_.data();
  const float* Dt_rows = decoder_.data();
  float loss = 0.f;
  for (int s0 = 0; s0 < B; s0 += L) {
    const int len = std::min(L, B - s0);
    // ---- inputs and targets of this block, dense (n_pad, len) ----
    xb_.setZero();
    for (int s = s0; s < s0 + len; ++s)
      for (int e = x.start[s]; e < x.start[s + 1]; ++e) xb_(x.index[e], s - s0) = x.value[e];
    if (abs_target) yb_ = xb_.cwiseAbs();
    const RowMat& yb = abs_target ? yb_ : xb_;
    // ---- forward: H = W X (ReLU'd for the hidden-ReLU models); O = D H + b ----
    // (The products run over the n real features only: X's and G's padding rows are zero, so
    // the n_pad-wide sums would add exact zeros after the same terms, and the padding rows of
    // dD and dE stay zero; natively with AVX-512, n = 20 pads to 32.)
    rows_combine(E_rows, np, nullptr, xb_.data(), hb_.data(), m, n, len, L);
    if (hidden_relu) {
      hb_pre_ = hb_;
      relu_inplace(hb_.data(), hb_.size());
    }
    // O = D H + b, the loss and G = dL/dO, and db += G 1, fused: O stays in registers.
    loss = decode_loss_rows(D_rows, bias_.data(), importance_pad_.data(), hb_.data(), yb.data(),
                            gb_.data(), gb, n, m, len, L, inv_B, out_relu, loss);
    if (!gD) continue;
    // ---- backward ----
    // (With Out's row stride n_pad, Out[j·n_pad + i] is exactly the column-major (n_pad, m)
    // layout of dD and dE.)
    rows_dot_add(hb_.data(), gb_.data(), gD, np, m, n, len, L);    // dD[i, j] += G_i · H_j
    rows_combine(Dt_rows, np, nullptr, gb_.data(), dhb_.data(), m, n, len, L);  // dH = Dᵀ G
    if (hidden_relu) relu_backward_inplace(hb_pre_.data(), dhb_.data(), dhb_.size());
    rows_dot_add(dhb_.data(), xb_.data(), gE, np, m, n, len, L);   // dE[i, j] += X_i · dH_j
  }
  return loss * inv_B;
}

void ToyModel::train(int64_t k) {
  for (int64_t i = 0; i < k; ++i) {
    data_.sample(data_rng_, batch_, config_.batch_size, trained_);
    train_on(batch_);
  }
}

void ToyModel::train_on(const ToyBatch& batch) {
  const double total = forward_backward(batch, grads_.data(), &step_loss_);
  if (!std::isfinite(total) || !all_finite(grads_.data(), grads_.size())) {
    // The state this step starts from has a loss that is not finite, so the latest step, which
    // made that state, was the bad one: go back to the state before it, the last whose loss was
    // finite (its readouts overflow too). Right after reset() the state stays.
    const int64_t bad = saved_.empty() ? step() + 1 : saved_.step() + 1;
    undo_last_step();
    throw Diverged(diverged_message(bad, "the loss or its gradient after it", config_.lr));
  }
  // Snapshot (copies into buffers sized once, no allocation) so this step can be undone.
  saved_.save(params_, adam_);
  saved_loss_ = last_loss_;
  adam_.step(params_.data(), grads_.data());
  if (!all_finite(params_.data(), params_.size())) {
    const int64_t bad = saved_.step() + 1;
    undo_last_step();
    throw Diverged(diverged_message(bad, "a parameter", config_.lr));
  }
  last_loss_ = step_loss_;
}

void ToyModel::undo_last_step() {
  if (saved_.empty()) return;
  saved_.restore(params_, adam_);
  last_loss_ = saved_loss_;
}

std::vector<float> ToyModel::evaluate(int batch_size) const {
  ToyRng rng(static_cast<uint64_t>(config_.seed), kEvalStream);
  ToyBatch batch;
  data_.sample(rng, batch, batch_size);
  std::vector<float> loss;
  // forward_backward uses the workspace; evaluation runs on a copy so it stays const.
  ToyModel copy(*this);
  copy.forward_backward(batch, nullptr, &loss);
  return loss;
}

}  // namespace superpose
