// A grokking run: the data split, a net (Gromov MLP or residual), full-batch AdamW (one step per
// epoch over the training pairs), the history of train/test accuracy and loss and the weight
// norm, and the readouts (Fourier spectrum of the embedding; for the residual model, the paths'
// contributions and ablations on the test set).
//
// History point at epoch t = the model after t updates. Its train metrics come for free from the
// forward pass of update t + 1 (same parameters); its test metrics cost one forward over the test
// pairs, so points are taken every `eval_every` epochs (and by record()).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/divergence.hpp"
#include "core/optim.hpp"
#include "grok/grok_ablation.hpp"
#include "grok/grok_config.hpp"
#include "grok/grok_data.hpp"
#include "grok/grok_net.hpp"

namespace superpose {

struct GrokPoint {
  int64_t epoch = 0;
  double train_acc = 0, test_acc = 0, train_loss = 0, test_loss = 0, weight_norm = 0;
};

class GrokRun {
 public:
  explicit GrokRun(const GrokConfig& config);  // validates, splits, initialises from the seed

  const GrokConfig& config() const { return config_; }
  const GrokSplit& split() const { return split_; }
  GrokNet& net() { return *net_; }
  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  int64_t epoch() const { return adam_.steps_taken(); }

  // k full-batch epochs. Throws Diverged, naming the bad epoch, when the model stops being finite,
  // and keeps the last state whose loss was finite (parameters, moments, history): an epoch whose
  // update makes a parameter non-finite is undone; an epoch whose loss or gradient is not finite
  // starts from a state that overflows, so the epoch before it (which made it) is undone.
  void train(int64_t k);
  // Adds the history point of the current state (one forward over all pairs), unless the latest
  // point is already of this epoch.
  void record();
  const std::vector<GrokPoint>& history() const { return history_; }

  // The first history epoch with train accuracy 1, test accuracy ≥ 0.5, ≥ 0.99 (none: nullopt).
  std::optional<int64_t> epoch_train_100() const;
  std::optional<int64_t> epoch_test_50() const;
  std::optional<int64_t> epoch_test_99() const;

  double weight_norm() const;  // ‖all parameters‖₂
  Mat fourier_power() const;   // (embedding rows, p/2 + 1): grok/grok_fourier.hpp
  // Residual model only (else nullopt): the paths on the test set, at the current parameters.
  std::optional<GrokPathReadout> paths();

  // Loss on a set (and dL/dparams when grad is given): tests and finite differences.
  GrokScore evaluate(const PairSet& data, float* grad = nullptr);

  void reset();  // re-initialise parameters, optimiser and history from the seed

 private:
  GrokConfig config_;
  GrokLossKind loss_kind_;
  GrokSplit split_;
  std::unique_ptr<GrokNet> net_;
  std::vector<float> params_, grads_;
  Adam adam_;
  std::vector<GrokPoint> history_;
  Mat logits_, G_;
  // The state before the latest epoch, for divergence recovery (saved_t_ < 0: none).
  StepSnapshot saved_;
  void undo_last_epoch();

  std::optional<int64_t> first_epoch(double GrokPoint::*field, double at_least) const;
};

}  // namespace superpose
