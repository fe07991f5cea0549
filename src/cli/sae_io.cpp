#include "cli/sae_io.hpp"

#include <algorithm>

namespace superpose::cli {

const char* const kSaeIoHelp =
    "  --save DIR                write the trained SAE as a SAELens folder (cfg.json +\n"
    "                            sae_weights.safetensors; relu, jumprelu, topk, batchtopk)\n"
    "  --load DIR                measure a SAELens folder's SAE (standard, jumprelu, topk) on the\n"
    "                            chosen data instead of training one\n";

Json config_for_loaded_sae(const Json& flags_config, const SaeLensSae& file, bool sweep) {
  if (sweep) throw UsageError("--load measures one SAE: drop --sweep / --sweep-k");
  for (const auto& [key, flag] : {std::pair<const char*, const char*>{"arch", "arch"},
                                  {"n_latents", "latents"}, {"k", "k"}})
    if (flags_config.contains(key))
      throw UsageError(std::string("--") + flag + " cannot be combined with --load (the file sets it)");
  Json j = flags_config;
  j["arch"] = file.architecture == "standard" ? "relu" : file.architecture;
  j["n_latents"] = file.d_sae;
  j["k"] = file.architecture == "topk" ? file.k : std::min(5, file.d_sae);
  j["aux_k"] = std::min(64, file.d_sae);
  return j;
}

}  // namespace superpose::cli
