// Configuration of a sparse-autoencoder run (issue 5): the architecture, its sparsity knob, the
// data source and the training schedule, with documented defaults and one validate() that every
// front end goes through. JSON keys are the field names (docs/wasm-api.md, kind "sae").
//
// Architectures: relu (Bricken et al. 2023, "Towards Monosemanticity"), gated (Rajamanoharan et
// al. 2024, "Improving Dictionary Learning with Gated SAEs"), jumprelu (Rajamanoharan et al.
// 2024b, "Jumping Ahead"), topk (Gao et al. 2024, "Scaling and evaluating sparse autoencoders"),
// batchtopk (Bussmann et al. 2024, "BatchTopK Sparse Autoencoders").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "core/optim.hpp"

namespace superpose {

enum class SaeArch { relu, gated, jumprelu, topk, batchtopk };
enum class SaeDataKind { synthetic, toy, npy };

struct SaeConfig {
  // --- architecture
  std::string arch = "relu";     // relu | gated | jumprelu | topk | batchtopk
  int n_latents = 512;           // L
  double l1 = 0.3;               // λ: L1 (relu, gated) or L0 (jumprelu) coefficient
  int k = 5;                     // topk / batchtopk: active latents per sample (on average)
  // relu only: "unit" keeps decoder columns at unit norm; "weighted" leaves them free and
  // penalises λ Σ f_i ‖W_dec,i‖ instead. The other architectures always use unit norm.
  std::string decoder_norm = "unit";
  double jump_bandwidth = 0.01;  // ε of the rectangle kernel (jumprelu)
  double jump_theta_init = 0.05; // initial threshold θ (jumprelu)
  double aux_k_coefficient = 1.0 / 32;  // α of the aux-k loss (topk, batchtopk); 0 turns it off
  int aux_k = 64;                // dead latents used by aux-k (per sample)
  // "tied" (Gao et al. 2024): unit random decoder columns, W_enc = W_decᵀ, b_dec = the data
  // mean. "random" (the ARENA toy-model exercise): W_enc and W_dec drawn independently
  // (Kaiming-uniform, decoder columns then normalised), b_enc = 0, b_dec = 0; latents can then
  // die early, which is what resampling is for.
  std::string init = "tied";
  // --- data
  std::string data = "synthetic";  // synthetic | toy | npy
  std::string npy_path;            // data = npy: a (N, d) float32/float64 file
  int input_dim = 64;              // d (synthetic; toy: the toy model's n_hidden)
  int true_features = 256;         // F (synthetic; toy: the toy model's n_features)
  double active = 5;               // mean active true features per sample, Σ_i p_i
  double power_law = 0;            // p_i ∝ (i+1)^-power_law (0: every p_i equal)
  int group_size = 1;              // correlated groups of this many consecutive features (1: none)
  bool orthogonal = false;         // true directions orthonormal (needs F ≤ d)
  int64_t toy_steps = 3000;        // data = toy: training steps of the toy model
  // --- training
  int batch_size = 1024;           // B
  // 3e-3: with 1e-3 the W2 run (these defaults) ends at MMCS ≈ 0.62, here and in PyTorch
  // alike; it needs ~6000 steps at 1e-3 to do what 3e-3 does in 3000 (tests/unit/test_sae_recipe.cpp).
  double lr = 3e-3;
  int64_t steps = 3000;            // the run's length; schedules are laid over it
  std::string schedule = "cosine"; // constant | warmup | cosine (lr; core/optim.hpp)
  int64_t warmup_steps = 100;      // linear lr warmup (warmup, cosine)
  double min_lr_fraction = 0.1;    // cosine decays to this fraction of lr at `steps`
  int64_t l1_warmup_steps = 300;   // λ ramps up linearly from 0 over these steps
  bool resample = true;            // resample dead latents (relu, gated)
  int64_t dead_window = 500;       // a latent is dead after this many steps without firing
  int64_t resample_every = 1000;   // steps between resampling checks (relu, gated)
  int64_t seed = 0;

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;
  static SaeConfig from_json(const Json& j);  // validates
  Json to_json() const;
  // Reads the keys it knows from r (the session reads its own keys around them).
  void read(JsonConfigReader& r);

  SaeArch arch_kind() const;
  SaeDataKind data_kind() const;
  // λ at (0-based) step t: linear warmup from 0 over l1_warmup_steps.
  double l1_at(int64_t t) const;
  OptimizerConfig optimizer_config() const;
  // Per-feature probabilities p_i (F), Σ p_i = active (each clamped to 1).
  std::vector<double> feature_probabilities() const;
};

SaeArch parse_sae_arch(const std::string& name);  // throws naming "arch"
const char* sae_arch_name(SaeArch a);

}  // namespace superpose
