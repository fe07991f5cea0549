// An experiment as the page (and any other driver) sees it: configure from JSON, step(k), read
// named float buffers. Each experiment kind ("toy", later "sae", ...) implements Session and
// registers a factory in registry.cpp; the wasm bindings expose only this interface, so adding
// an experiment never touches the bindings.
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
  // Trains k steps (throws Diverged on NaN, keeping the state before the bad step); returns a
  // small summary, at least {"step": N}.
  virtual Json step(int64_t k) = 0;
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

}  // namespace superpose
