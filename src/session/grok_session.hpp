// The grokking experiment as a Session (kind "grok"; docs/wasm-api.md): one step is one
// full-batch epoch, and the run stops at `epochs`. Config: the keys of GrokConfig; the answer adds `steps` (= epochs, read-only,
// ignored on input) so a driver knows the run's length. Buffers: the history as one named column
// per quantity (history_epoch, history_train_acc, ...: they grow with the run), the threshold epochs, the embedding's Fourier readouts, and for the
// residual model the paths' contributions to the correct logit and their ablations.
#pragma once
#include <memory>

#include "grok/grok_run.hpp"
#include "session/session.hpp"

namespace superpose {

class GrokSession : public Session {
 public:
  static constexpr int kTopFrequencies = 5;

  Json configure(const Json& config) override;
  Json reset() override;
  RunProgress progress() const override;
  // GrokConfig's fields ("steps", the answer's copy of epochs, is not read).
  Json schema_fields() const override { return fields_schema<GrokConfig>(); }
  GrokRun* run() { return run_.get(); }

 protected:
  Json train(int64_t k) override;
  void refresh_buffers(std::map<std::string, Buffer>& buffers) override;

 private:
  std::unique_ptr<GrokRun> run_;
  Json config_json() const;
};

}  // namespace superpose
