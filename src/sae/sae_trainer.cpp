#include "sae/sae_trainer.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "core/kernels.hpp"

namespace superpose {

namespace {
SaeConfig with_dim(SaeConfig c, int d) {
  c.input_dim = d;
  c.validate();
  return c;
}
}  // namespace

SaeTrainer::SaeTrainer(const SaeConfig& config, std::shared_ptr<SaeData> data)
    : config_(with_dim(config, data->dim())), data_(std::move(data)),
      resample_rng_(static_cast<uint64_t>(config.seed), 5) {
  data_mean_ = data_->mean_estimate();
  reset();
}

void SaeTrainer::reset() {
  sae_ = make_sae(config_, config_.input_dim, data_mean_);
  adam_ = Adam(config_.optimizer_config(), sae_->params().size());
  grad_.assign(sae_->params().size(), 0.f);
  since_fired_.assign(config_.n_latents, 0);
  dead_.assign(config_.n_latents, 0);
  last_ = SaeLoss();
  resampled_ = 0;
  resample_rng_ = Rng(static_cast<uint64_t>(config_.seed), 5);
  data_->reset();
}

double SaeTrainer::dead_fraction() const {
  int64_t n = 0;
  for (int64_t t : since_fired_) n += t >= config_.dead_window;
  return static_cast<double>(n) / config_.n_latents;
}

void SaeTrainer::train(int64_t k) {
  for (int64_t i = 0; i < k; ++i) {
    data_->sample(batch_, config_.batch_size);
    train_on(batch_);
  }
}

void SaeTrainer::train_on(const Eigen::Ref<const Mat>& X) {
  const int64_t t = adam_.steps_taken();
  SaeStepContext ctx;
  ctx.l1 = config_.l1_at(t);
  ctx.dead = &dead_;
  ctx.training = true;
  const SaeLoss loss = sae_->loss(X, grad_.data(), ctx);
  if (!std::isfinite(loss.total) || !all_finite(grad_.data(), grad_.size()))
    throw Diverged("SAE training diverged at step " + std::to_string(t + 1) +
                   " (non-finite loss or gradient); the SAE keeps its state before that step");
  // With a finite gradient an Adam step moves each parameter by about lr at most, so the
  // parameters stay finite: no snapshot is needed to keep the state before a bad step.
  if (sae_->unit_norm_decoder()) sae_->project_decoder_grad(grad_.data());
  adam_.step(sae_->params().data(), grad_.data());
  if (sae_->unit_norm_decoder()) sae_->normalise_decoder();
  last_ = loss;

  // Dead-latent bookkeeping from this batch's code.
  const SparseCode& code = sae_->last_code();
  for (auto& s : since_fired_) ++s;
  for (std::size_t e = 0; e < code.nnz(); ++e)
    if (code.value[e] > 0.f) since_fired_[code.index[e]] = 0;
  for (int i = 0; i < config_.n_latents; ++i) dead_[i] = since_fired_[i] >= config_.dead_window;

  const bool resamples = config_.arch_kind() == SaeArch::relu || config_.arch_kind() == SaeArch::gated;
  if (resamples && config_.resample && (t + 1) % config_.resample_every == 0) resample_dead(X);
}

void SaeTrainer::resample_dead(const Eigen::Ref<const Mat>& X) {
  std::vector<int> dead;
  for (int i = 0; i < config_.n_latents; ++i)
    if (dead_[i]) dead.push_back(i);
  if (dead.empty()) return;
  Sae& sae = *sae_;
  const int B = static_cast<int>(X.cols());
  // Sampling weights: the squared reconstruction errors ‖x − x̂‖², times a cover factor that
  // drops to 0 for the inputs a latent resampled in this call points along (below).
  const Mat& X_hat = sae.last_reconstruction();
  Vec error(B), cover(B);
  Mat U = X.colwise() - sae.b_dec();  // (d, B) the inputs' directions, unit columns
  for (int s = 0; s < B; ++s) {
    error[s] = (X.col(s) - X_hat.col(s)).squaredNorm();
    const float n = U.col(s).norm();
    U.col(s) /= n > 0 ? n : 1.f;
    cover[s] = 1.f;
  }
  std::vector<double> cumulative(B);
  double total = 0;
  const auto weigh = [&] {
    total = 0;
    for (int s = 0; s < B; ++s) cumulative[s] = total += double(error[s]) * cover[s];
  };
  weigh();
  if (!(total > 0)) return;
  double alive_norm = 0;
  int alive = 0;
  for (int i = 0; i < config_.n_latents; ++i)
    if (!dead_[i]) {
      alive_norm += sae.W_enc_t().col(i).norm();
      ++alive;
    }
  const float encoder_scale = 0.2f * static_cast<float>(alive ? alive_norm / alive : 1.0);
  std::vector<float> m = adam_.m(), v = adam_.v();
  const std::size_t d = config_.input_dim;
  for (int i : dead) {
    if (!(total > 0)) break;  // every input is covered: the rest wait for the next check
    const double u = resample_rng_.uniform_open() * total;
    const int s = static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    Vec direction = X.col(std::min(s, B - 1)) - sae.b_dec();
    const float n = direction.norm();
    if (!(n > 0)) continue;
    direction /= n;
    sae.resample_latent(i, direction, encoder_scale);
    std::vector<std::size_t> idx = sae.extra_indices(i);
    for (std::size_t r = 0; r < d; ++r) {
      idx.push_back(i * d + r);                      // W_enc_t column i
      idx.push_back(sae.off_W_dec() + i * d + r);    // W_dec column i
    }
    idx.push_back(sae.off_b_enc() + i);
    for (std::size_t j : idx) m[j] = v[j] = 0.f;
    since_fired_[i] = 0;
    dead_[i] = 0;
    ++resampled_;
    // The next dead latent aims at inputs this one does not point along: without this, two
    // latents drawn toward the same feature (in the toy data every input of a feature lies on
    // one ray) become twins that share it forever.
    const Vec cosine = U.transpose() * direction;  // (B)
    for (int t = 0; t < B; ++t) cover[t] *= std::max(0.f, 1.f - cosine[t] * cosine[t]);
    weigh();
  }
  adam_.restore(m, v, adam_.steps_taken());
}

}  // namespace superpose
