#include "session/session.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"

namespace superpose {

Json Session::step(int64_t k) {
  require_in_range("k", static_cast<double>(k), 0, 1e6);
  const RunProgress before = progress();
  Json answer = train(std::clamp<int64_t>(before.total_steps - before.step, 0, k));
  const RunProgress after = progress();
  double loss_total = 0;
  for (const Json& l : answer.at("loss")) loss_total += l.is_number() ? l.get<double>() : NAN;
  answer["loss_total"] = loss_total;
  answer["step"] = after.step;
  answer["total_steps"] = after.total_steps;
  answer["done"] = after.done;
  return answer;
}

const std::map<std::string, Buffer>& Session::buffers() {
  if (!fresh_) {
    refresh_buffers(buffers_);
    fresh_ = true;
  }
  return buffers_;
}

Json Session::config_object(const Json& config) {
  if (!config.is_null() && !config.is_object()) fail_config("the config must be a JSON object");
  return config.is_null() ? Json::object() : config;
}

void Session::fail_not_configured(const char* kind) {
  fail_config(std::string("the ") + kind + " experiment is not configured yet: call configure first");
}

Json session_schema(const std::string& kind) {
  return Json{{"kind", kind}, {"fields", make_session(kind)->schema_fields()}};
}

Json Session::configure_with_file(const Json&, const std::vector<uint8_t>&) {
  fail_config("this experiment kind reads no data file (supported: sae with data npy)");
}

std::vector<uint8_t> Session::export_safetensors() {
  fail_config("this experiment kind does not export safetensors (supported: toy)");
}

Json Session::import_safetensors(const std::vector<uint8_t>&) {
  fail_config("this experiment kind does not import safetensors (supported: toy)");
}

Session::SaeLensFiles Session::export_saelens(int) {
  fail_config("this experiment kind does not export a SAELens SAE (supported: sae)");
}

Json Session::import_saelens(const std::string&, const std::vector<uint8_t>&) {
  fail_config("this experiment kind does not import a SAELens SAE (supported: sae, steer)");
}

}  // namespace superpose
