// Every suppression config field is validated with its name, its allowed range and the value.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "suppression/suppression_config.hpp"

namespace test_suppression_config {

using namespace superpose;

namespace {
std::string error_of(const std::string& json) {
  try {
    SuppressionConfig::from_json(parse_json(json));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("suppression config: defaults are the issue's and round-trip through JSON") {
  SuppressionConfig c;
  CHECK_NOTHROW(c.validate());
  CHECK(c.l1 == 0.4);
  CHECK(c.feature_probability == 0.5);
  CHECK(c.magnitude == "binary");
  CHECK(c.fix == "none");
  CHECK(c.steps == 5000);
  CHECK(c.lr == 1e-2);
  CHECK(c.seed == 0);
  CHECK_FALSE(c.decoder_bias);
  const SuppressionConfig back = SuppressionConfig::from_json(c.to_json());
  CHECK(back.to_json() == c.to_json());
}

TEST_CASE("suppression config: range errors name the field, the range and the value") {
  CHECK(error_of(R"({"l1": -1})") == "l1 must be in [0, 10] (got -1)");
  CHECK(error_of(R"({"feature_probability": 0})") == "feature_probability must be in (0, 1] (got 0)");
  CHECK(error_of(R"({"feature_probability": 1.5})") == "feature_probability must be in (0, 1] (got 1.5)");
  CHECK(error_of(R"({"magnitude": "gaussian"})") ==
        "magnitude must be one of binary, uniform (got \"gaussian\")");
  CHECK(error_of(R"({"fix": "topk"})") == "fix must be one of none, scale, gated (got \"topk\")");
  CHECK(error_of(R"({"n_features": 0})") == "n_features must be in [1, 64] (got 0)");
  CHECK(error_of(R"({"steps": 0})") == "steps must be in [1, 10000000] (got 0)");
  CHECK(error_of(R"({"scale_steps": 0})") == "scale_steps must be in [1, 10000000] (got 0)");
  CHECK(error_of(R"({"batch_size": 0})") == "batch_size must be in [1, 65536] (got 0)");
  CHECK(error_of(R"({"lr": 0})") == "lr must be in (0, 10] (got 0)");
  CHECK(error_of(R"({"seed": -1})") == "seed must be in [0, 4294967295] (got -1)");
  CHECK(error_of(R"({"bogus": 1})").find("bogus") != std::string::npos);
  CHECK(error_of(R"({"l1": "big"})").find("l1") != std::string::npos);
  CHECK(error_of(R"({"decoder_bias": 1})").find("decoder_bias") != std::string::npos);
  SuppressionConfig nan;
  nan.l1 = std::nan("");
  CHECK_THROWS_WITH_AS(nan.validate(), "l1 must be in [0, 10] (got NaN)", std::invalid_argument);
}

}  // namespace test_suppression_config
