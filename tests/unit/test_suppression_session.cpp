// The suppression experiment as the page sees it (kind "suppression"; docs/wasm-api.md).
#include <doctest/doctest.h>

#include <cmath>

#include "core/check.hpp"
#include "session/session.hpp"
#include "session/suppression_session.hpp"

using namespace superpose;

TEST_CASE("a suppression session trains none/scale/gated side by side with the documented buffers") {
  auto s = make_session("suppression");
  const Json config = s->configure(parse_json(
      R"({"l1": 0.6, "feature_probability": 0.4, "steps": 1500, "scale_steps": 500,
          "batch_size": 256, "sweep": [0.2, 1.0, 2.4]})"));
  CHECK(config["l1"] == 0.6);
  CHECK(config["sweep"].size() == 3);
  CHECK_FALSE(config.contains("fix"));
  Json answer = s->step(1000);
  CHECK(answer["step"] == 1000);
  CHECK(answer["done"] == false);
  CHECK(answer["phase"] == Json({"l1", "l1", "gated"}));
  answer = s->step(5000);  // runs stop at their own ends
  CHECK(answer["step"] == 2000);
  CHECK(answer["done"] == true);
  CHECK(answer["phase"] == Json({"done", "done", "done"}));
  const auto& b = s->buffers();
  auto shape = [&](const char* name) { return b.at(name).shape; };
  CHECK(shape("analytic_curve") == std::vector<int>{101, 2});
  CHECK(shape("analytic_activation") == std::vector<int>{1});
  CHECK(shape("trained_activation") == std::vector<int>{3});
  CHECK(shape("effective_activation") == std::vector<int>{3});
  CHECK(shape("feature_activation") == std::vector<int>{3, 1});
  CHECK(shape("feature_trained_activation") == std::vector<int>{3, 1});
  CHECK(shape("transfer_curve") == std::vector<int>{3, 51, 2});
  CHECK(shape("relative_reconstruction_bias") == std::vector<int>{3});
  CHECK(shape("loss") == std::vector<int>{3});
  CHECK(shape("step") == std::vector<int>{3});
  CHECK(shape("total_steps") == std::vector<int>{3});
  CHECK(shape("sweep") == std::vector<int>{3, 3});
  CHECK(shape("scale") == std::vector<int>{1});
  for (const auto& [name, buf] : b) {
    std::size_t n = 1;
    for (int d : buf.shape) n *= d;
    CHECK(buf.data.size() == n);
  }
  CHECK(b.at("analytic_activation").data[0] == doctest::Approx(0.7));
  const auto& trained = b.at("trained_activation").data;
  const auto& effective = b.at("effective_activation").data;
  CHECK(std::fabs(trained[0] - 0.7) < 0.01);  // none
  CHECK(std::fabs(trained[1] - 0.7) < 0.01);  // scale: the L1 encoder underneath
  CHECK(std::fabs(effective[0] - 0.7) < 0.01);
  CHECK(std::fabs(effective[1] - 1) < 0.05);
  CHECK(std::fabs(effective[2] - 1) < 0.05);
  CHECK(b.at("scale").data[0] == doctest::Approx(1 / 0.7).epsilon(0.05));
  // the sweep's points land on the analytic curve a(c)
  const auto& sweep = b.at("sweep").data;
  for (int i = 0; i < 3; ++i) {
    INFO("sweep c " << sweep[3 * i] << ": trained " << sweep[3 * i + 1] << ", analytic " << sweep[3 * i + 2]);
    CHECK(std::fabs(sweep[3 * i + 1] - sweep[3 * i + 2]) < 0.01);
  }
  CHECK(sweep[3 * 2 + 2] == 0.f);  // c = 2.4 ≥ 2
  // the curve: a(0) = 1, reaches 0 at c = 2, its x range covers the sweep
  const auto& curve = b.at("analytic_curve").data;
  CHECK(curve[0] == 0.f);
  CHECK(curve[1] == 1.f);
  CHECK(curve[2 * 100] == doctest::Approx(2.5));
  CHECK(curve[2 * 100 + 1] == 0.f);
  // transfer curves: x from 0 to 1; the gated one ends at ~1, the plain one at ~a
  const auto& t = b.at("transfer_curve").data;
  CHECK(t[2 * 50] == 1.f);
  CHECK(std::fabs(t[2 * 50 + 1] - 0.7) < 0.01);
  CHECK(std::fabs(t[(2 * 51 + 50) * 2 + 1] - 1) < 0.05);
  // reset: step 0, same config
  CHECK(s->reset()["l1"] == 0.6);
  CHECK(s->step(0)["step"] == 0);
}

