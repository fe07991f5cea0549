// Configuration of a sparse-autoencoder run (issue 5): the architecture, its sparsity knob, the
// data source and the training schedule, with documented defaults and one validate() that every
// front end goes through. fields() is the one description of every field (JSON key, range, help,
// CLI flag; core/schema.hpp; docs/wasm-api.md, kind "sae").
//
// Architectures: relu (Bricken et al. 2023, "Towards Monosemanticity"), gated (Rajamanoharan et
// al. 2024, "Improving Dictionary Learning with Gated SAEs"), jumprelu (Rajamanoharan et al.
// 2024b, "Jumping Ahead"), topk (Gao et al. 2024, "Scaling and evaluating sparse autoencoders"),
// batchtopk (Bussmann et al. 2024, "BatchTopK Sparse Autoencoders"), matryoshka (Bussmann et al.
// 2025, "Learning Multi-Level Features with Matryoshka Sparse Autoencoders": BatchTopK with a
// loss over nested prefixes of the dictionary).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "core/optim.hpp"
#include "core/schema.hpp"

namespace superpose {

enum class SaeArch { relu, gated, jumprelu, topk, batchtopk, matryoshka };
// The architectures' names, in SaeArch's order.
inline const std::vector<std::string> kSaeArchNames = {"relu", "gated", "jumprelu", "topk", "batchtopk",
                                                       "matryoshka"};
// The data field's values, in the order of its choices in fields() (choice_kind).
enum class SaeDataKind { synthetic, toy, npy, hierarchical };

// The defaults a data source brings where the fields' own do not suit it, {data: {key: value}}
// (only the keys that differ from the fields' defaults): the one place for them. The schema
// exports them on the data field ("presets"), `superpose sae` applies them to every flag not
// given, the sae page's data menu sets them; a session's configure does not (it reads the keys
// it is sent). hierarchical: SynthSAEBench (arXiv 2602.14687) at browser scale, where the
// paper's ordering shows (Matryoshka F1 > BatchTopK > ReLU, tests/unit/test_matryoshka_ordering):
// 1,024 features in 128 dims, hierarchy 32,4,3, 256 latents (its quarter), k 8, λ 1, 2,000 steps
// of 512. The generic defaults (256 features in 64 dims, 8,4,3) do not show it.
Json sae_data_presets();
// config with the preset of its "data" filled in for every key it does not hold.
Json with_data_preset(Json config);

struct SaeConfig : SchemaConfig<SaeConfig> {
  // --- architecture
  std::string arch = "relu";     // relu | gated | jumprelu | topk | batchtopk | matryoshka
  int n_latents = 512;           // L
  double l1 = 0.3;               // λ: L1 (relu, gated) or L0 (jumprelu) coefficient
  int k = 5;                     // topk / batchtopk / matryoshka: active latents per sample (on average)
  // matryoshka: the widths w_0 < w_1 < … (each < L, integers) of the nested prefixes whose
  // reconstruction errors join the full one in the loss; empty: L/16 and L/4 (the paper's
  // geometric spacing, its first level narrow enough to hold only the most general features).
  std::vector<double> prefixes;
  // relu only: "unit" keeps decoder columns at unit norm; "weighted" leaves them free and
  // penalises λ Σ f_i ‖W_dec,i‖ instead. The other architectures always use unit norm.
  std::string decoder_norm = "unit";
  double jump_bandwidth = 0.01;  // ε of the rectangle kernel (jumprelu)
  double jump_theta_init = 0.05; // initial threshold θ (jumprelu)
  double aux_k_coefficient = 1.0 / 32;  // α of the aux-k loss (topk, batchtopk, matryoshka); 0 turns it off
  int aux_k = 64;                // dead latents used by aux-k (per sample)
  // "tied" (Gao et al. 2024): unit random decoder columns, W_enc = W_decᵀ, b_dec = the data
  // mean. "random" (the ARENA toy-model exercise): W_enc and W_dec drawn independently
  // (Kaiming-uniform, decoder columns then normalised), b_enc = 0, b_dec = 0; latents can then
  // die early, which is what resampling is for.
  std::string init = "tied";
  // --- data
  std::string data = "synthetic";  // synthetic | toy | npy | hierarchical
  std::string npy_path;            // data = npy: a (N, d) float32/float64 file
  int input_dim = 64;              // d (synthetic; toy: the toy model's n_hidden)
  int true_features = 256;         // F (synthetic; toy: the toy model's n_features)
  double active = 5;               // mean active true features per sample, Σ_i p_i
  double power_law = 0;            // p_i ∝ (i+1)^-power_law (0: every p_i equal)
  int group_size = 1;              // correlated groups of this many consecutive features (1: none)
  bool orthogonal = false;         // true directions orthonormal (needs F ≤ d)
  int64_t toy_steps = 3000;        // data = toy: training steps of the toy model
  // data = hierarchical (SynthSAEBench, arXiv 2602.14687; sae/hierarchical_data.hpp): feature
  // i's firing probability falls from zipf_max to zipf_min as (i+1)^-zipf_exponent
  double zipf_exponent = 0.5;
  double zipf_max = 0.4;
  double zipf_min = 5e-4;
  // "R,B,DEPTH": R root features, each parent with B mutually exclusive children, DEPTH levels
  // below the roots (SAELens' max_depth), features taken breadth-first while true_features lasts
  std::string hierarchy = "8,4,3";
  int correlation_rank = 8;          // K: the firing covariance has rank K (0: independent)
  double correlation_strength = 0.5; // how far a context moves a probability: p (1 ± s)
  double overlap = 0.15;             // target mean over features of the max |cos| with another
  double magnitude_mean = 1.0;       // a firing feature's coefficient |N(mean, std)|
  double magnitude_std = 0.25;
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

