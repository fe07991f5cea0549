// A real sparse autoencoder (sae/) trained on one toy instance's hidden activations h = W x, with
// x drawn from the toy model's own data distribution on a stream of its own, handed to the
// interventions as an SaeView: its decoder columns, b_dec, and an encode that runs the SAE's
// encoder (Bricken et al. 2023, "Towards Monosemanticity"; the ARENA exercise "Sparse
// Autoencoders in Toy Models"). The hand-built reference is interp/perfect_sae.hpp.
//
// Legend:  n = n_features, m = n_hidden (= the SAE's d), L = n_latents, B = batch
// Not here: the architectures and their training (sae/), the interventions (interp/).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "interp/sae_view.hpp"
#include "interp/split_model.hpp"
#include "sae/sae.hpp"
#include "sae/sae_config.hpp"
#include "toy/toy_config.hpp"

namespace superpose {

// Streams of the SAE's data (Rng(seed, stream)), apart from the toy model's and interp_data's.
constexpr uint64_t kInterpSaeTrainStream = 110;
constexpr uint64_t kInterpSaeHeldOutStream = 111;

// The SAE the steer/ablate front ends train when none is given: TopK with k = 1 and L = 2n
// latents, 1000 steps of batch 256 at lr 1e-2. On the sparse pentagon (n=5, m=2) it finds every
// feature (best cosine > 0.999) for each of 8 seeds tried, in ~0.1 s; a ReLU SAE of the same size
// and length (l1 = 0.01) often merges two neighbouring features (cosine ~0.85) or misses one, and
// with L = n TopK too can leave features unfound. config.arch, n_latents, l1, k, steps and seed
// are the knobs the steer session (and the CLI through it) exposes; input_dim = n_hidden,
// true_features = n_features and active (at most n_features) are filled in here.
SaeConfig interp_sae_defaults(const ToyConfig& toy);

// The values of InterpSaeConfig::kind: every architecture of sae/ (kSaeArchNames, so a new one
// is offered by itself), then perfect and saelens.
inline std::vector<std::string> interp_sae_kinds() {
  std::vector<std::string> kinds = kSaeArchNames;
  kinds.insert(kinds.end(), {"perfect", "saelens"});
  return kinds;
}

// Which SAE the steer/ablate front ends use and the knobs they expose (kind steer's "sae"
// object; the CLI's --sae, --latents, --l1, --k, --sae-steps, --sae-seed): an architecture of
// sae/ trained on the hidden activations, the hand-built perfect one (interp/perfect_sae.hpp), or
// saelens (an imported file, session only). The other SaeConfig fields are interp_sae_defaults'.
struct InterpSaeConfig {
  std::string kind = "topk";
  SaeConfig sae;  // interp_sae_defaults(toy), then the keys given

  template <class C, class V> static void fields(C& c, V& v) {
    v(c.kind, Field("kind", "an architecture of sae/ trained on the toy model's hidden activations "
                            "h = W x, perfect (hand-built from its feature columns) or saelens (imported)")
                  .flag("sae").one_of(interp_sae_kinds()));
    auto knobs = adapt_fields(v, [](Field& f) {
      const std::string name = f.name;
      if (name == "steps") f.flag("sae-steps", "S").range(1, 100000);  // trained within one step call
      if (name == "seed") f.flag("sae-seed", "SEED");
      return name == "n_latents" || name == "l1" || name == "k" || name == "steps" || name == "seed";
    });
    SaeConfig::fields(c.sae, knobs);
  }
};

// Trains config (arch, n_latents, l1, k, steps, batch_size, lr, seed, ...; its data fields are
// ignored) on h = W x of `model` (instance `instance` of `toy`), x from the toy data generator
// with seed config.seed. Throws std::invalid_argument naming the bad field.
SaeView trained_sae(const SplitToyModel& model, const ToyConfig& toy, int instance,
                    const SaeConfig& config);

// The view of any Superpose SAE (trained here, or loaded from a SAELens file): its decoder,
// b_dec, and an encode running its encoder. The view shares the SAE (its encoder workspace).
SaeView view_of_sae(std::shared_ptr<Sae> sae);

}  // namespace superpose
