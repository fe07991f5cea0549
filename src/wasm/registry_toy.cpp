// The experiment kinds of the `lab-toy` module: the toy model only. The toy page (index.html and
// its embeds) loads this smaller module instead of `lab` (every kind): the linker then leaves out
// the SAE, suppression, steering and grokking code, so the page's first download stays small
// (issue 8: wasm + JS under 300 KB gzipped). Same interface as src/session/registry.cpp, whose
// object the linker does not pull in once these two functions are defined here.
#include "core/check.hpp"
#include "session/session.hpp"
#include "session/toy_session.hpp"

namespace superpose {

std::unique_ptr<Session> make_session(const std::string& kind) {
  if (kind == "toy") return std::unique_ptr<Session>(new ToySession());
  fail_config("unknown experiment kind \"" + kind + "\" (known in this module: toy; the other "
              "kinds are in lab.js)");
}

std::vector<std::string> session_kinds() { return {"toy"}; }

}  // namespace superpose
