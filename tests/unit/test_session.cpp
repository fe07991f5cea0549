// The toy experiment as the page sees it (session layer): configure, step, named buffers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/check.hpp"
#include "session/session.hpp"

namespace test_session {

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

// A worker pool's shares (web/lib/shards.js): sessions that train instances [first, end) of one
// config give, row for row, bitwise the buffers and losses of the whole run (every instance
// draws its batch from the one data stream whichever instances train), dense and sparse alike.
TEST_CASE("toy trained_instances: shares of the instances are bit-identical to the whole run") {
  const std::string base = R"({"n_features": 8, "n_hidden": 3, "n_instances": 5,
      "feature_probability": [1, 0.3, 0.1, 0.03, 0.01], "batch_size": 64, "steps": 40)";
  auto whole = make_session("toy");
  whole->configure(parse_json(base + "}"));
  const Json all = whole->step(40);
  const auto& want = whole->buffers();
  // Shares as the worker pool gives them (web/lib/shards.js): adjacent or not, ascending.
  for (const std::vector<int>& share : std::vector<std::vector<int>>{{0, 1}, {2, 3, 4}, {4}, {0, 3, 4}, {1, 2}}) {
    const std::string list = Json(share).dump();
    CAPTURE(list);
    auto part = make_session("toy");
    const Json config = part->configure(parse_json(base + R"(, "trained_instances": )" + list + "}"));
    CHECK(config["trained_instances"] == Json(share));
    const Json answer = part->step(40);
    const std::size_t K = share.size();
    REQUIRE(answer["loss"].size() == K);
    for (std::size_t i = 0; i < K; ++i) CHECK(answer["loss"][i].get<double>() == all["loss"][share[i]].get<double>());
    for (const auto& entry : part->buffers()) {
      const std::string& name = entry.first;
      const Buffer& buf = entry.second;
      CAPTURE(name);
      const Buffer& w = want.at(name);
      if (name == "importance") { CHECK(buf.data == w.data); continue; }
      REQUIRE(buf.shape[0] == static_cast<int>(K));
      const std::size_t row = buf.data.size() / K;
      for (std::size_t i = 0; i < K; ++i)
        CHECK(std::equal(buf.data.begin() + i * row, buf.data.begin() + (i + 1) * row, w.data.begin() + share[i] * row));
    }
  }
  // All of them is the whole run (and the answer leaves the key out).
  auto every = make_session("toy");
  CHECK_FALSE(every->configure(parse_json(base + R"(, "trained_instances": [0, 1, 2, 3, 4]})")).contains("trained_instances"));
  auto bad = make_session("toy");
  CHECK_THROWS_WITH_AS(bad->configure(parse_json(base + R"(, "trained_instances": [3, 3]})")),
                       doctest::Contains("trained_instances: trained instances [3, 3] must be ascending, without repeats, each in [0, 5)"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(bad->configure(parse_json(base + R"(, "trained_instances": [2, 1]})")),
                       doctest::Contains("must be ascending"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(bad->configure(parse_json(base + R"(, "trained_instances": []})")),
                       doctest::Contains("hold one at least"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(bad->configure(parse_json(base + R"(, "trained_instances": [0, 5]})")),
                       doctest::Contains("trained_instances: instance 5 is not in [0, 5)"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(bad->configure(parse_json(base + R"(, "trained_instances": [0, 1e30]})")),
                       doctest::Contains("trained_instances must be a list of instance indices"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(bad->configure(parse_json(base + R"(, "trained_instances": 2})")),
                       doctest::Contains("trained_instances must be a list of instance indices"), std::invalid_argument);
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

// The step contract every kind shares (docs/wasm-api.md), which the page's worker relies on to
// run, clip and stop any kind without knowing it: {step, total_steps, done, loss, loss_total};
// a run stops exactly at total_steps however it is chunked (issue 14 #3: the SAE page's runs
// ended at 6018, 6036 or 6046 for a 6000-step link, by the timing of the last chunk).
TEST_CASE("every kind answers step(k) with {step, total_steps, done, loss} and stops exactly at total_steps") {
  const std::map<std::string, Json> configs = {
      {"toy", parse_json(R"({"n_features": 4, "n_hidden": 2, "n_instances": 2, "batch_size": 32, "steps": 25})")},
      {"steer", parse_json(R"({"toy": {"n_features": 4, "n_hidden": 2, "batch_size": 32, "steps": 25},
          "sae": {"kind": "relu", "steps": 20}})")},
      {"suppression", parse_json(R"({"n_features": 2, "batch_size": 32, "steps": 20, "scale_steps": 5,
          "sweep": [0.1]})")},
      {"sae", parse_json(R"({"input_dim": 8, "true_features": 16, "active": 2, "n_latents": 16,
          "archs": ["relu", "topk"], "k": 2, "aux_k": 4, "batch_size": 32, "steps": 25,
          "warmup_steps": 2, "l1_warmup_steps": 2, "eval_batch": 32})")},
      {"grok", parse_json(R"({"p": 7, "width": 8, "epochs": 25})")},
      {"lm", parse_json(R"({"n_layers": 1, "d_model": 16, "n_heads": 2, "context": 8, "batch_size": 8, "steps": 25,
        "warmup_steps": 2, "train_tokens": 2000, "heldout_tokens": 1000, "eval_every": 10, "eval_batch": 4,
        "sample_tokens": 4})")},
  };
  for (const std::string& kind : session_kinds()) {
    CAPTURE(kind);
    REQUIRE(configs.count(kind) == 1);  // a new kind adds its small config here
    auto s = make_session(kind);
    CHECK_THROWS_AS(s->progress(), std::invalid_argument);  // not configured
    s->configure(configs.at(kind));
    RunProgress p = s->progress();
    CHECK(p.step == 0);
    CHECK(p.total_steps == 25);
    CHECK_FALSE(p.done);
    // chunks of 7: 7, 14, 21, then the last one clipped to 4
    for (int64_t expected : {7, 14, 21, 25, 25}) {
      const Json a = s->step(7);
      CHECK(a["step"] == expected);
      CHECK(a["total_steps"] == 25);
      CHECK(a["done"] == (expected == 25));
      REQUIRE(a["loss"].is_array());
      CHECK(a["loss"].size() >= 1);
      double sum = 0;
      for (const Json& l : a["loss"]) sum += l.get<double>();
      CHECK(a["loss_total"].get<double>() == doctest::Approx(sum));
      p = s->progress();
      CHECK(p.step == expected);
      CHECK(p.done == (expected == 25));
    }
    CHECK(s->step(1000)["step"] == 25);  // one large step is clipped too
    s->reset();
    CHECK(s->progress().step == 0);
    CHECK(s->step(1000)["step"] == 25);
  }
}

TEST_CASE("steer: a new SAE on a trained model is not done until step(0) has trained it") {
  auto s = make_session("steer");
  s->configure(parse_json(R"({"toy": {"n_features": 4, "n_hidden": 2, "batch_size": 32, "steps": 10},
      "sae": {"kind": "relu", "steps": 20}})"));
  CHECK(s->step(100)["done"] == true);
  Json config = s->configure(parse_json(R"({"toy": {"n_features": 4, "n_hidden": 2, "batch_size": 32,
      "steps": 10}, "sae": {"kind": "topk", "steps": 20}})"));
  const RunProgress p = s->progress();
  CHECK(p.step == 10);  // the trained toy model is kept
  CHECK_FALSE(p.done);  // but its new SAE is not trained yet
  const Json a = s->step(0);
  CHECK(a["step"] == 10);
  CHECK(a["done"] == true);
  CHECK(a["ready"] == true);
}

}  // namespace test_session
