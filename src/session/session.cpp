#include "session/session.hpp"

#include "core/check.hpp"

namespace superpose {

const std::map<std::string, Buffer>& Session::buffers() {
  if (!fresh_) {
    refresh_buffers(buffers_);
    fresh_ = true;
  }
  return buffers_;
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
