// What the interventions need to know about activations on the data: each hidden unit's and each
// SAE latent's largest and mean value on a reference batch (steering scale; mean ablation), and
// the reference activations themselves (resample ablation draws from them).
//
// Legend:  m = n_hidden, L = n_latents, R = reference batch size
// Not here: the SAE's own training metrics (L0, density: sae/).
#pragma once
#include "interp/sae_view.hpp"
#include "interp/split_model.hpp"

namespace superpose {

struct RowStats {
  Mat reference;  // (rows, R): the activations on the reference batch
  Vec max;        // (rows): largest value seen (max |h_j| for hidden units, whose sign varies)
  Vec mean;       // (rows)
};

RowStats row_stats(const Eigen::Ref<const Mat>& A, bool max_abs);

struct ActivationStats {
  RowStats units;    // hidden units h_j
  RowStats latents;  // SAE latents f_i (empty without an SAE)
};

// X: (n, R) the reference inputs. sae may be null.
ActivationStats activation_stats(const SplitToyModel& model, const SaeView* sae,
                                 const Eigen::Ref<const Mat>& X);

}  // namespace superpose
