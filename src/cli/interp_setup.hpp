// What `superpose steer` and `superpose ablate` share: the toy flags (cli/toy_flags.hpp), the SAE
// flags and the intervention flags (--instance, --eval-batch), turned into the steer page's
// session config and driven through that session (session/steer_session.hpp): its defaults,
// bounds and seeds are the CLI's, so the two cannot drift. Also the config echoed in --json.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/json_config.hpp"
#include "session/steer_session.hpp"

namespace superpose::cli {

struct InterpSetup {
  std::unique_ptr<SteerSession> session = std::make_unique<SteerSession>();
  Json config;  // the session's answer to configure
  bool json = false;

  const ToyConfig& toy() const { return session->toy(); }
  int instance() const { return session->intervention_config().instance; }
  int eval_batch() const { return session->intervention_config().eval_batch; }
  int n_latents() const { return session->n_latents(); }
  // Once train_and_prepare has run.
  const Interventions& interventions() const { return *session->interventions(); }
  // {toy, sae, instance, eval_batch}: the keys the commands echo (the session's values).
  Json config_json() const;
};

// Takes the shared flags (not --json) from a and configures the session (config errors become
// usage errors naming the flag); call a.finish() after taking the command's own.
InterpSetup interp_setup_from_flags(Args& a);
// Steps the session until it is ready: the toy model (progress on stderr unless --json), then the
// SAE and the interventions' data.
void train_and_prepare(InterpSetup& s);

// The --help lines of the flags above (--sae lists every architecture of sae/).
std::string interp_flags_help();
// A command's --help: head, the help lines of the steer session's intervention fields it takes
// (e.g. target, mode: the page's text, choices and defaults), tail, then the toy and SAE flags.
// True when --help was given (the command then returns 0).
bool take_interp_help(Args& a, const std::string& head, const std::vector<std::string>& fields,
                      const char* tail);

}  // namespace superpose::cli
