// Sparse autoencoders in SAELens's on-disk layout: a folder with cfg.json and
// sae_weights.safetensors, as SAELens's SAE.save_model() writes and SAE.load_from_disk() reads.
//
// SAELens (sae_lens/saes/sae.py, standard_sae.py, jumprelu_sae.py, topk_sae.py) stores, float32
// row-major:  W_enc (d_in, d_sae)  W_dec (d_sae, d_in)  b_enc (d_sae)  b_dec (d_in)
//             threshold (d_sae)  [jumprelu only]
// with cfg.json keys d_in, d_sae, architecture (standard | jumprelu | topk | ...), dtype,
// apply_b_dec_to_input, normalize_activations, k (topk), meta {...}. Its encoder is
//   z = (x − b_dec·apply_b_dec_to_input) W_enc + b_enc,  standard f = ReLU(z),
//   jumprelu f = ReLU(z)·1[z > threshold],  topk f = ReLU(top-k of z),
// and the decoder x̂ = f W_dec + b_dec.
// Superpose's SAEs (sae/sae.hpp) hold the transposes: W_enc (L, d) and W_dec (d, L), and always
// subtract b_dec before encoding. SaeLensSae holds the weights in Superpose's orientation; read
// and write transpose. A file with apply_b_dec_to_input = false is folded on reading
// (b_enc += W_enc b_dec gives the same z); a JumpReLU checkpoint's log_threshold becomes
// threshold = exp(log_threshold).
// Refused with a message: architectures other than standard/jumprelu/topk (gated, batchtopk,
// transcoders), normalize_activations other than "none", shapes that disagree with d_in/d_sae,
// extra tensors (other than an all-ones scaling_factor), non-finite values.
// Not here: the safetensors format (io/safetensors.hpp); building a Superpose Sae from this.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/eigen.hpp"
#include "core/json_config.hpp"

namespace superpose {

struct SaeLensSae {
  std::string architecture = "standard";  // standard | jumprelu | topk
  int d_in = 0, d_sae = 0;
  int k = 0;        // topk: active latents per sample
  Json cfg;         // cfg.json as read (unknown keys are kept and written back), or null
  Mat W_enc;        // (d_sae, d_in): row i is latent i's encoder row   (SAELens: W_enc ᵀ)
  Mat W_dec;        // (d_in, d_sae): column i is latent i's direction  (SAELens: W_dec ᵀ)
  Vec b_enc;        // (d_sae)
  Vec b_dec;        // (d_in)
  Vec threshold;    // (d_sae): jumprelu only, empty otherwise

  // Throws std::invalid_argument unless the sizes agree with d_in, d_sae and the architecture.
  void validate() const;
};

// Parses cfg.json's text and the weights file's bytes. Errors start "SAELens cfg.json: " or
// "SAELens weights: " and name the key or tensor.
SaeLensSae read_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights);
// {cfg.json text, sae_weights.safetensors bytes}.
std::pair<std::string, std::vector<uint8_t>> write_saelens(const SaeLensSae& sae);

// DIR/cfg.json + DIR/sae_weights.safetensors (save creates DIR).
SaeLensSae load_saelens_dir(const std::string& dir);
void save_saelens_dir(const std::string& dir, const SaeLensSae& sae);

}  // namespace superpose
