// The "sae" session as the page drives it: configure (archs × sweeps as runs), step, buffers and
// their shapes, a .npy file's bytes beside the config, and config errors naming the key.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "io/npy.hpp"
#include "session/sae_session.hpp"

using namespace superpose;

namespace {
Json small_config() {
  return Json{{"input_dim", 8}, {"true_features", 16}, {"active", 2}, {"n_latents", 24},
              {"batch_size", 64}, {"lr", 1e-2}, {"eval_batch", 128}};
}

std::string error_of(Session& s, const Json& j, const std::vector<uint8_t>* file = nullptr) {
  try {
    if (file) s.configure_with_file(j, *file);
    else s.configure(j);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("sae session: runs are archs × sweep values, trained side by side on the same batches") {
  auto session = make_session("sae");
  Json j = small_config();
  j["archs"] = {"relu", "topk", "jumprelu"};
  j["sweep_l1"] = {0.1, 0.3};
  j["sweep_k"] = {2, 4};
  const Json config = session->configure(j);
  REQUIRE(config["runs"].size() == 6);
  CHECK(config["runs"][0] == Json{{"arch", "relu"}, {"l1", 0.1}, {"k", 5}});
  CHECK(config["runs"][3]["arch"] == "topk");
  CHECK(config["runs"][3]["k"] == 4);
  CHECK(config["true_features_known"] == true);
  const Json summary = session->step(30);
  CHECK(summary["step"] == 30);
  CHECK(summary["loss"].size() == 6);
  CHECK(summary["l0"][2] == 2.0);  // topk, k = 2
  const auto& buffers = session->buffers();
  CHECK(buffers.at("metrics").shape == std::vector<int>{6, 8});
  CHECK(buffers.at("density_histogram").shape == std::vector<int>{6, 11});
  CHECK(buffers.at("match_cosine").shape == std::vector<int>{6, 16});
  CHECK(buffers.at("matched_decoder").shape == std::vector<int>{6, 16, 8});
  CHECK(buffers.at("true_features").shape == std::vector<int>{16, 8});
  CHECK(buffers.at("W_dec").shape == std::vector<int>{6, 8, 24});
  CHECK(buffers.at("latent_frequency").shape == std::vector<int>{6, 24});
  for (int r = 0; r < 6; ++r) {  // a latent of frequency 0 is one the metrics count as dead
    int silent = 0;
    for (int i = 0; i < 24; ++i) silent += buffers.at("latent_frequency").data[r * 24 + i] == 0.f;
    CHECK(silent / 24.0 == doctest::Approx(buffers.at("metrics").data[r * 8 + 3]));
  }
  const auto& m = buffers.at("metrics").data;
  for (int r = 0; r < 6; ++r) {
    CHECK(m[r * 8 + 0] > 0);                    // l0
    CHECK(m[r * 8 + 2] > 0);                    // fve
    CHECK(m[r * 8 + 6] > 0);                    // mmcs
    CHECK(std::fabs(m[r * 8 + 6]) <= 1.0001f);
  }
  CHECK(m[2 * 8 + 0] == 2.0f);  // held-out L0 of topk k=2
  // The matched decoder column of true feature 0 in run 0 has the reported cosine.
  const auto& T = buffers.at("true_features").data;
  const auto& D = buffers.at("matched_decoder").data;
  float dot = 0;
  for (int r = 0; r < 8; ++r) dot += T[r] * D[r];
  CHECK(dot == doctest::Approx(buffers.at("match_cosine").data[0]).epsilon(1e-4));
  // reset replays: the same step gives the same losses.
  session->reset();
  CHECK(session->step(30)["loss"] == summary["loss"]);
}

TEST_CASE("sae session: a .npy file (its bytes, beside the config) trains without ground truth") {
  std::vector<float> rows(200 * 6);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<float>((i * 37 % 101) / 101.0);
  Json j = small_config();
  j["data"] = "npy";
  const std::vector<uint8_t> file = encode_npy(rows.data(), {200, 6});
  auto session = make_session("sae");
  const Json config = session->configure_with_file(j, file);
  CHECK(config["input_dim"] == 6);
  CHECK(config["true_features_known"] == false);
  session->step(5);
  const auto& buffers = session->buffers();
  CHECK(buffers.count("match_cosine") == 0);
  CHECK(std::isnan(buffers.at("metrics").data[6]));  // mmcs unknown
  // A truncated file is refused with the reader's message; the session keeps working.
  std::vector<uint8_t> truncated = file;
  truncated.resize(truncated.size() - 8);
  SaeSession s;
  CHECK(error_of(s, j, &truncated).find("npy: file is truncated") == 0);
  // data npy needs the file, a file needs data npy, and only kind sae reads one
  CHECK(error_of(s, j) == "data npy needs the .npy file's bytes (configure with the file)");
  CHECK(error_of(s, small_config(), &file) == "a data file is only read with data npy");
  auto toy = make_session("toy");
  CHECK(error_of(*toy, Json::object(), &file) ==
        "this experiment kind reads no data file (supported: sae with data npy)");
  // the base64 key is gone: it is an unknown key now
  j["npy_base64"] = "AAAA";
  CHECK(error_of(s, j, &file).find("npy_base64") != std::string::npos);
}

TEST_CASE("sae session: bad configs name the key; a failed configure keeps the old experiment") {
  SaeSession s;
  CHECK_THROWS_WITH_AS(s.step(1), doctest::Contains("not configured"), std::invalid_argument);
  s.configure(small_config());
  s.step(2);
  Json j = small_config();
  j["archs"] = {"relu", "sigmoid"};
  CHECK(error_of(s, j) == "archs must be one of relu, gated, jumprelu, topk, batchtopk, matryoshka (got \"sigmoid\")");
  j = small_config();
  j["arch"] = "relu";
  CHECK(error_of(s, j).find("arch is not a key of the sae session") == 0);
  j = small_config();
  j["sweep_k"] = {2, 2.5};
  CHECK(error_of(s, j) == "sweep_k must hold integers (got 2.5)");
  j = small_config();
  j["sweep_l1"] = std::vector<double>(20, 0.1);
  CHECK(error_of(s, j).find("runs (limit 16)") != std::string::npos);
  j = small_config();
  j["eval_batch"] = 3;
  CHECK(error_of(s, j) == "eval_batch must be in [16, 16384] (got 3)");
  j = small_config();
  j["n_latents"] = -5;
  CHECK(error_of(s, j) == "n_latents must be in [1, 16384] (got -5)");
  CHECK(s.step(1)["step"] == 3);  // still the first experiment
}
