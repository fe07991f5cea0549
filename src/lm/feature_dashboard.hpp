// Feature dashboards of a sparse autoencoder trained on a language model's activations (issue 16),
// as the field draws them (Bricken et al. 2023, "Towards Monosemanticity", its feature browser;
// SAEDashboard, McDougall et al.): for a latent i of an SAE on hook h,
//   firing frequency      P(f_i > 0) over the activation set's N = windows·T tokens
//   activation histogram  of f_i over the tokens where it fires, bins of equal width on [0, max f_i]
//   top contexts          the tokens of largest f_i (the true argmax over the set), each with its
//                         window and latent i's activation at every token of the window
//   quantile contexts     the firing tokens cut into bands by the rank of f_i (band q holds ranks
//                         [q·n/Q, (q+1)·n/Q) of the n firing tokens, lowest first), a few drawn from
//                         each band with a seeded Rng
//   logit effects         the direct path from the latent's decoder direction to the logits:
//                         W_dec[:, i] ⊙ ln_f.weight · W_Uᵀ  (V), W_U = wte (tied unembedding);
//                         for an SAE on blocks.{l}.mlp.hook_post the direction first goes through
//                         that MLP's c_proj. The final LayerNorm's centring and its 1/σ are left
//                         out (the direction's effect up to a positive scale), as SAEDashboard's
//                         W_dec · W_U on a model with the LayerNorm weight folded in.
//   label match           on a labelled corpus (the toy world: lm/toy_world.hpp), for each label
//                         k: precision P(k | i fires), recall P(i fires | k) over the set's tokens,
//                         where "fires" here means f_i > kLabelFiringFraction · max f_i (the
//                         latent's largest activation on the set); the latent's label is the one
//                         of largest F1 (their harmonic mean). Weak activations are left out of
//                         the match as the field's feature pages leave them out of their
//                         specificity (Bricken et al. 2023 score specificity per activation
//                         level and find the lowest levels least specific): a ReLU SAE trained
//                         with L1 fires faintly at many tokens near its feature (the cold latent
//                         of issue 16's recipe: P 0.81 at f > 0, 1.00 above 0.2 max, seed 0).
// A latent list (every latent's frequency, max, label match; sorted by frequency or by label
// match) and the prompt view (the latents active at each token of a prompt) read the same codes.
// "Fires" means f_i > 0 (the SAE's own inference code, Sae::encode) everywhere but in the label
// match, which counts only firings above kLabelFiringFraction of the latent's max.
//
// Legend: D the hook's width (the SAE's d), L n_latents, N = windows·T tokens of the set,
// T the window length, V the vocabulary, K the corpus's labels.
// Not here: collecting the activations (lm/lm_activations.hpp), training the SAE (sae/),
// steering (lm/lm_steering.hpp), the SAE spliced into the forward and ablation
// (lm/lm_sae_splice.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lm/corpus.hpp"
#include "lm/lm_activations.hpp"
#include "lm/transformer.hpp"
#include "sae/sae.hpp"

