// The one small interface every sparse-autoencoder architecture implements (issue 5), and the
// parts they share: the parameter layout, the dense encoder GEMM, the sparse decoder, the
// backward passes through decoder and encoder, and the unit-norm decoder constraint.
//
// Legend:  d = input dimension, L = n_latents, B = batch, nnz = active (sample, latent) pairs
//   encoder input   x − b_dec                                    (d)
//   pre-activation  π = W_enc (x − b_dec) + b_enc                (L)
//   code            f = σ(π)   (σ: the architecture's activation, mostly zeros)
//   decoder         x̂ = W_dec f + b_dec                          (d)
// Losses are means over the batch of per-sample sums: ‖x − x̂‖² + the architecture's penalty.
//
// Parameters live in one flat buffer (for the shared Adam):
//   W_enc_t (d, L) column-major: column i is latent i's encoder row, i.e. W_enc (L, d) = W_enc_tᵀ
//   b_enc   (L)
//   W_dec   (d, L) column-major: column i is latent i's decoder direction
//   b_dec   (d)
//   extras  (architecture's own: gated r_mag, b_mag; jumprelu log θ)
// W_enc is stored transposed so that each latent's encoder row is contiguous: the sparse
// backward then adds d-long rows (axpy) for the active latents only.
//
// Speed: the only dense work is π = W_enc_tᵀ (X − b_dec) (Eigen GEMM, L·d·B MACs). Decoding and
// nearly all of the backward run over each sample's active latents (SparseCode), a d-long
// axpy/dot per (sample, active latent).
// Not here: the architectures' activations and penalties (relu_sae, gated_sae, jumprelu_sae,
// topk_sae, batchtopk_sae, matryoshka_sae), training (sae_trainer), metrics (sae_metrics).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/eigen.hpp"
#include "core/rng.hpp"
#include "sae/sae_config.hpp"

namespace superpose {

// The code of a batch, sparse: sample s's entries are [start[s], start[s+1]) of index (latent),
// value (f) and extra (an architecture's per-entry cache, e.g. the pre-activation). Entries may
// carry f = 0 (a gated latent whose gate is open but magnitude is not; a JumpReLU latent just
// below its threshold, kept for the straight-through gradient); L0 counts only f > 0.
struct SparseCode {
  std::vector<int> start;    // (B + 1)
  std::vector<int> index;    // (nnz)
  std::vector<float> value;  // (nnz)
  std::vector<float> extra;  // (nnz)
  int batch_size() const { return start.empty() ? 0 : static_cast<int>(start.size()) - 1; }
  std::size_t nnz() const { return index.size(); }
  void clear() {
    start.assign(1, 0);
    index.clear();
    value.clear();
    extra.clear();
  }
  void push(int i, float f, float e = 0.f) {
    index.push_back(i);
    value.push_back(f);
    extra.push_back(e);
  }
  void end_sample() { start.push_back(static_cast<int>(index.size())); }
  // Mean number of entries with f > 0 per sample.
  double l0() const;
};

// What a training step tells the loss beyond the batch.
struct SaeStepContext {
  double l1 = 0;                               // λ now (after its warmup)
  const std::vector<uint8_t>* dead = nullptr;  // (L) latents dead in training (aux-k), or null
  bool training = true;                        // batch statistics may update (BatchTopK θ)
};

struct SaeLoss {
  double total = 0;     // the objective
  double mse = 0;       // mean over the batch of ‖x − x̂‖²
  double sparsity = 0;  // the penalty term (λ included)
  double aux = 0;       // gated: the frozen-decoder reconstruction; topk: aux-k
  double prefix_mse = 0;  // matryoshka: Σ over the inner prefixes of their mean ‖x − x̂_{0:w}‖²
  double l0 = 0;        // mean active latents per sample
};

class Sae {
 public:
  Sae(const SaeConfig& config, int d, std::size_t n_extra);
  virtual ~Sae() = default;

  SaeArch arch() const { return arch_; }
  const SaeConfig& config() const { return config_; }
  int d() const { return d_; }
  int n_latents() const { return L_; }

  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  MatMap W_enc_t() { return MatMap(params_.data(), d_, L_); }  // (d, L)
  VecMap b_enc() { return VecMap(params_.data() + off_b_enc(), L_); }
  MatMap W_dec() { return MatMap(params_.data() + off_W_dec(), d_, L_); }  // (d, L)
  VecMap b_dec() { return VecMap(params_.data() + off_b_dec(), d_); }
  ConstMatMap W_enc_t() const { return ConstMatMap(params_.data(), d_, L_); }
  ConstVecMap b_enc() const { return ConstVecMap(params_.data() + off_b_enc(), L_); }
  ConstMatMap W_dec() const { return ConstMatMap(params_.data() + off_W_dec(), d_, L_); }
  ConstVecMap b_dec() const { return ConstVecMap(params_.data() + off_b_dec(), d_); }
  std::size_t off_b_enc() const { return std::size_t(d_) * L_; }
  std::size_t off_W_dec() const { return off_b_enc() + L_; }
  std::size_t off_b_dec() const { return off_W_dec() + std::size_t(d_) * L_; }
  std::size_t off_extra() const { return off_b_dec() + d_; }

