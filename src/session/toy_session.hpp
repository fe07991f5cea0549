// The toy-models experiment as a Session: the buffers listed in docs/wasm-api.md. The session's
// own key trained_instances [k, ...] trains a share of the instances (a worker pool's,
// web/lib/shards.js); the buffers then hold those instances' rows only, in that order.
#pragma once
#include <memory>

#include "session/session.hpp"
#include "toy/toy_model.hpp"

namespace superpose {

class ToySession : public Session {
 public:
  Json configure(const Json& config) override;
  Json reset() override;
  RunProgress progress() const override;
  Json schema_fields() const override { return fields_schema<ToyConfig>(); }
  // The model as toy/toy_export.hpp's file; import replaces config and model (step 0, fresh Adam).
  std::vector<uint8_t> export_safetensors() override;
  Json import_safetensors(const std::vector<uint8_t>& bytes) override;
  const ToyModel* model() const { return model_.get(); }

 protected:
  Json train(int64_t k) override;
  void refresh_buffers(std::map<std::string, Buffer>& buffers) override;

 private:
  std::unique_ptr<ToyModel> model_;
  Json config_json() const;  // the model's config (+ trained_instances when not all)
};

}  // namespace superpose
