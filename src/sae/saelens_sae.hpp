// Superpose's sparse autoencoders (sae/sae.hpp) ⇄ SAELens's layout (io/saelens.hpp).
//   relu      ⇄ standard        (f = ReLU(z))
//   jumprelu  ⇄ jumprelu        (threshold = θ = exp(log θ); a file's θ ≤ 0 becomes 1e-30:
//                                 ReLU(z)·1[z > θ] is then the same function)
//   topk      ⇄ topk            (k)
//   batchtopk  → jumprelu       (its inference rule, z > one learned θ, as a per-latent threshold;
//                                 refused before training has set θ)
//   matryoshka → jumprelu       (as batchtopk: SAELens saves MatryoshkaBatchTopK so; the prefixes
//                                 only shape training, so the file reads back as jumprelu)
//   gated: refused (SAELens's gated layout, b_gate/b_mag/r_mag, is not read here).
// Every architecture here encodes z = W_enc (x − b_dec) + b_enc as SAELens does with
// apply_b_dec_to_input = true, so the weights carry over as they are (transposed by saelens.cpp).
// Not here: training or data; the file format (io/saelens.hpp).
#pragma once
#include <memory>

#include "io/saelens.hpp"
#include "sae/sae.hpp"

namespace superpose {

// Throws std::invalid_argument for an architecture SAELens's layout cannot hold.
SaeLensSae sae_to_saelens(const Sae& sae);

// base with the file's architecture (standard → relu), n_latents = d_sae, k (topk: the file's;
// otherwise base's, at most d_sae) and aux_k at most d_sae: the config an SAE loaded from the file
// runs under (the CLI's --load and the sae/steer sessions' import).
SaeConfig saelens_sae_config(const SaeLensSae& file, const SaeConfig& base);

// An SAE of the file's architecture and size; the other fields (training, data) come from base.
// d must equal the file's d_in (the data it will be measured on). Throws naming the mismatch.
std::unique_ptr<Sae> sae_from_saelens(const SaeLensSae& file, const SaeConfig& base, int d);

}  // namespace superpose
