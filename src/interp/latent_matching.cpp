#include "interp/latent_matching.hpp"

namespace superpose {

LatentMatch match_latents(const Eigen::Ref<const Mat>& W_dec, const Eigen::Ref<const Mat>& W) {
  const Eigen::Index L = W_dec.cols(), n = W.cols();
  LatentMatch m;
  m.feature.assign(L, -1);
  m.cosine = Vec::Zero(L);
  for (Eigen::Index l = 0; l < L; ++l) {
    const float dn = W_dec.col(l).norm();
    if (!(dn > 1e-8f)) continue;
    for (Eigen::Index i = 0; i < n; ++i) {
      const float wn = W.col(i).norm();
      if (!(wn > 1e-8f)) continue;
      const float c = W_dec.col(l).dot(W.col(i)) / (dn * wn);
      if (m.feature[l] < 0 || c > m.cosine[l]) {
        m.feature[l] = static_cast<int>(i);
        m.cosine[l] = c;
      }
    }
  }
  return m;
}

int latent_for_feature(const LatentMatch& match, int feature) {
  int best = -1;
  for (std::size_t l = 0; l < match.feature.size(); ++l)
    if (match.feature[l] == feature && (best < 0 || match.cosine[l] > match.cosine[best]))
      best = static_cast<int>(l);
  return best;
}

}  // namespace superpose