namespace superpose {

// The SAE's code of every token of an activation set, by latent: latent i fires at
// column[start[i] .. start[i+1]) (increasing set columns n) with activations value[...] (f > 0);
// each latent's largest activation and their sum, taken in the same pass (the label match, the
// latent list and the dashboard read them).
struct LatentCodes {
  int n_latents = 0;
  int N = 0;                      // the set's size
  std::vector<int64_t> start;     // (L + 1)
  std::vector<int32_t> column;    // (nnz)
  std::vector<float> value;       // (nnz)
  std::vector<float> max;         // (L) the largest activation (0 where it never fires)
  std::vector<double> sum;        // (L) the sum of the activations, in column order
  int64_t fires(int latent) const { return start[latent + 1] - start[latent]; }
  // The mean activation over the tokens where it fires (0 where it never fires).
  double mean(int latent) const {
    return fires(latent) > 0 ? sum[latent] / static_cast<double>(fires(latent)) : 0.0;
  }
  // Latent i's activation at every column of the set (N), 0 where it does not fire.
  std::vector<float> dense(int latent) const;
};

// Encodes the set's X in chunks of `chunk` columns (memory bounded by the chunk and the codes).
// Throws std::invalid_argument when the SAE's d is not the set's D.
LatentCodes encode_set(Sae& sae, const LmActivationSet& set, int chunk = 4096);

// --- labels -----------------------------------------------------------------------------------

// A label by name: its full name ("predicts_cold") or a short name X standing for "predicts_X"
// ("cold"). Throws std::invalid_argument naming the name and listing the corpus's labels (or
// saying it has none).
int find_label(const Corpus& corpus, const std::string& name);

struct LabelMatch {
  int label = -1;          // index into Corpus::labels; -1: none (no labels, or never fires)
  int64_t both = 0;        // tokens where the latent fires and the label holds
  double precision = 0;    // P(label | fires)  = both / fires
  double recall = 0;       // P(fires | label)  = both / (tokens with the label)
  double f1 = 0;           // 2PR / (P + R), 0 when both are 0
};

// The share of its largest activation above which a latent counts as firing in the label match.
constexpr double kLabelFiringFraction = 0.2;

// Per (latent, label) counts over the set, a latent counted as firing where f_i > firing_fraction
// · max f_i: fires[i] = tokens where latent i fires, joint[i·K + k] = of those, tokens where
// label k holds; label_total[k] = tokens of the set with label k.
struct LabelCounts {
  int n_labels = 0;
  double firing_fraction = 0;
  std::vector<int64_t> label_total;  // (K)
  std::vector<int64_t> fires;        // (L)
  std::vector<int64_t> joint;        // (L, K) row-major
};
// Empty (K = 0) when the set carries no labels. n_labels: the corpus's label count;
// firing_fraction in [0, 1) (0: every f_i > 0 counts).
LabelCounts count_labels(const LatentCodes& codes, const LmActivationSet& set, int n_labels,
                         double firing_fraction = kLabelFiringFraction);
LabelMatch label_match(const LatentCodes& codes, const LabelCounts& counts, int latent, int label);
// The label of largest F1 for a latent (ties: the lower label index); label -1 when no label has
// F1 > 0 (no labels, the latent never fires, or never where a label holds).
LabelMatch best_label(const LatentCodes& codes, const LabelCounts& counts, int latent);
// The latent of largest F1 for a label (ties: the lower latent index); -1 when none has F1 > 0.
int best_latent_for_label(const LatentCodes& codes, const LabelCounts& counts, int label);

// --- the latent list --------------------------------------------------------------------------

struct LatentSummary {
  int index = 0;
  double frequency = 0;        // fires / N
  float max_activation = 0;    // over the set (0 if it never fires)
  double mean_activation = 0;  // over the tokens where it fires
  LabelMatch label;            // best_label
};
enum class LatentOrder {
  frequency,  // most frequent first
  label       // largest label F1 first
};
// Every latent, in `order` (ties: the lower index first).
std::vector<LatentSummary> latent_list(const LatentCodes& codes, const LabelCounts& counts,
                                       LatentOrder order = LatentOrder::frequency);

// --- one latent's dashboard -------------------------------------------------------------------

struct DashboardOptions {
  int top_contexts = 10;    // in [0, 1000]
  int quantile_bands = 4;   // Q, in [0, 20]
  int per_band = 3;         // contexts drawn from each band, in [0, 100]
  int histogram_bins = 32;  // in [1, 1000]
  int logit_tokens = 10;    // promoted and suppressed tokens listed, in [0, 1000] (at most V)
  uint64_t seed = 0;        // draws the quantile bands' contexts
  // Throws std::invalid_argument naming the field and its range.
  void validate() const;
};

// One token of the set in its window.
struct ActivationContext {
  int32_t column = 0;               // n in the set: window n / T, position n % T
  int window = 0, position = 0;
  float activation = 0;             // f_i at that token
  std::vector<int32_t> tokens;      // (T) the window's tokens
  std::vector<float> activations;   // (T) f_i at each of them
};

struct QuantileBand {
  float lo = 0, hi = 0;             // the band's smallest and largest activation
  int64_t count = 0;                // firing tokens in the band
  std::vector<ActivationContext> contexts;  // min(per_band, count), increasing column
};

struct TokenEffect {
  int32_t token = 0;
  float effect = 0;  // the direct-path logit effect
};

struct FeatureDashboard {
  int latent = 0;
  int N = 0;
  int64_t fires = 0;
  double frequency = 0;
  float max_activation = 0;
  double mean_activation = 0;
  std::vector<int64_t> histogram;   // (bins) firing tokens with f_i in [b·w, (b+1)·w) (the last bin
                                    // also holds max), w = max / bins
  double bin_width = 0;
  std::vector<ActivationContext> top;     // by activation, largest first (ties: lower column)
  std::vector<QuantileBand> bands;        // (Q) lowest first; empty when the latent never fires
  std::vector<TokenEffect> promoted;      // largest effect first
  std::vector<TokenEffect> suppressed;    // smallest (most negative) first
  LabelMatch label;                       // best_label (label -1 without labels)
};

// The direct-path logit effect of latent i (V), as in the header. Throws std::invalid_argument
// when the SAE's d does not fit the hook (D of lm/lm_hooks.hpp's table) or the hook is not one an
// SAE reads.
std::vector<float> logit_effects(const Sae& sae, const Transformer& model, const std::string& hook,
                                 int latent);

// Throws std::invalid_argument for a latent outside [0, L) or bad options.
FeatureDashboard feature_dashboard(const LatentCodes& codes, const LabelCounts& counts,
                                   const LmActivationSet& set, const Sae& sae,
                                   const Transformer& model, int latent,
                                   const DashboardOptions& options = {});

// --- the prompt view --------------------------------------------------------------------------

// The hook's value at each token of a prompt (its last `context` tokens, as the sampler reads
// it): (D, T). Runs a forward (the model's last activations change).
Mat prompt_activations(Transformer& model, const std::vector<int32_t>& tokens,
                       const std::string& hook);

struct TokenLatents {
  int32_t token = 0;
  std::vector<std::pair<int, float>> latents;  // (latent, f) with f > 0, largest first, ≤ top_n
};
// The latents active at each token of the prompt (its last `context` tokens).
std::vector<TokenLatents> prompt_latents(Transformer& model, Sae& sae, const std::string& hook,
                                         const std::vector<int32_t>& tokens, int top_n);

}  // namespace superpose
