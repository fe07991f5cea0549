// An experiment as the page (and any other driver) sees it: configure from JSON, step(k), read
// named float buffers. Each experiment kind ("toy", later "sae", ...) implements Session and
// registers a factory in registry.cpp; the wasm bindings expose only this interface, so adding
// an experiment never touches the bindings.
// The step contract is the same for every kind (docs/wasm-api.md): step(k) trains at most up to
// the run's length and answers {step, total_steps, done, loss: [...], loss_total} plus the kind's
// own extras, so a driver (the page's worker) needs no per-kind knowledge to run, clip and stop.
// Not here: anything browser-specific (the bindings turn these calls into JS values).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json_config.hpp"
#include "session/buffers.hpp"

namespace superpose {

// Where a run stands. step() never trains past total_steps; done is true once the run is complete
// (step == total_steps, and whatever the kind computes at the end, e.g. steer's interventions).
struct RunProgress {
  int64_t step = 0;
  int64_t total_steps = 0;
  bool done = false;
  // A run that is done at its last step.
  static RunProgress of(int64_t step, int64_t total) { return {step, total, step >= total}; }
};

class Session {
 public:
  virtual ~Session() = default;
  // Validates and applies a config (throws std::invalid_argument naming the field); returns the
  // full config with defaults filled in. Re-initialises the experiment.
  virtual Json configure(const Json& config) = 0;
  // configure, with the bytes of the data file the config names (kind sae, data "npy": the .npy
  // file). Bytes, not base64: the page hands over the file it opened as it is. The default
  // refuses: only kind sae reads a data file.
  virtual Json configure_with_file(const Json& config, const std::vector<uint8_t>& file);
  // Re-initialises with the current config and seed; returns the config.
  virtual Json reset() = 0;
  // Trains min(k, total_steps - step) steps (k in [0, 10^6]; throws Diverged on NaN, keeping the
  // state before the bad step) and answers {step, total_steps, done, loss: [one per run or
  // instance], loss_total: Σ loss} plus the kind's extras. step(0) trains nothing but lets a kind
  // finish its end-of-run work (steer: the SAE and interventions after a change of SAE).
  Json step(int64_t k);
  // Throws std::invalid_argument before configure.
  virtual RunProgress progress() const = 0;
  // The keys configure() takes, one JSON object per field (core/schema.hpp field_schema: name,
  // type, default, range, choices, help, unit, flag); the same before and after configure.
  virtual Json schema_fields() const = 0;
  // The named buffers, refreshed when the experiment changed since the last call.
  const std::map<std::string, Buffer>& buffers();

  // Interop (issue 7): the experiment's trained parameters as a safetensors file, and back
  // (import replaces the state, throws std::invalid_argument for a bad file, returns the config).
  // The defaults refuse: a kind opts in by overriding both.
  virtual std::vector<uint8_t> export_safetensors();
  virtual Json import_safetensors(const std::vector<uint8_t>& bytes);

  // A sparse autoencoder in SAELens's folder layout (io/saelens.hpp): cfg.json's text and
  // sae_weights.safetensors' bytes. export_saelens(run) writes one of the experiment's SAEs;
  // import_saelens puts a file's SAE into the running experiment (kind sae: measured on its data,
  // not trained; kind steer: the SAE it steers and ablates with) and returns the config. A bad
  // file throws std::invalid_argument naming the problem and leaves the experiment as it was.
  // The defaults refuse: kinds sae and steer override them.
  struct SaeLensFiles {
    std::string cfg_json;
    std::vector<uint8_t> weights;
  };
  virtual SaeLensFiles export_saelens(int run);
  virtual Json import_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights);

 protected:
  // The config to take keys from: an object, or {} for null; anything else is refused.
  static Json config_object(const Json& config);
  // Any call but configure before configure: "the <kind> experiment is not configured yet".
  [[noreturn]] static void fail_not_configured(const char* kind);
  // *p, the session's experiment object, or fail_not_configured(kind) while there is none.
  template <class T> static T& configured(const std::unique_ptr<T>& p, const char* kind) {
    if (!p) fail_not_configured(kind);
    return *p;
  }
  // Trains exactly k steps (step() has clipped k to the run's end; k may be 0) and answers
  // {loss: [...]} plus the kind's extras; step() adds the progress and loss_total.
  virtual Json train(int64_t k) = 0;
  // Fills buffers_ from the current state.
  virtual void refresh_buffers(std::map<std::string, Buffer>& buffers) = 0;
  // Call after anything that changes the state.
  void invalidate() { fresh_ = false; }

 private:
  std::map<std::string, Buffer> buffers_;
  bool fresh_ = false;
};

// The factory for an experiment kind; throws std::invalid_argument for an unknown kind.
std::unique_ptr<Session> make_session(const std::string& kind);
std::vector<std::string> session_kinds();
// {"kind": kind, "fields": [...]}: what a page needs to build its controls (docs/wasm-api.md,
// "Schemas"); throws std::invalid_argument for an unknown kind.
Json session_schema(const std::string& kind);

}  // namespace superpose
