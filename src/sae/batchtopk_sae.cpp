#include "sae/batchtopk_sae.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace superpose {

namespace {
constexpr float kThetaMomentum = 0.99f;
}

void BatchTopKSae::activate(SparseCode& code, bool training) {
  if (!training && theta_ < 0.f) {
    TopKSae::activate(code, training);
    return;
  }
  const float* b = params_.data() + off_b_enc();
  const int B = static_cast<int>(pre_.cols());
  float t = theta_;
  if (training) {
    // The (k·B)-th largest positive pre-activation of the batch.
    all_.clear();
    for (int s = 0; s < B; ++s) {
      const float* col = pre_.col(s).data();
      for (int i = 0; i < L_; ++i)
        if (col[i] + b[i] > 0.f) all_.push_back(col[i] + b[i]);
    }
    const std::size_t budget = std::size_t(config_.k) * B;
    if (all_.size() > budget) {
      std::nth_element(all_.begin(), all_.begin() + (budget - 1), all_.end(), std::greater<float>());
      t = std::nextafter(all_[budget - 1], -1.f);  // keep values ≥ the budget-th
    } else {
      t = 0.f;
    }
    if (update_statistics_ && !all_.empty()) {
      const float batch_min = std::max(t, 0.f);
      theta_ = theta_ < 0.f ? batch_min : kThetaMomentum * theta_ + (1 - kThetaMomentum) * batch_min;
    }
  }
  threshold_.setConstant(L_, std::max(t, 0.f));
  code.clear();
  for (int s = 0; s < B; ++s) {
    collect_column(s, threshold_.data(), code);
    code.end_sample();
  }
}

}  // namespace superpose
