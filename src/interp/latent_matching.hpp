// Which true feature each SAE latent found: the toy model's feature whose direction W_i has the
// largest cosine similarity with the latent's decoder column (the per-latent half of the mean max
// cosine similarity of Sharkey et al. 2022, "Taking features out of superposition").
// Legend:  m = n_hidden (= d), n = n_features, L = n_latents
// Not here: the SAE's aggregate metrics (sae/).
#pragma once
#include <vector>

#include "core/eigen.hpp"

namespace superpose {

struct LatentMatch {
  std::vector<int> feature;  // (L) the best-matching true feature (-1 for a zero decoder column)
  Vec cosine;                // (L) its cosine similarity
};

// W_dec: (m, L); W: (m, n) the toy model's feature directions.
LatentMatch match_latents(const Eigen::Ref<const Mat>& W_dec, const Eigen::Ref<const Mat>& W);

// The latent that best matches feature i (largest cosine among latents matched to it), -1 if none.
int latent_for_feature(const LatentMatch& match, int feature);

}  // namespace superpose
