// The toy experiment as the page sees it (session layer): configure, step, named buffers.
#include <doctest/doctest.h>

#include <cmath>

#include "core/check.hpp"
#include "session/session.hpp"

using namespace superpose;

TEST_CASE("a toy session reports the buffers of docs/wasm-api.md with their shapes") {
  auto s = make_session("toy");
  const Json config = s->configure(parse_json(R"({"n_features": 6, "n_hidden": 2, "n_instances": 3,
      "feature_probability": [1, 0.1, 0.01], "model": "abs"})"));
  CHECK(config["n_features"] == 6);
  CHECK(config["feature_probability"].size() == 3);
  const Json answer = s->step(10);
  CHECK(answer["step"] == 10);
  CHECK(answer["loss"].size() == 3);
  const auto& buffers = s->buffers();
  auto shape = [&](const char* name) { return buffers.at(name).shape; };
  CHECK(shape("W") == std::vector<int>{3, 2, 6});
  CHECK(shape("W2") == std::vector<int>{3, 6, 2});
  CHECK(shape("b") == std::vector<int>{3, 6});
  CHECK(shape("WtW") == std::vector<int>{3, 6, 6});
  CHECK(shape("feature_norms") == std::vector<int>{3, 6});
  CHECK(shape("interference") == std::vector<int>{3, 6});
  CHECK(shape("dimensionality") == std::vector<int>{3, 6});
  CHECK(shape("dims_per_feature") == std::vector<int>{3});
  CHECK(shape("loss") == std::vector<int>{3});
  CHECK(shape("importance") == std::vector<int>{6});
  for (const auto& [name, buf] : buffers) {
    std::size_t n = 1;
    for (int d : buf.shape) n *= d;
    CHECK(buf.data.size() == n);
  }
  // WᵀW's diagonal is the squared feature norms (row-major layout of both buffers)
  const auto& WtW = buffers.at("WtW").data;
  const auto& norms = buffers.at("feature_norms").data;
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 6; ++i)
      CHECK(WtW[k * 36 + i * 6 + i] == doctest::Approx(norms[k * 6 + i] * norms[k * 6 + i]));
  CHECK(buffers.at("loss").data[1] == doctest::Approx(answer["loss"][1].get<double>()));
}

TEST_CASE("session errors: unknown kind, bad config, step before configure") {
  // The list of known kinds grows as experiments register: check its start only.
  CHECK_THROWS_WITH_AS(make_session("nope"),
                       doctest::Contains("unknown experiment kind \"nope\" (known: toy"),
                       std::invalid_argument);
  auto s = make_session("toy");
  CHECK_THROWS_AS(s->step(1), std::invalid_argument);
  CHECK_THROWS_WITH_AS(s->configure(parse_json(R"({"n_hidden": 9})")),
                       "n_hidden must be in [1, n_features=5] (got 9)", std::invalid_argument);
  s->configure(Json::object());
  CHECK_THROWS_AS(s->step(-1), std::invalid_argument);
  CHECK_NOTHROW(s->step(0));
}
