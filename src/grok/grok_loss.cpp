#include "grok/grok_loss.hpp"

#include <cmath>

namespace superpose {

GrokScore score_logits(GrokLossKind kind, const Eigen::Ref<const Mat>& logits, const int* y,
                       Mat* G) {
  const int p = static_cast<int>(logits.rows()), N = static_cast<int>(logits.cols());
  if (G) G->resize(p, N);
  double loss = 0;
  int correct = 0;
  for (int n = 0; n < N; ++n) {
    const float* o = logits.col(n).data();
    int best = 0;
    for (int c = 1; c < p; ++c)
      if (o[c] > o[best]) best = c;
    correct += best == y[n];
    if (kind == GrokLossKind::mse) {
      const float scale = 2.f / (float(N) * float(p));
      float sum = 0.f;
      for (int c = 0; c < p; ++c) sum += o[c] * o[c];
      const float d = o[y[n]] - 1.f;
      loss += sum - o[y[n]] * o[y[n]] + d * d;
      if (G) {
        float* g = G->col(n).data();
        for (int c = 0; c < p; ++c) g[c] = scale * o[c];
        g[y[n]] = scale * d;
      }
    } else {
      const float max = o[best];
      float z = 0.f;
      for (int c = 0; c < p; ++c) z += std::exp(o[c] - max);
      loss += std::log(z) - (o[y[n]] - max);
      if (G) {
        float* g = G->col(n).data();
        const float scale = 1.f / (float(N) * z);
        for (int c = 0; c < p; ++c) g[c] = scale * std::exp(o[c] - max);
        g[y[n]] -= 1.f / float(N);
      }
    }
  }
  GrokScore s;
  s.loss = loss / (kind == GrokLossKind::mse ? double(N) * p : double(N));
  s.accuracy = N > 0 ? double(correct) / N : 0.0;
  return s;
}

}  // namespace superpose
