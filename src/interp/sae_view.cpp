#include "interp/sae_view.hpp"

#include "core/check.hpp"

namespace superpose {

Mat SaeView::decode(const Eigen::Ref<const Mat>& F) const { return (W_dec * F).colwise() + b_dec; }

void SaeView::check(int d_expected) const {
  if (W_dec.rows() != d_expected || b_dec.size() != d_expected || W_dec.cols() < 1 || !encode)
    fail_config("the SAE must have W_dec (d=" + std::to_string(d_expected) +
                ", n_latents ≥ 1), b_dec (d) and an encoder (got W_dec " +
                std::to_string(W_dec.rows()) + "×" + std::to_string(W_dec.cols()) + ", b_dec " +
                std::to_string(b_dec.size()) + ")");
}

}  // namespace superpose