  // config.init "tied" (Gao et al. 2024): unit random decoder columns, W_enc = W_decᵀ,
  // b_enc = 0, b_dec = the data mean. "random" (ARENA): W_enc and W_dec independent
  // Kaiming-uniform, decoder columns normalised, b_enc = 0, b_dec = 0. Then the extras.
  void initialise(Rng& rng, const Vec& data_mean);

  // Inference: X (d, B) -> the code (only f > 0 entries).
  void encode(const Eigen::Ref<const Mat>& X, SparseCode& code);
  // x̂ = W_dec f + b_dec: code -> X_hat (d, B).
  void decode(const SparseCode& code, Mat& X_hat) const;
  // The training objective on a batch; with grad (laid out like params, overwritten) its
  // gradient. Leaves the reconstruction in last_reconstruction() and the code in last_code().
  virtual SaeLoss loss(const Eigen::Ref<const Mat>& X, float* grad, const SaeStepContext& ctx) = 0;

  const Mat& last_reconstruction() const { return X_hat_; }  // (d, B)
  const SparseCode& last_code() const { return code_; }

  // The unit-norm decoder constraint: remove each gradient column's component along its
  // (unit) decoder column before the step, and renormalise the columns after it.
  bool unit_norm_decoder() const;
  void project_decoder_grad(float* grad) const;
  void normalise_decoder();
  // Resampling a dead latent i (trainer): decoder column = direction, encoder row =
  // encoder_scale · direction, b_enc_i = 0, and the architecture's extras of i reset.
  virtual void resample_latent(int i, const Eigen::Ref<const Vec>& direction, float encoder_scale);
  // The extras' parameter indices of latent i (their optimiser state is reset on resampling).
  virtual std::vector<std::size_t> extra_indices(int i) const;

 protected:
  SaeConfig config_;
  SaeArch arch_;
  int d_, L_;
  std::vector<float> params_;
  // Workspace reused across steps.
  Mat Xc_;      // (d, B)  x − b_dec
  Mat pre_;     // (L, B)  W_enc (x − b_dec), without b_enc (added as it is read)
  Mat X_hat_;   // (d, B)
  Mat W_enc_;   // (L, d)  W_enc itself, for the encoder kernel where Eigen has no SIMD
  SparseCode code_;
  std::vector<float> df_, dpre_, db_enc_;  // (nnz)
  Vec g_;       // (d)
  Vec zeros_;   // (L)
  std::vector<int> active_;  // (L + 4)
  mutable Vec dpre_sum_;     // (L)

  virtual void initialise_extras() {}
  // Fills code from pre_ (and the parameters). training: the loss's code (may carry f = 0
  // entries needed by the backward, may use batch statistics).
  virtual void activate(SparseCode& code, bool training) = 0;

  // Xc_ = X − b_dec; pre_ = W_enc Xc_ (b_enc is added by whoever reads pre_).
  void encoder_forward(const Eigen::Ref<const Mat>& X);
  // How every loss() starts: encoder_forward, the training code (activate(code_, true)) and,
  // with grad, the gradient zeroed.
  void training_forward(const Eigen::Ref<const Mat>& X, float* grad);
  // training_forward, then reconstruction_backward: the loss's mse and l0 (the rest 0).
  SaeLoss reconstruction_loss(const Eigen::Ref<const Mat>& X, float* grad);
  // Appends to code the entries of column s of pre_ above the per-latent thresholds
  // (value = pre, extra = pre).
  void collect_column(int s, const float* threshold, SparseCode& code);
  // Decodes code_ into X_hat_, returns mean ‖x − x̂‖². With grad: df_[e] = ∂mse/∂f_e for every
  // entry, and accumulates ∂mse/∂W_dec, ∂mse/∂b_dec.
  double reconstruction_backward(const Eigen::Ref<const Mat>& X, float* grad);
  // Given dpre_[e] = ∂L/∂(W_enc xc)_e per entry and db_enc_[e] = ∂L/∂b_enc_e (or null: the
  // same as dpre_), accumulates ∂L/∂W_enc, ∂L/∂b_enc and ∂L/∂b_dec (through xc = x − b_dec).
  void encoder_backward(const SparseCode& code, const float* dpre, const float* db_enc,
                        float* grad) const;
  void zero_grad(float* grad) const;
};

// The architecture named by config.arch, initialised from the seed and the data mean.
std::unique_ptr<Sae> make_sae(const SaeConfig& config, int d, const Vec& data_mean);

}  // namespace superpose
