// The experiment kinds the page and the bindings can create. One line per kind.
#include <functional>

#include "core/check.hpp"
#include "session/sae_session.hpp"
#include "session/grok_session.hpp"
#include "session/lm_session.hpp"
#include "session/session.hpp"
#include "session/suppression_session.hpp"
#include "session/steer_session.hpp"
#include "session/toy_session.hpp"

namespace superpose {

namespace {
using Factory = std::function<std::unique_ptr<Session>()>;
const std::vector<std::pair<std::string, Factory>>& registry() {
  static const std::vector<std::pair<std::string, Factory>> kinds = {
      {"toy", [] { return std::unique_ptr<Session>(new ToySession()); }},
      {"steer", [] { return std::unique_ptr<Session>(new SteerSession()); }},
      {"suppression", [] { return std::unique_ptr<Session>(new SuppressionSession()); }},
      {"grok", [] { return std::unique_ptr<Session>(new GrokSession()); }},
      {"sae", [] { return std::unique_ptr<Session>(new SaeSession()); }},
      {"lm", [] { return std::unique_ptr<Session>(new LmSession()); }},
  };
  return kinds;
}
}  // namespace

std::unique_ptr<Session> make_session(const std::string& kind) {
  std::string known;
  for (const auto& [name, factory] : registry()) {
    if (name == kind) return factory();
    known += (known.empty() ? "" : ", ") + name;
  }
  fail_config("unknown experiment kind \"" + kind + "\" (known: " + known + ")");
}

std::vector<std::string> session_kinds() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

}  // namespace superpose
