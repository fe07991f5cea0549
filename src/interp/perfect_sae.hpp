// A hand-built "perfect" SAE for a tied toy model: one latent per true feature, decoder column
// W_dec[:, i] = W_i / ‖W_i‖, and a JumpReLU encoder f_i = a_i · [a_i > θ_i] with a_i = Ŵ_i·h
// and θ_i just above the largest interference Ŵ_i·W_j (j ≠ i) one feature of value ≤ 1 can cause.
// So an input with one active feature x_j above θ_j/‖W_j‖ is encoded as exactly one latent with
// f_j = x_j‖W_j‖ and reconstructed exactly. It is the reference the trained SAEs are compared
// with, and lets the interventions be tested without training an SAE.
// Not here: any training (sae/). Features the model dropped (‖W_i‖ ≈ 0) get a dead latent.
#pragma once
#include "interp/sae_view.hpp"
#include "interp/split_model.hpp"

namespace superpose {

SaeView perfect_sae(const SplitToyModel& model);

}  // namespace superpose