  // The one description of every field (core/schema.hpp); C is SaeConfig or const SaeConfig.
  template <class C, class V> static void fields(C& c, V& v) {
    v(c.arch, Field("arch", "the architecture").flag("arch").one_of(kSaeArchNames));
    v(c.data, Field("data", "known features; a toy model's h = W x; a (N, d) float .npy; "
                            "hierarchical, Zipf-firing, correlated features (SynthSAEBench)")
                  .custom_flag("data", "synthetic|toy|hierarchical|FILE.npy")
                  .one_of({"synthetic", "toy", "npy", "hierarchical"})
                  .presets(&sae_data_presets));
    v(c.npy_path, Field("npy_path", "data npy: a (N, d) float32/float64 file"));
    v(c.input_dim, Field("input_dim", "input dimension d (synthetic; toy: the toy model's hidden dims)")
                       .flag("input-dim", "D").range(1, 4096));
    v(c.true_features, Field("true_features", "true features (synthetic; toy: the toy model's features)")
                           .flag("true-features", "F").range(1, 65536));
    v(c.active, Field("active", "mean active true features per sample, Σ_i p_i").flag("active", "A")
                    .range_to(0, "true_features", c.true_features, Bounds::open_min));
    v(c.n_latents, Field("n_latents", "SAE latents L").flag("latents", "L").range(1, 16384));
    v(c.l1, Field("l1", "sparsity coefficient λ: L1 (relu, gated) or L0 (jumprelu)").flag("l1", "λ")
                .range(0, 100));
    v(c.k, Field("k", "active latents per sample (topk, batchtopk, matryoshka: at most n_latents)")
               .flag("k", "K").range(1, 16384));
    v(c.prefixes, Field("prefixes", "matryoshka: widths of the nested prefixes, increasing integers < "
                                    "n_latents (empty: n_latents/16, n_latents/4)")
                      .flag("prefixes", "W1,W2,...").range_to(1, "n_latents", c.n_latents, Bounds::open_max));
    v(c.steps, steps_field());
    v(c.batch_size, batch_field());
    v(c.lr, lr_field("Adam learning rate"));
    v(c.seed, seed_field());
    v(c.power_law, Field("power_law", "feature probabilities p_i ∝ (i+1)^-α (synthetic)")
                       .flag("power-law", "α").range(0, 5));
    v(c.group_size, Field("group_size", "correlated groups of G consecutive features (synthetic)")
                        .flag("group-size", "G").range_to(1, "true_features", c.true_features));
    v(c.orthogonal, Field("orthogonal", "orthonormal true directions (needs F ≤ d)").flag("orthogonal"));
    v(c.zipf_exponent, Field("zipf_exponent", "hierarchical: p_i falls as (i+1)^-E from zipf_max to zipf_min")
                           .flag("zipf-exponent", "E").range(0, 5, Bounds::open_min));
    v(c.zipf_max, Field("zipf_max", "hierarchical: the most frequent feature's firing probability")
                      .flag("zipf-max", "P").range(0, 1, Bounds::open_min));
    v(c.zipf_min, Field("zipf_min", "hierarchical: the rarest feature's firing probability (< zipf_max)")
                      .flag("zipf-min", "P").range_to(0, "zipf_max", c.zipf_max, Bounds::open));
    v(c.hierarchy, Field("hierarchy", "hierarchical: R roots, B exclusive children per parent, DEPTH "
                                      "levels below the roots (0,0,0: none)")
                       .flag("hierarchy", "R,B,DEPTH"));
    v(c.correlation_rank, Field("correlation_rank", "hierarchical: rank K of the firing correlation (0: none)")
                              .flag("correlation-rank", "K").range(0, 64));
    v(c.correlation_strength, Field("correlation_strength", "hierarchical: a context scales p_i by 1 ± s")
                                  .flag("correlation-strength", "S").range(0, 1));
    v(c.overlap, Field("overlap", "hierarchical: target mean max |cos| between true directions")
                     .flag("overlap", "O").range(0, 1));
    v(c.magnitude_mean, Field("magnitude_mean", "hierarchical: mean of a firing feature's coefficient")
                            .flag("magnitude-mean", "M").range(0, 100, Bounds::open_min));
    v(c.magnitude_std, Field("magnitude_std", "hierarchical: its standard deviation (|N(mean, std)|)")
                           .flag("magnitude-std", "S").range(0, 100));
    v(c.toy_steps, Field("toy_steps", "training steps of the toy model (data toy)").flag("toy-steps", "S")
                       .range(0, 1e6).unit("steps"));
    v(c.decoder_norm, Field("decoder_norm", "relu: unit-norm decoder, or L1 weighted by decoder norms")
                          .flag("decoder-norm").one_of({"unit", "weighted"}));
    v(c.resample, Field("resample", "resample dead latents (relu, gated); --no-resample turns it off")
                      .flag("no-resample"));
    v(c.dead_window, Field("dead_window", "a latent is dead after S steps without firing")
                         .flag("dead-window", "S").range(1, 1e8).unit("steps"));
    v(c.resample_every, Field("resample_every", "steps between resampling checks (relu, gated)")
                            .flag("resample-every", "S").range(1, 1e8).unit("steps"));
    v(c.init, Field("init", "tied: W_enc = W_decᵀ, b_dec = data mean; random: the ARENA exercise's "
                            "independent Kaiming-uniform W_enc, W_dec, zero biases")
                  .flag("init").one_of({"tied", "random"}));
    v(c.jump_bandwidth, Field("jump_bandwidth", "ε of the rectangle kernel (jumprelu)")
                            .range(0, 10, Bounds::open_min));
    v(c.jump_theta_init, Field("jump_theta_init", "initial threshold θ (jumprelu)")
                             .range(0, 100, Bounds::open_min));
    v(c.aux_k_coefficient, Field("aux_k_coefficient", "α of the aux-k loss (topk, batchtopk, matryoshka); 0 turns it off")
                               .range(0, 10));
    v(c.aux_k, Field("aux_k", "dead latents used by aux-k, per sample").range(1, 16384));
    v(c.schedule, Field("schedule", "learning-rate schedule").one_of({"constant", "warmup", "cosine"}));
    v(c.warmup_steps, Field("warmup_steps", "linear lr warmup (warmup, cosine; at most steps)")
                          .range(0, 1e8).unit("steps"));
    v(c.min_lr_fraction, Field("min_lr_fraction", "cosine decays to this fraction of lr at steps")
                             .range(0, 1));
    v(c.l1_warmup_steps, Field("l1_warmup_steps", "λ ramps up linearly from 0 over these steps")
                             .range(0, 1e8).unit("steps"));
  }

