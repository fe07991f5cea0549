// Which path of the residual model carries the answer: each path's contribution to the correct
// logit, and the loss and accuracy when one path is ablated (Nanda et al. 2023 §5; the ablation
// modes of interp/ablation.hpp). Ablations act on a path's logits, which equals ablating the
// path's write into the residual stream as the unembedding reads it (U is linear).
//   zero:     the path's logits → 0
//   mean:     → their mean over the pairs evaluated
//   resample: → those of another pair of the same set (a seeded permutation)
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "core/eigen.hpp"
#include "grok/grok_config.hpp"
#include "grok/grok_loss.hpp"

namespace superpose {

enum class GrokPath { direct, mlp };
enum class GrokAblation { zero, mean, resample };
constexpr std::array<const char*, 2> kGrokPathNames{"direct", "mlp"};
constexpr std::array<const char*, 3> kGrokAblationNames{"zero", "mean", "resample"};

struct GrokPathReadout {
  double direct_contribution = 0;  // mean over pairs of direct[y, n]
  double mlp_contribution = 0;     // mean over pairs of mlp[y, n]
  GrokScore clean;
  // ablated[path][mode]
  std::array<std::array<GrokScore, 3>, 2> ablated{};
};

// direct, mlp: (p, N) path logits of N pairs with answers y.
GrokScore score_ablated(GrokLossKind loss, const Mat& direct, const Mat& mlp, const int* y,
                        GrokPath path, GrokAblation mode, uint64_t seed);
GrokPathReadout read_paths(GrokLossKind loss, const Mat& direct, const Mat& mlp, const int* y,
                           uint64_t seed);

}  // namespace superpose
