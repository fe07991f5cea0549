// SAE data from a toy model of superposition (issue 5; the ARENA exercise "Sparse Autoencoders
// in Toy Models"): train a ReLU-output toy model (src/toy/) with n = true_features features in
// m = input_dim hidden dimensions, feature probability active / n, for toy_steps steps; the
// SAE then learns from its hidden activations h = W x. The ground truth is the toy model's
// feature columns W_i, normalised (a feature the model dropped, ‖W_i‖ < 1e-3, stays 0).
#pragma once
#include <memory>

#include "sae/sae_data.hpp"
#include "toy/toy_model.hpp"

namespace superpose {

class ToyActivations : public SaeData {
 public:
  explicit ToyActivations(const SaeConfig& config);
  int dim() const override { return model_->n_hidden(); }
  void sample(Mat& X, int batch_size) override;
  Mat held_out(int n) const override;
  void reset() override { rng_ = ToyRng(seed_, 11); }
  const ToyModel& model() const { return *model_; }
  static ToyConfig toy_config(const SaeConfig& config);

 private:
  uint64_t seed_;
  std::unique_ptr<ToyModel> model_;
  ToyDataGenerator generator_;
  ToyRng rng_;
  ToyBatch batch_;
  void fill(ToyRng& rng, ToyBatch& batch, Mat& X, int n) const;
};

}  // namespace superpose
