// Toy models of superposition (Elhage et al. 2022), many independent instances trained at once.
//
// Legend:  n = n_features, m = n_hidden, K = n_instances, B = batch
//   linear       h = W x                 x' = Wᵀh + b
//   relu         h = W x                 x' = ReLU(Wᵀh + b)
//   relu-hidden  h = ReLU(W x)           x' = ReLU(Wᵀh + b)
//   abs          h = ReLU(W₁ x)          y  = ReLU(W₂h + b),  target |x|
// Loss per instance: importance-weighted MSE Σ_i I_i (y_i − x'_i)², mean over the batch; the
// trained objective is the sum over instances (instances share nothing, so each one's gradient
// is its own).
//
// Parameters live in one flat buffer (for the shared Adam), instance after instance:
//   W  (m, n) column-major: column i is feature i's direction   [W₁ for abs]
//   W₂ (n, m) column-major                                      [abs only]
//   b  (n)
// Not here: the readouts (toy/readouts.hpp), the data (toy/toy_data.hpp).
#pragma once
#include <cstdint>
#include <vector>

#include "core/eigen.hpp"
#include "core/divergence.hpp"
#include "core/optim.hpp"
#include "core/rng.hpp"
#include "toy/toy_config.hpp"
#include "toy/toy_data.hpp"

namespace superpose {

class ToyModel {
 public:
  explicit ToyModel(const ToyConfig& config);  // validates, then initialises from the seed

  const ToyConfig& config() const { return config_; }
  ToyModelKind kind() const { return kind_; }
  int n_features() const { return config_.n_features; }
  int n_hidden() const { return config_.n_hidden; }
  int n_instances() const { return config_.n_instances; }

  std::size_t params_per_instance() const { return per_instance_; }
  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  MatMap W(int k);    // (m, n); W₁ for the abs model
  MatMap W2(int k);   // (n, m); abs model only
  VecMap b(int k);    // (n)
  ConstMatMap W(int k) const;
  ConstMatMap W2(int k) const;
  ConstVecMap b(int k) const;

  // Forward (and backward when grad != nullptr, laid out like params()) on a given batch.
  // One pass per sample: encode the active entries, decode, loss and dL/d(out) fused, and the
  // backward only where that gradient is not exactly zero (most samples of a sparse instance).
  // Writes each instance's loss to instance_loss (if given); returns their sum.
  double forward_backward(const ToyBatch& batch, float* grad, std::vector<float>* instance_loss);

  // k training steps: sample a batch, forward, backward, Adam. Throws Diverged, naming the bad
  // step, when the model stops being finite, and keeps the last state whose loss was finite:
  //   a step's update makes a parameter non-finite  -> that step is undone;
  //   a step's loss or gradient is not finite       -> the state it starts from overflows, so the
  //                                                     step before it (which made it) is undone.
  void train(int64_t k);
  // One training step on a given batch (train() samples each one from the data stream).
  void train_on(const ToyBatch& batch);
  int64_t step() const { return adam_.steps_taken(); }
  // Per-instance loss of the latest training step (empty before the first).
  const std::vector<float>& last_loss() const { return last_loss_; }

  // Per-instance loss on a fresh batch drawn from a fixed evaluation stream (same every call).
  std::vector<float> evaluate(int batch_size) const;

  void reset();  // re-initialise parameters, optimiser and data stream from the seed

  // Train only these instances (a worker pool's share of the run, web/lib/shards.js: indices
  // ascending, not necessarily adjacent): each instance draws its data from its own stream
  // (ToyRng), so the trained ones see exactly the batches of a whole run and end bit-identical to
  // it; the others are not drawn, keep their initial weights and report loss 0. Default: all.
  // Throws std::invalid_argument unless the list is non-empty, ascending, without repeats and
  // within [0, K).
  void set_trained_instances(std::vector<int> instances);
  void set_trained_instances(int first, int end);  // [first, end)
  const std::vector<int>& trained_instances() const { return trained_; }
  bool trains_all() const { return static_cast<int>(trained_.size()) == n_instances(); }

  // The density from which an instance trains batched instead of per sample (tests).
  void set_batched_from(double density) { batched_from_ = density; }

 private:
  ToyConfig config_;
  ToyModelKind kind_;
  std::size_t per_instance_;
  std::vector<int> trained_;  // the trained instances, ascending (set_trained_instances)
  std::vector<float> params_, grads_;
  std::vector<float> importance_;
  Adam adam_;
  ToyDataGenerator data_;
  ToyRng data_rng_;
  ToyBatch batch_;
  std::vector<float> last_loss_;
  // Workspace of one sample, reused across samples, instances and steps (no allocation per step).
  // Output-side vectors are padded to n_pad, a multiple of the SIMD width, with zero importance
  // and zero decoder rows in the padding, so the kernels never run a scalar tail.
  int n_pad_;
  Vec importance_pad_;         // (n_pad)
  // The encoder and decoder share one layout, (n_pad, m) with contiguous columns: the encoder
  // is Eᵀ (h = Eᵀx) and the decoder D (out = D h + b). For the tied models E = D = Wᵀ, and both
  // gradient terms accumulate in one buffer; for abs, E = W₁ᵀ and D = W₂.
  Vec h_, h_pre_, dh_;         // (m)
  Vec x_, out_, target_, g_out_;  // (n_pad); x_ and target_ are kept all-zero between samples
  Vec bias_, g_bias_;          // (n_pad)
  Mat decoder_, g_decoder_;    // (n_pad, m): D and dL/dD (+ dL/dE for the tied models)
  Mat encoder_, g_encoder_;    // (n_pad, m): abs only
  // Batched strategy (dense instances): blocks of kBlock samples, rows contiguous over samples.
  static constexpr int kBlock = 128;
  RowMat decoder_rows_;        // (n_pad, m): D row-major
  RowMat xb_, yb_, gb_;        // (n_pad, kBlock)
  RowMat hb_, hb_pre_, dhb_;   // (m, kBlock)
  // Instances at least this dense (active entries / (n·B)) train batched, the rest per sample;
  // tests lower or raise it to check that both strategies give the same result.
  double batched_from_ = 0.05;
  // Snapshot of the state before the latest step, for divergence recovery (saved_t_ < 0: none).
  StepSnapshot saved_;
  std::vector<float> saved_loss_;
  void undo_last_step();
  std::vector<float> step_loss_;

  // One instance's loss (mean over the batch) and, when gE/gD/gb are given, its gradients
  // accumulated into the padded layouts. Two strategies, same result:
  float instance_per_sample(const SparseBatch& x, bool abs_target, float* gE, float* gD, float* gb);
  float instance_batched(const SparseBatch& x, bool abs_target, float* gE, float* gD, float* gb);

  std::size_t offset_W2() const { return static_cast<std::size_t>(n_hidden()) * n_features(); }
  std::size_t offset_b() const;
};

}  // namespace superpose
