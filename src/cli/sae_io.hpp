// `superpose sae --save DIR / --load DIR` (issue 7): an SAE as a SAELens folder (cfg.json +
// sae_weights.safetensors; io/saelens.hpp, sae/saelens_sae.hpp). --load measures the file's SAE
// on the data the flags choose instead of training one; its architecture and size come from the
// file, so --arch, --latents, --k, --sweep and --sweep-k are refused alongside it.
#pragma once
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "core/json_config.hpp"
#include "io/saelens.hpp"

namespace superpose::cli {

// The flags' config with the file's architecture, latents and k; a clashing flag is a UsageError.
Json config_for_loaded_sae(const Json& flags_config, const SaeLensSae& file, bool sweep);

extern const char* const kSaeIoHelp;

}  // namespace superpose::cli
