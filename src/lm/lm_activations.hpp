// A language model's activations at one hook point, as an SAE's training data (issue 16): random
// windows of a corpus split run through the transformer (lm/transformer.hpp), the hook recorded
// (lm/lm_hooks.hpp), one column per (window, position), with the token there and the corpus's
// ground-truth label bits (lm/corpus.hpp) beside it, so a latent can be matched to a label.
//
// Legend: D the hook's width (d_model, or 4·d_model for mlp.hook_post), T the window length
// (min(context, split length − 1)), W windows, N = W·T columns.
//
// Seeds: the windows of a split are drawn as Corpus::sample_batch draws them, from
// Rng(seed, 5) for the train split and Rng(seed, 6) for the held-out split (LmRun's own streams
// are 3 and 4), so a seed fixes the set and two splits never share a stream.
//
// Not here: the SAEs (sae/), what is read off a trained SAE on the model (lm/lm_sae_splice.hpp,
// lm/feature_dashboard.hpp), hooks with a head axis or the attention pattern (an SAE reads a
// [B, T, D] hook; per-head hooks are not offered).
// Reference: Bricken et al. 2023, "Towards Monosemanticity" (an SAE on a transformer's
// activations); SAELens' ActivationsStore (activations of a hook over context windows).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/eigen.hpp"
#include "core/rng.hpp"
#include "lm/corpus.hpp"
#include "lm/lm_config.hpp"
#include "lm/transformer.hpp"
#include "sae/sae_data.hpp"

namespace superpose {

// Which hooks an SAE can read: those of shape [B, T, D] without a head axis
// (blocks.{l}.hook_resid_pre|hook_resid_mid|hook_resid_post|hook_attn_out|hook_mlp_out,
//  blocks.{l}.mlp.hook_post). Answers D; throws std::invalid_argument naming the hook and the
// allowed ones.
int sae_hook_dim(const std::string& hook, const LmConfig& model);

// The hook names sae_hook_dim accepts for a model of n_layers blocks, in forward order.
std::vector<std::string> sae_hook_names(int n_layers);

struct LmActivationSet {
  std::string hook;
  Split split = Split::train;
  int T = 0;                       // window length
  Mat X;                           // (D, N), N = windows·T: column n = window n / T, position n % T
  std::vector<int32_t> tokens;     // (N) the token at each column
  std::vector<int64_t> starts;     // (windows) each window's start in the split's stream
  std::vector<uint32_t> labels;    // (N) the corpus's label bits of the token at each column
                                   // (empty when the corpus has no labels)
  int windows() const { return static_cast<int>(starts.size()); }
  int size() const { return static_cast<int>(X.cols()); }  // N
  int dim() const { return static_cast<int>(X.rows()); }   // D
};

// `windows` windows of T = min(context, split length − 1) tokens from the split, drawn with
// Rng(seed, 5 train | 6 held-out) as Corpus::sample_batch does; forwards them in chunks of at
// most kActivationChunk windows (memory bounded) and records the hook. Throws
// std::invalid_argument naming the hook (sae_hook_dim), windows outside [1, kMaxActivationWindows]
// or a split too short for one window.
constexpr int kActivationChunk = 64;
constexpr int kMaxActivationWindows = 100000;
LmActivationSet collect_activations(Transformer& model, const Corpus& corpus,
                                    const std::string& hook, Split split, int windows,
                                    uint64_t seed);

// SaeData over a model's activations (not "LmActivations": that is the forward's buffers,
// lm/transformer.hpp): training batches are columns of a train-split set drawn uniformly with
// replacement from Rng(seed, 1) (restarted by reset()); held_out(n) is the first n columns of a
// held-out-split set (cycling when n exceeds it), the same every call, so SaeTrainer and
// compute_sae_metrics work unchanged. No ground-truth directions.
class LmActivationData : public SaeData {
 public:
  // Throws std::invalid_argument if the two sets are empty, of different widths or hooks.
  LmActivationData(LmActivationSet train, LmActivationSet heldout, uint64_t seed);
  int dim() const override { return train_.dim(); }
  void sample(Mat& X, int batch_size) override;
  Mat held_out(int n) const override;
  void reset() override { rng_ = Rng(seed_, 1); }
  const LmActivationSet& train_set() const { return train_; }
  const LmActivationSet& heldout_set() const { return heldout_; }

 private:
  LmActivationSet train_, heldout_;
  uint64_t seed_;
  Rng rng_;
};

}  // namespace superpose
