// Every toy config field is validated with its name, its allowed range and the value given.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "toy/toy_config.hpp"

namespace test_toy_config {

using namespace superpose;

namespace {
std::string error_of(const std::string& json) {
  try {
    ToyConfig::from_json(parse_json(json));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("defaults are valid and round-trip through JSON") {
  ToyConfig c;
  CHECK_NOTHROW(c.validate());
  const ToyConfig back = ToyConfig::from_json(c.to_json());
  CHECK(back.to_json() == c.to_json());
  CHECK(back.n_features == 5);
  CHECK(back.n_hidden == 2);
  CHECK(back.feature_probability == std::vector<double>{0.05});
}

TEST_CASE("range errors name the field, the range and the value") {
  CHECK(error_of(R"({"n_hidden": 7})") == "n_hidden must be in [1, n_features=5] (got 7)");
  CHECK(error_of(R"({"n_features": 0})") == "n_features must be in [1, 512] (got 0)");
  CHECK(error_of(R"({"feature_probability": 0})") == "feature_probability must be in (0, 1] (got 0)");
  CHECK(error_of(R"({"feature_probability": 1.5})") == "feature_probability must be in (0, 1] (got 1.5)");
  CHECK(error_of(R"({"n_instances": 3, "feature_probability": [0.1, 0.2]})") ==
        "feature_probability must have 1 or n_instances=3 values (got 2)");
  CHECK(error_of(R"({"importance_decay": 0})") == "importance_decay must be in (0, 1] (got 0)");
  CHECK(error_of(R"({"batch_size": 0})") == "batch_size must be in [1, 65536] (got 0)");
  CHECK(error_of(R"({"lr": 0})") == "lr must be in (0, 10] (got 0)");
  CHECK(error_of(R"({"seed": -1})") == "seed must be in [0, 4294967295] (got -1)");
  CHECK(error_of(R"({"model": "gelu"})") ==
        "model must be one of relu, linear, relu-hidden, abs (got \"gelu\")");
  CHECK(error_of(R"({"correlation": "x"})") ==
        "correlation must be one of none, correlated, anticorrelated (got \"x\")");
}

TEST_CASE("type errors, unknown keys and bad JSON are refused") {
  CHECK(error_of(R"({"n_features": 2.5})") == "n_features must be an integer (got 2.5)");
  CHECK(error_of(R"({"n_features": "5"})") == "n_features must be an integer (got \"5\")");
  CHECK(error_of(R"({"model": 3})") == "model must be a string (got 3)");
  CHECK(error_of(R"({"n_featres": 5})") == "unknown config key \"n_featres\"");
  CHECK(error_of(R"([1, 2])") == "config must be a JSON object");
  CHECK(error_of("{").rfind("config is not valid JSON", 0) == 0);
  CHECK(error_of(R"({"n_features": 1e300})").find("n_features") == 0);
}

TEST_CASE("NaN is refused wherever a number is expected") {
  ToyConfig c;
  c.lr = NAN;
  CHECK_THROWS_AS(c.validate(), std::invalid_argument);
  c = ToyConfig{};
  c.feature_probability = {NAN};
  CHECK_THROWS_WITH(c.validate(), "feature_probability must be in (0, 1] (got NaN)");
}

TEST_CASE("sizes that would not fit a browser tab are refused with the memory needed") {
  const std::string e = error_of(R"({"n_features": 512, "n_hidden": 2, "n_instances": 256, "batch_size": 4096})");
  CHECK(e.find("too large") != std::string::npos);
  CHECK(e.find("MB") != std::string::npos);
}

TEST_CASE("log-spaced feature probabilities") {
  const auto p = log_spaced(1.0, 0.001, 4);
  REQUIRE(p.size() == 4);
  CHECK(p[0] == doctest::Approx(1.0));
  CHECK(p[1] == doctest::Approx(0.1));
  CHECK(p[3] == doctest::Approx(0.001));
}

}  // namespace test_toy_config
