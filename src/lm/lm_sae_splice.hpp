// An SAE spliced into the language model's forward at its hook (issue 16): every (b, t) of the
// hook replaced by the SAE's reconstruction x̂ (HookEdit set, one per batch row and position),
// or by x̂ + (x − x̂), the reconstruction plus its error term, which is the clean forward when
// no latent is touched. What is read off it:
//   ce_loss_score  SAELens' "CE loss score", the fraction of the loss recovered against zero
//                  ablation: (L_zero − L_sae) / (L_zero − L_clean), with L_clean the clean
//                  next-token loss, L_sae the loss with x̂ spliced in, L_zero the loss with the
//                  hook set to 0 (1: as good as the model, 0: as bad as deleting the hook)
//   kl             mean over positions of KL(p_clean ‖ p_sae) of the next-token distributions
//   feature ablation  latent i's f_i set to 0 (zero) or to its mean over a data set (mean) at
//                  every position, through the SAE with the error term kept: the hook becomes
//                  x + (v − f_i) W_dec[:, i], so an ablation of nothing is the clean forward
//                  bitwise; its effect on the next token after a prompt and on the loss.
//
// Legend: D the hook's width, L latents, B windows, T positions, N = B·T, V vocabulary.
// Not here: training the SAE (sae/sae_trainer.hpp) on the hook's activations
// (lm/lm_activations.hpp); steering (lm/lm_steering.hpp); the dashboard (lm/feature_dashboard.hpp).
// Reference: Bloom et al., SAELens (evals.py: ce_loss_score, kl_div_with_sae; SAE.forward with
// use_error_term); Marks et al. 2024, "Sparse Feature Circuits" (the error term keeps the
// model's computation exact while a feature is edited).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/eigen.hpp"
#include "lm/corpus.hpp"
#include "lm/lm_hooks.hpp"
#include "lm/transformer.hpp"
#include "sae/sae.hpp"

namespace superpose {

// f_latent := value at every position (value 0: zero ablation; its mean: mean ablation).
struct LatentAblation {
  int latent = 0;
  float value = 0.f;
};

struct SaeSplice {
  std::string hook;                       // where the SAE reads and writes (lm/lm_activations.hpp)
  bool error_term = false;                // keep x − x̂: exact when nothing is ablated
  std::vector<LatentAblation> ablations;  // latents changed before decoding
};

// The set edits that splice the SAE in: X (D, N) holds the clean hook's values, column b·T + t;
// one HookEdit per (b, t) with its value x̂ + Δ, or x + Δ with the error term, where
// Δ = Σ_ablations (value − f_i) W_dec[:, i] (no ablations: Δ = 0 and, with the error term, the
// value is x itself). Throws std::invalid_argument if the SAE's width is not the hook's rows or
// a latent is out of [0, L).
std::vector<HookEdit> sae_splice_edits(Sae& sae, const SaeSplice& splice,
                                       const Eigen::Ref<const Mat>& X, int B, int T);

// A forward of tokens (B, T) with the SAE spliced in: a clean forward records the hook, then a
// second forward runs with the splice's edits. Answers the spliced forward's mean loss (NaN
// without targets); its logits are model.activations().logits.
double spliced_forward(Transformer& model, Sae& sae, const SaeSplice& splice,
                       const int32_t* tokens, const int32_t* targets, int B, int T);

struct SpliceMetrics {
  double clean_loss = 0;     // mean next-token cross-entropy of the model
  double sae_loss = 0;       // with x̂ spliced in at the hook (no error term)
  double zero_loss = 0;      // with the hook set to 0
  double ce_loss_score = 0;  // (zero − sae) / (zero − clean); NaN when zero = clean
  double kl = 0;             // mean over the N positions of KL(p_clean ‖ p_sae), nats
  int64_t tokens = 0;        // N
};
// Over windows x, y (B, T), forwarded in chunks of kActivationChunk windows (lm/lm_activations.hpp).
SpliceMetrics splice_metrics(Transformer& model, Sae& sae, const std::string& hook,
                             const int32_t* x, const int32_t* y, int B, int T);

// B windows of the held-out split (T = min(context, its length − 1)) from Rng(seed, 7), as
// Corpus::sample_batch draws them: what splice_metrics is measured on by the CLI and session.
struct LmWindows {
  std::vector<int32_t> x, y;  // (B, T)
  int B = 0, T = 0;
};
LmWindows heldout_windows(const Corpus& corpus, int context, int B, uint64_t seed);

// Each latent's mean activation f over the columns of X (D, N): (L), the mean-ablation values.
Vec latent_means(Sae& sae, const Eigen::Ref<const Mat>& X);

struct LatentAblationEffect {
  LatentAblation ablation;
  std::vector<float> probs_before, probs_after;  // (V) the next token after the prompt
  double loss_before = 0, loss_after = 0;        // mean next-token loss over the windows
};
// The ablation through the SAE with its error term, on the next token after `prompt` (its last
// `context` tokens) and on the loss over windows x, y (B, T). "before" is the splice with no
// ablation, which is the clean forward exactly.
LatentAblationEffect latent_ablation_effect(Transformer& model, Sae& sae, const std::string& hook,
                                            const LatentAblation& ablation,
                                            const std::vector<int32_t>& prompt,
                                            const int32_t* x, const int32_t* y, int B, int T);

}  // namespace superpose