  // Throws std::invalid_argument naming the field, the allowed range and the value.
  void validate() const;
  Json to_json() const;  // without npy_path when it is empty

  SaeArch arch_kind() const;
  // matryoshka: the levels' widths, the prefixes (or their default) then n_latents.
  std::vector<int> matryoshka_widths() const;
  SaeDataKind data_kind() const;
  // λ at (0-based) step t: linear warmup from 0 over l1_warmup_steps.
  double l1_at(int64_t t) const;
  OptimizerConfig optimizer_config() const;
  // Per-feature probabilities p_i (F), Σ p_i = active (each clamped to 1).
  std::vector<double> feature_probabilities() const;
  // data hierarchical: p_i = zipf_min + (zipf_max − zipf_min) ((i+1)^-E − F^-E) / (1 − F^-E)
  // (SAELens' zipfian_firing_probabilities), descending.
  std::vector<double> zipf_probabilities() const;
  // hierarchy parsed: {R, B, DEPTH}; throws naming "hierarchy".
  std::vector<int> hierarchy_shape() const;
};

SaeArch parse_sae_arch(const std::string& name);  // throws naming "arch"
// topk, batchtopk, matryoshka: sparsity set by k (the others: by l1).
bool sae_arch_uses_k(SaeArch a);
bool sae_arch_uses_k(const std::string& name);
const char* sae_arch_name(SaeArch a);

}  // namespace superpose
