// The seeded data the interventions are measured on: dense batches of one toy instance's inputs
// and targets, drawn from the toy model's own data distribution (toy/toy_data.hpp) on streams of
// their own, so they never coincide with the batches the model trained on.
// Not here: training data (the toy model and the SAE sample their own).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/eigen.hpp"
#include "toy/toy_config.hpp"

namespace superpose {

// Streams of the interventions' data (Rng(seed, stream)); the toy model uses 0..2.
constexpr uint64_t kInterpReferenceStream = 100;  // statistics: max/mean activations, resampling
constexpr uint64_t kInterpEvalStream = 101;       // the loss changes of ablations
constexpr uint64_t kInterpInputStream = 102;      // the sampled input of steering
constexpr uint64_t kInterpResampleStream = 1000;  // + row: resample ablation's choices

struct InterpBatch {
  Mat X;  // (n, B) inputs
  Mat Y;  // (n, B) targets (|x| for the abs model)
};

InterpBatch draw_interp_batch(const ToyConfig& config, int instance, int batch_size, uint64_t seed,
                              uint64_t stream);

// One input for steering: "zero" (all features off) or "sample" (the first sample of the seeded
// input stream with at least one active feature). The names, in that order, are the one list of
// them (the steer config's input choices, the CLI's --input).
inline const std::vector<std::string> kSteeringInputNames = {"zero", "sample"};
Vec steering_input(const ToyConfig& config, int instance, const std::string& input, uint64_t seed);  // (n)

}  // namespace superpose
