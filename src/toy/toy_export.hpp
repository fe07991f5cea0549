// A trained toy model (every instance) as a safetensors file, and back.
//
// Tensors (float32, row-major, the same layout as the session buffers of docs/wasm-api.md;
// K = n_instances, n = n_features, m = n_hidden):
//   W   [K, m, n]   the embedding, column W[k, :, i] is feature i's direction (relu, linear,
//                   relu-hidden)
//   W1  [K, m, n]   abs model: first layer      (instead of W)
//   W2  [K, n, m]   abs model: second layer
//   b   [K, n]      output bias
// __metadata__: "format" = "superpose-toy", "version" = "1", "config" = the ToyConfig as JSON
// (every field), "step" = training steps taken (informational).
// Import validates the config (ToyConfig::validate), checks every tensor's shape against it and
// refuses non-finite values; optimiser state is not saved (a reloaded model trains on from a
// fresh Adam).
// Not here: the safetensors format itself (io/safetensors.hpp).
#pragma once
#include <memory>

#include "io/safetensors.hpp"
#include "toy/toy_model.hpp"

namespace superpose {

TensorFile export_toy(const ToyModel& model);
// Throws std::invalid_argument starting "toy model file: " naming what is wrong.
std::unique_ptr<ToyModel> import_toy(const TensorFile& file);

}  // namespace superpose
