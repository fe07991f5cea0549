// The loss on the logits of a set of pairs, its gradient, and the accuracy, in one pass.
//   mse: L = 1/(N p) Σ_n Σ_c (logits[c, n] − [c = y_n])²     (Gromov 2023; PyTorch's MSELoss)
//   ce:  L = 1/N Σ_n −log softmax(logits[:, n])[y_n]
// Accuracy: the share of pairs whose largest logit is the answer (ties go to the smaller class).
#pragma once
#include "core/eigen.hpp"
#include "grok/grok_config.hpp"

namespace superpose {

struct GrokScore {
  double loss = 0;
  double accuracy = 0;
};

// logits: (p, N); y: N answers. When G is given it receives dL/dlogits (p, N).
GrokScore score_logits(GrokLossKind kind, const Eigen::Ref<const Mat>& logits, const int* y,
                       Mat* G);

}  // namespace superpose
