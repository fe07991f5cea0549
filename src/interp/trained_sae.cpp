#include "interp/trained_sae.hpp"

#include <algorithm>
#include <memory>

#include "core/check.hpp"
#include "sae/sae_trainer.hpp"
#include "toy/toy_data.hpp"

namespace superpose {

namespace {
// h = W x of one toy instance, x from the toy model's data distribution.
class SplitActivations : public SaeData {
 public:
  SplitActivations(const SplitToyModel& model, const ToyConfig& toy, int instance, uint64_t seed)
      : model_(model), generator_(toy), instance_(instance), seed_(seed),
        rng_(seed, kInterpSaeTrainStream) {
    true_features_ = model.feature_directions();
    for (Eigen::Index i = 0; i < true_features_.cols(); ++i) {
      const float n = true_features_.col(i).norm();
      if (n < 1e-3f) true_features_.col(i).setZero();
      else true_features_.col(i) /= n;
    }
  }
  int dim() const override { return model_.n_hidden(); }
  void sample(Mat& X, int batch_size) override { X = draw(rng_, batch_size); }
  Mat held_out(int n) const override {
    ToyRng rng(seed_, kInterpSaeHeldOutStream);
    return draw(rng, n);
  }
  void reset() override { rng_ = ToyRng(seed_, kInterpSaeTrainStream); }

 private:
  SplitToyModel model_;
  ToyDataGenerator generator_;
  int instance_;
  uint64_t seed_;
  ToyRng rng_;
  mutable ToyBatch batch_;
  Mat draw(ToyRng& rng, int n) const {
    generator_.sample(rng, batch_, n, instance_, instance_ + 1);  // its own stream: only it is drawn
    return model_.hidden(batch_.dense(instance_));
  }
};
}  // namespace

SaeConfig interp_sae_defaults(const ToyConfig& toy) {
  SaeConfig c;
  c.arch = "topk";
  c.n_latents = 2 * toy.n_features;
  c.l1 = 0.01;
  c.k = 1;
  c.aux_k = std::max(1, toy.n_features / 2);
  c.batch_size = 256;
  c.lr = 1e-2;
  c.steps = 1000;
  c.warmup_steps = 50;
  c.l1_warmup_steps = 200;
  c.dead_window = 200;
  c.resample_every = 400;
  c.seed = toy.seed;
  c.input_dim = toy.n_hidden;
  c.true_features = toy.n_features;
  c.active = std::min<double>(c.active, c.true_features);
  return c;
}

SaeView trained_sae(const SplitToyModel& model, const ToyConfig& toy, int instance,
                    const SaeConfig& config) {
  SaeConfig c = config;
  c.data = "synthetic";  // the trainer is handed its data; these fields only pass validation
  c.input_dim = model.n_hidden();
  c.true_features = model.n_features();
  c.active = std::min<double>(c.active, c.true_features);
  c.aux_k = std::max(1, std::min(c.aux_k, c.n_latents));
  auto data = std::make_shared<SplitActivations>(model, toy, instance, static_cast<uint64_t>(c.seed));
  auto trainer = std::make_shared<SaeTrainer>(c, data);
  trainer->train(c.steps);
  // The encoder keeps its workspace in the SAE: the view shares the trainer (and so the SAE).
  return view_of_sae(std::shared_ptr<Sae>(trainer, &trainer->sae()));
}

SaeView view_of_sae(std::shared_ptr<Sae> sae) {
  SaeView view;
  view.W_dec = sae->W_dec();
  view.b_dec = sae->b_dec();
  const int L = sae->n_latents();
  view.encode = [sae, L](const Eigen::Ref<const Mat>& H) -> Mat {
    SparseCode code;
    sae->encode(H, code);
    Mat F = Mat::Zero(L, H.cols());
    for (int s = 0; s < code.batch_size(); ++s)
      for (int e = code.start[s]; e < code.start[s + 1]; ++e)
        F(code.index[e], s) = std::max(0.f, code.value[e]);
    return F;
  };
  return view;
}

}  // namespace superpose
