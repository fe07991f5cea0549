#include "grok/grok_ablation.hpp"

#include <numeric>
#include <vector>

#include "core/rng.hpp"

namespace superpose {

namespace {
constexpr uint64_t kResampleStream = 2;
}

GrokScore score_ablated(GrokLossKind loss, const Mat& direct, const Mat& mlp, const int* y,
                        GrokPath path, GrokAblation mode, uint64_t seed) {
  const Mat& ablated = path == GrokPath::direct ? direct : mlp;
  const Mat& kept = path == GrokPath::direct ? mlp : direct;
  const int N = static_cast<int>(ablated.cols());
  Mat logits = kept;
  if (mode == GrokAblation::mean) {
    logits.colwise() += ablated.rowwise().mean();
  } else if (mode == GrokAblation::resample) {
    std::vector<int> perm(N);
    std::iota(perm.begin(), perm.end(), 0);
    Rng rng(seed, kResampleStream);
    for (int i = N - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
    for (int n = 0; n < N; ++n) logits.col(n) += ablated.col(perm[n]);
  }
  return score_logits(loss, logits, y, nullptr);
}

GrokPathReadout read_paths(GrokLossKind loss, const Mat& direct, const Mat& mlp, const int* y,
                           uint64_t seed) {
  GrokPathReadout r;
  const int N = static_cast<int>(direct.cols());
  for (int n = 0; n < N; ++n) {
    r.direct_contribution += direct(y[n], n);
    r.mlp_contribution += mlp(y[n], n);
  }
  if (N > 0) {
    r.direct_contribution /= N;
    r.mlp_contribution /= N;
  }
  r.clean = score_logits(loss, direct + mlp, y, nullptr);
  for (int path = 0; path < 2; ++path)
    for (int mode = 0; mode < 3; ++mode)
      r.ablated[path][mode] = score_ablated(loss, direct, mlp, y, static_cast<GrokPath>(path),
                                            static_cast<GrokAblation>(mode), seed);
  return r;
}

}  // namespace superpose
