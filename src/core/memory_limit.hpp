// The one memory-bound check every config uses: "<what> = <value> is too large for the browser
// (needs N MB, limit M MB)". A browser tab's wasm heap is the scarce resource (32-bit wasm,
// 4 GB at most, and far less on phones), so each config bounds its largest buffers before any
// allocation; the same bound applies natively so a config that runs in the CLI runs in the page.
// Not here: measuring actual memory (bench/ does).
#pragma once
#include <string>

namespace superpose {

// What one experiment's largest buffer may hold, in floats (64 MB): the limit_floats of most
// configs' bounds below.
constexpr double kBrowserTabFloats = 16.0 * 1024 * 1024;

// Throws std::invalid_argument when `floats` float32 values, `copies` times over (activations,
// gradients, optimizer state), exceed `limit_floats` × `copies` values. `what` names the product
// ("n_instances × n_features × batch_size").
void require_fits_browser(const std::string& what, double floats, double limit_floats,
                          double copies = 1);

}  // namespace superpose
