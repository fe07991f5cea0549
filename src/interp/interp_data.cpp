#include "interp/interp_data.hpp"

#include "core/check.hpp"
#include "core/schema.hpp"
#include "toy/toy_data.hpp"

namespace superpose {

InterpBatch draw_interp_batch(const ToyConfig& config, int instance, int batch_size, uint64_t seed,
                              uint64_t stream) {
  ToyDataGenerator data(config);
  ToyRng rng(seed, stream);
  ToyBatch batch;
  data.sample(rng, batch, batch_size, instance, instance + 1);  // its own stream: only it is drawn
  return InterpBatch{batch.dense(instance), batch.dense_target(instance)};
}

Vec steering_input(const ToyConfig& config, int instance, const std::string& input, uint64_t seed) {
  if (input == kSteeringInputNames[0]) return Vec::Zero(config.n_features);
  if (input != kSteeringInputNames[1])
    fail_config("input must be one of " + join_choices(kSteeringInputNames, "|") + " (got \"" + input + "\")");
  const InterpBatch b = draw_interp_batch(config, instance, 256, seed, kInterpInputStream);
  for (Eigen::Index s = 0; s < b.X.cols(); ++s)
    if (b.X.col(s).cwiseAbs().maxCoeff() > 0.f) return b.X.col(s);
  return b.X.col(0);
}

}  // namespace superpose
