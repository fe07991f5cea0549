// Regression tests for what the fuzzers found (tests/fuzz, scripts/test-fuzz; issue 9). Each
// input here is also a file in tests/fuzz/corpus/<target>/, which every fuzz run replays first.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "core/json_config.hpp"
#include "session/session.hpp"

namespace test_fuzz_regressions {

using namespace superpose;

TEST_CASE("fuzz_config: a number that overflows a double is a config error, not a JSON exception") {
  // nlohmann throws out_of_range.406 (not parse_error) for 1e400; it escaped parse_json.
  for (const char* text : {R"({"a":1e400})", "-1e400", R"({"lr":[1,2,1e999]})"}) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(parse_json(text), doctest::Contains("config is not valid JSON"),
                         std::invalid_argument);
  }
}

TEST_CASE("fuzz_config: the config a session reports configures a fresh session to the same config") {
  // The sae session reported read-only keys ("runs", "true_features_known") that its own
  // configure refused as unknown.
  for (const std::string& kind : session_kinds()) {
    CAPTURE(kind);
    auto a = make_session(kind);
    const Json reported = a->configure(Json::object());
    auto b = make_session(kind);
    Json again;
    CHECK_NOTHROW(again = b->configure(reported));
    CHECK(again == reported);
  }
}

}  // namespace test_fuzz_regressions