TEST_CASE("suppression session errors name the key") {
  auto s = make_session("suppression");
  CHECK_THROWS_WITH_AS(s->step(1), doctest::Contains("not configured"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(s->configure(parse_json(R"({"fix": "gated"})")),
                       doctest::Contains("fix is not a key of the suppression session"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(s->configure(parse_json(R"({"sweep": [0.5, -1]})")),
                       "sweep must be in [0, 10] (got -1)", std::invalid_argument);
  CHECK_THROWS_WITH_AS(s->configure(parse_json(R"({"sweep": "all"})")),
                       doctest::Contains("sweep must be a number or an array"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(s->configure(parse_json(R"({"l1": -1})")), "l1 must be in [0, 10] (got -1)",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(s->configure(parse_json("[1]")), doctest::Contains("object"),
                       std::invalid_argument);
  // a bad config keeps the running experiment
  s->configure(parse_json(R"({"l1": 0.3, "steps": 50})"));
  s->step(10);
  CHECK_THROWS(s->configure(parse_json(R"({"feature_probability": 0})")));
  CHECK(s->step(1)["step"] == 11);
  CHECK_THROWS_AS(s->step(-1), std::invalid_argument);
}

TEST_CASE("several features: the session gives both curves, the losses that decide, and the fixes' outcomes") {
  // Issue 14: with n = 3 co-active features, 1 − c·n/2 (one latent per feature) is not the
  // optimum; the page draws it dashed beside the trained points and shows the exact losses.
  auto s = make_session("suppression");
  s->configure(parse_json(R"({"l1": 0.4, "n_features": 3, "steps": 2000, "scale_steps": 400,
                              "batch_size": 256})"));
  s->step(2400);
  const auto& b = s->buffers();
  CHECK(std::isnan(b.at("analytic_activation").data[0]));
  CHECK(b.at("monosemantic_activation").data[0] == doctest::Approx(0.4));
  CHECK(b.at("monosemantic_curve").shape == std::vector<int>{101, 2});
  CHECK(b.at("monosemantic_curve").data[1] == 1.f);
  CHECK(std::isnan(b.at("analytic_curve").data[1]));
  const auto& loss = b.at("expected_loss").data;  // trained, one latent per feature, bound
  INFO("expected loss: trained " << loss[0] << ", monosemantic " << loss[1] << ", bound " << loss[2]);
  CHECK(loss[1] == doctest::Approx(0.42));
  CHECK(loss[0] < loss[1] - 0.04);
  CHECK(loss[0] >= loss[2]);
  CHECK(b.at("decoder_mixing").data[0] > 0.3f);
  // the scale fix cannot undo mixed latents; the gated decoder stays on the feature axes
  CHECK(b.at("fix_outcome").data == std::vector<float>{0.f, 3.f, 1.f});
  CHECK(b.at("dead").data == std::vector<float>{0.f, 0.f, 0.f});
}

TEST_CASE("a dead encoder: the session marks it, and γ is NaN") {
  auto s = make_session("suppression");
  s->configure(parse_json(R"({"l1": 2.5, "steps": 300, "scale_steps": 100, "batch_size": 256})"));
  s->step(1000);
  const auto& b = s->buffers();
  CHECK(b.at("dead").data[0] == 1.f);
  CHECK(std::isnan(b.at("relative_reconstruction_bias").data[0]));
  CHECK(b.at("fix_outcome").data[1] == 2.f);  // the scale fix: nothing fires, nothing to rescale
}
