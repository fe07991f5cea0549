// The "sae" session as the page drives it: configure (archs × sweeps as runs), step, buffers and
// their shapes, a .npy file's bytes beside the config, and config errors naming the key.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "io/npy.hpp"
#include "session/sae_session.hpp"

namespace test_sae_session {

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
  CHECK(error_of(s, j) == "eval_batch must be in [16, 65536] (got 3)");
  j = small_config();
  j["n_latents"] = -5;
  CHECK(error_of(s, j) == "n_latents must be in [1, 16384] (got -5)");
  CHECK(s.step(1)["step"] == 3);  // still the first experiment
}

TEST_CASE("sae session: hierarchical data, its ground-truth metrics and the hierarchy view") {
  auto session = make_session("sae");
  Json j{{"data", "hierarchical"}, {"input_dim", 16}, {"true_features", 64}, {"hierarchy", "2,3,2"},
         {"n_latents", 64}, {"batch_size", 128}, {"lr", 1e-2}, {"eval_batch", 512}, {"k", 4},
         {"archs", {"relu", "topk"}}, {"view_parent", 1}};
  const Json config = session->configure(j);
  CHECK(config["view_parent"] == 1);
  session->step(40);
  auto* sae = dynamic_cast<SaeSession*>(session.get());
  REQUIRE(sae);
  const auto& b = session->buffers();
  REQUIRE(b.at("truth_metrics").shape == std::vector<int>{2, 7});
  // The buffer's rows are the metrics' truth, column by column.
  for (int r = 0; r < 2; ++r) {
    const GroundTruthMetrics& t = sae->metrics(r).truth;
    const double want[7] = {t.mcc, t.uniqueness, t.precision, t.recall, t.f1, t.absorption, t.shrinkage};
    for (int c = 0; c < 7; ++c) {
      INFO(SaeSession::kTruthMetricNames[c]);
      CHECK(std::isfinite(want[c]));
      CHECK(b.at("truth_metrics").data[r * 7 + c] == doctest::Approx(want[c]));
    }
  }
  // Parents: 0 and 1 (roots) and their children 2..7; the view is 1's family: 1, 5, 6, 7.
  CHECK(b.at("parents").shape == std::vector<int>{8});
  CHECK(b.at("parent_absorption").shape == std::vector<int>{2, 8});
  CHECK(b.at("hierarchy_features").data == std::vector<float>{1, 5, 6, 7});
  const std::vector<int> fs = b.at("hierarchy_firing").shape;
  REQUIRE(fs.size() == 3);
  CHECK(fs[0] == 2);
  CHECK(fs[1] == SaeSession::kMaxHierarchySamples);  // feature 1 is frequent: 48 samples shown
  CHECK(fs[2] == 8);
  const int S = fs[1];
  for (int r = 0; r < 2; ++r)
    for (int s = 0; s < S; ++s) {
      const float* row = b.at("hierarchy_firing").data.data() + (r * S + s) * 8;
      CHECK(row[0] > 0.f);                                      // the parent is present
      CHECK((row[1] > 0.f) + (row[2] > 0.f) + (row[3] > 0.f) <= 1);  // siblings exclusive
      for (int c = 4; c < 8; ++c) CHECK(row[c] >= 0.f);
    }
  for (int c = 0; c < 4; ++c)
    CHECK(b.at("hierarchy_latents").data[c] ==
          static_cast<float>(sae->metrics(0).truth.latent_of_feature[static_cast<int>(b.at("hierarchy_features").data[c])]));
  // A view key keeps the runs (the step count and the weights); another key retrains.
  j["view_parent"] = 0;
  session->configure(j);
  CHECK(session->progress().step == 40);
  CHECK(session->buffers().at("hierarchy_features").data == std::vector<float>{0, 2, 3, 4});
  j["view_parent"] = 64;
  CHECK(error_of(*session, j).find("view_parent") != std::string::npos);
  j["view_parent"] = 0;
  j["zipf_exponent"] = 1.0;
  session->configure(j);
  CHECK(session->progress().step == 0);
  // Synthetic data: truth metrics but no hierarchy buffers.
  session->configure(small_config());
  session->step(5);
  CHECK(session->buffers().count("truth_metrics") == 1);
  CHECK(session->buffers().count("hierarchy_firing") == 0);
  CHECK(std::isnan(session->buffers().at("truth_metrics").data[5]));  // absorption
}

}  // namespace test_sae_session
