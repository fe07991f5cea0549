// libFuzzer target: the JSON config path every front end uses (CLI files, wasm bindings, page).
// Input bytes → parse_json → make_session(kind)->configure(json) for every session kind; a
// config that is accepted is also reset, stepped once (when small) and read out.
// Contract checked: the only exception is std::invalid_argument (a config error with a message);
// ASan/UBSan catch memory and UB errors; anything else (another exception type, a crash, an
// empty error message) aborts and is a finding. Not here: training quality.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/check.hpp"
#include "core/json_config.hpp"
#include "session/session.hpp"

namespace {
[[noreturn]] void finding(const char* what, const char* detail) {
  std::fprintf(stderr, "fuzz_config: %s: %s\n", what, detail);
  std::abort();
}

// Runs f; config errors are the expected outcome, anything else is a finding.
std::string last_error;

template <class F>
bool expect_config_error(const char* where, F&& f) {
  try {
    f();
    return true;
  } catch (const std::invalid_argument& e) {
    last_error = e.what();
    if (last_error.empty()) finding(where, "empty error message");
    return false;
  } catch (const superpose::Diverged& e) {
    return false;  // a legitimate outcome of a valid config with a huge learning rate
  } catch (const std::exception& e) {
    finding(where, e.what());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  superpose::Json config;
  if (!expect_config_error("parse_json", [&] { config = superpose::parse_json(text); })) return 0;
  for (const std::string& kind : superpose::session_kinds()) {
    auto session = superpose::make_session(kind);
    superpose::Json applied;
    if (!expect_config_error("configure", [&] { applied = session->configure(config); })) continue;
    // The config a session reports must configure a fresh session to the same config.
    auto again = superpose::make_session(kind);
    superpose::Json applied_again;
    if (!expect_config_error("configure(round trip)", [&] { applied_again = again->configure(applied); }))
      finding("configure", (kind + ": the applied config " + applied.dump() + " is refused: " +
                             last_error).c_str());
    if (applied_again != applied)
      finding("configure", (kind + ": round trip changed the config: " + applied.dump() + " -> " +
                            applied_again.dump()).c_str());
    // One step and a read-out, for configs small enough to keep the fuzzer fast.
    if (text.size() < 400 && applied.dump().size() < 2000) {
      expect_config_error("step", [&] { session->step(1); });
      expect_config_error("reset", [&] { session->reset(); });
      expect_config_error("buffers", [&] { session->buffers(); });
    }
  }
  return 0;
}
