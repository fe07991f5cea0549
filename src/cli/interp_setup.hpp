// What `superpose steer` and `superpose ablate` share: the toy flags (cli/toy_flags.hpp), the SAE
// flags, the intervention flags (--instance, --eval-batch), training what is needed (toy model,
// then SAE) with the given seeds, and the config echoed in --json.
#pragma once
#include <memory>

#include "cli/args.hpp"
#include "core/json_config.hpp"
#include "interp/interventions.hpp"
#include "sae/sae_config.hpp"
#include "toy/toy_model.hpp"

namespace superpose::cli {

struct InterpSetup {
  ToyConfig toy;
  // The SAE: perfect (hand-built from the toy model's columns, interp/perfect_sae.hpp) or an
  // architecture of sae/ trained on the hidden activations (interp/trained_sae.hpp).
  std::string sae = "topk";
  SaeConfig sae_config;         // the trained SAE's (not used by perfect)
  int instance = 0;
  int eval_batch = 4096;        // also the reference batch of the statistics
  bool json = false;
  std::unique_ptr<ToyModel> model;
  std::unique_ptr<Interventions> interventions;

  Json config_json() const;
  int n_latents() const { return sae == "perfect" ? toy.n_features : sae_config.n_latents; }
};

// Takes the shared flags (not --json) from a; call a.finish() after taking the command's own.
InterpSetup interp_setup_from_flags(Args& a);
// Trains the toy model (progress on stderr unless --json), then the SAE, then draws the data.
void train_and_prepare(InterpSetup& s);

extern const char* const kInterpFlagsHelp;

}  // namespace superpose::cli
