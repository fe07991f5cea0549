// An SAE on a language model's hook ⇄ SAELens' folder (io/saelens.hpp, sae/saelens_sae.hpp), with
// the hook it reads: cfg.json carries model_name and hook_name (and hook_head_index null) both at
// the top level, where SAELens before 6.0 keeps them and where 6.x's loader looks for a file
// without a sae_lens_version (handle_pre_6_0_config moves them into metadata), and under
// "metadata", where 6.x's SAEConfig keeps them (SAEMetadata). Reading takes metadata.hook_name,
// else hook_name, else SAELens < 3's hook_point.
//
// Not here: the weights' layout (io/saelens.hpp), which architectures SAELens can hold
// (sae/saelens_sae.hpp), which hooks an SAE may read (lm/lm_activations.hpp).
// Reference: SAELens sae_lens/saes/sae.py (SAEConfig.to_dict, SAEMetadata),
// sae_lens/loading/pretrained_sae_loaders.py (handle_config_defaulting, handle_pre_6_0_config).
#pragma once
#include <memory>
#include <string>

#include "io/saelens.hpp"
#include "lm/lm_config.hpp"
#include "sae/sae.hpp"

namespace superpose {

// The name written as model_name: "superpose-lm-{L}l-{C}d-{H}h-{T}t", the model's shape.
std::string saelens_model_name(const LmConfig& model);

// The SAELens file of an SAE trained on `hook` of `model` (sae_to_saelens, then the hook's
// metadata). Throws std::invalid_argument if the architecture has no SAELens layout, the hook is
// not one an SAE can read on this model or its width is not the SAE's.
SaeLensSae lm_sae_to_saelens(const Sae& sae, const LmConfig& model, const std::string& hook);

// The hook name a file records ("" when it records none).
std::string saelens_hook_name(const SaeLensSae& file);

// The SAE of a file for this model, and the hook it reads. Refused by name (std::invalid_argument)
// when the file records no hook_name, its hook is not one an SAE can read on this model (listing
// them), or its d_in is not that hook's width. Other fields (training) come from base.
struct LmSaeFile {
  std::string hook;
  std::unique_ptr<Sae> sae;
};
LmSaeFile lm_sae_from_saelens(const SaeLensSae& file, const SaeConfig& base, const LmConfig& model);

}  // namespace superpose
