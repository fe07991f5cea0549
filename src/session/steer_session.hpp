// Steering and ablation (issue 6) as a Session: step(k) trains the toy model (then the SAE) for
// its configured steps; once trained, the SAE is trained on its hidden activations (unless
// sae.kind is "perfect", the hand-built one) and the interventions are computed and kept in the buffers
// (docs/wasm-api.md, kind "steer"). A configure that changes only the intervention fields
// (direction, strength, input, target, mode) keeps the trained models and recomputes at once, so
// the page's slider needs no retraining. import_saelens puts a SAELens file's SAE in place of the
// trained one (sae.kind "saelens"; its d_in must equal the toy model's n_hidden): it is used as it
// is, not trained, for as long as the config's sae.kind says "saelens".
// The CLI's `steer` and `ablate` drive this session too: one place for the experiment's defaults,
// bounds and seeds (tests/unit/test_cli_steer.cpp: the CLI's numbers are the session's).
// Not here: the interventions (interp/), training (toy/, sae/).
#pragma once
#include <memory>

#include "interp/intervention_config.hpp"
#include "interp/interventions.hpp"
#include "sae/sae.hpp"
#include "sae/sae_config.hpp"
#include "session/session.hpp"
#include "toy/toy_model.hpp"

namespace superpose {

class SteerSession : public Session {
 public:
  Json configure(const Json& config) override;
  Json reset() override;
  RunProgress progress() const override;
  Json schema_fields() const override;
  Json import_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights) override;

  // What the CLI's steer and ablate (cli/interp_setup.cpp), which drive this session, read: the
  // configured toy model and interventions, the SAE's latents, and once `ready` the interventions.
  const ToyConfig& toy() const { return toy_; }
  const InterventionConfig& intervention_config() const { return iv_; }
  // The perfect SAE has one latent per feature.
  int n_latents() const {
    return sae_.value("kind", "perfect") == "perfect" ? toy_.n_features : sae_config_.n_latents;
  }
  const Interventions* interventions() const { return interventions_.get(); }

 protected:
  Json train(int64_t k) override;
  void refresh_buffers(std::map<std::string, Buffer>& buffers) override;

 private:
  ToyConfig toy_;
  Json sae_ = Json{{"kind", "topk"}};  // and for a trained SAE n_latents, l1, k, steps, seed
  SaeConfig sae_config_;  // the trained SAE's (kind ≠ perfect)
  InterventionConfig iv_;
  std::unique_ptr<ToyModel> model_;
  std::unique_ptr<Interventions> interventions_;
  std::shared_ptr<Sae> loaded_sae_;  // the imported SAELens SAE, or null
  Json loaded_info_;                 // sae.kind "saelens" with the file's architecture, d_in, n_latents (k)
  int64_t total_steps() const { return toy_.steps; }
  void prepare();  // once trained: the SAE and the interventions' data
  Json config_json() const;
};

}  // namespace superpose
