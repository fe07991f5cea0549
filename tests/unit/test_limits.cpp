// Size limits (issue 9): every config bounds its largest buffers with one message shape,
// "<what> = <value> is too large for the browser (needs N MB, limit M MB)", checked through the
// session layer (what the page and the CLI call) before anything is allocated.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/memory_limit.hpp"
#include "session/session.hpp"

namespace test_limits {

using namespace superpose;

TEST_CASE("require_fits_browser: passes at the limit, names the product and both sizes above it") {
  CHECK_NOTHROW(require_fits_browser("a × b", 1024.0 * 1024, 1024.0 * 1024));
  CHECK_THROWS_WITH_AS(require_fits_browser("a × b", 1024.0 * 1024 + 1, 1024.0 * 1024, 3),
                       "a × b = 1048577 is too large for the browser (needs 13 MB, limit 12 MB)",
                       std::invalid_argument);
  CHECK_THROWS_AS(require_fits_browser("nan", std::nan(""), 1), std::invalid_argument);
}

TEST_CASE("every kind with a memory-heavy config refuses it with the browser message") {
  // The largest value of each size field, per kind (suppression's ranges alone keep it within
  // bounds: n_features ≤ 64, batch ≤ 65536).
  const std::pair<const char*, const char*> huge[] = {
      {"toy", R"({"n_features": 512, "n_hidden": 512, "n_instances": 256, "batch_size": 65536})"},
      {"toy", R"({"n_features": 512, "n_instances": 256, "batch_size": 1})"},
      {"steer", R"({"toy": {"n_features": 512, "n_instances": 256, "batch_size": 65536}})"},
      {"sae", R"({"n_latents": 16384, "input_dim": 4096, "batch_size": 16})"},
      {"sae", R"({"n_latents": 16384, "batch_size": 65536})"},
      {"grok", R"({"p": 257, "width": 4096})"},
  };
  for (const auto& entry : huge) {
    const std::string kind = entry.first, config = entry.second;
    CAPTURE(kind);
    CAPTURE(config);
    bool known = false;
    for (const auto& k : session_kinds()) known = known || k == kind;
    if (!known) continue;
    std::string message;
    try {
      make_session(kind)->configure(parse_json(config));
    } catch (const std::invalid_argument& e) {
      message = e.what();
    }
    CHECK(message.find("is too large for the browser (needs ") != std::string::npos);
    CHECK(message.find(" MB, limit ") != std::string::npos);
  }
}

}  // namespace test_limits
