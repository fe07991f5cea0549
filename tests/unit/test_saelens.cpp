// SAELens layout (io/saelens.hpp): the independent fixture written by
// tests/fixtures/make_saelens_fixture.py loads with the right orientation; write → read is the
// identity; apply_b_dec_to_input = false folds; bad folders are refused naming the problem.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>

#include "io/saelens.hpp"
#include "io/safetensors.hpp"
#include "tolerance.hpp"

namespace test_saelens {

using namespace superpose;

namespace {
// The fixture folders live next to this file (native only: the wasm tests see no host files).
std::string fixture(const std::string& name) {
  std::string here = __FILE__;
  return here.substr(0, here.rfind('/')) + "/../fixtures/" + name;
}

SaeLensSae small(const std::string& arch) {
  SaeLensSae s;
  s.architecture = arch;
  s.d_in = 3;
  s.d_sae = 5;
  s.W_enc = Mat::Random(5, 3);
  s.W_dec = Mat::Random(3, 5);
  s.b_enc = Vec::Random(5);
  s.b_dec = Vec::Random(3);
  if (arch == "jumprelu") s.threshold = Vec::Random(5).cwiseAbs();
  if (arch == "topk") s.k = 2;
  return s;
}

std::string refusal(const std::string& cfg, const std::vector<uint8_t>& weights) {
  try {
    read_saelens(cfg, weights);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("SAELens: the independently written fixture loads, transposed into our orientation") {
  if (test::running_in_wasm()) {
    MESSAGE("skipped under wasm (no host files); the native run checks the fixture");
    return;
  }
  const SaeLensSae s = load_saelens_dir(fixture("saelens_jumprelu"));
  CHECK(s.architecture == "jumprelu");
  CHECK(s.d_in == 4);
  CHECK(s.d_sae == 6);
  REQUIRE(s.W_enc.rows() == 6);
  REQUIRE(s.W_dec.rows() == 4);
  // the script's formulas, SAELens orientation W_enc[i][j] (d_in, d_sae), W_dec[j][i] (d_sae, d_in)
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 6; ++j) {
      CHECK(s.W_enc(j, i) == doctest::Approx(0.1 * (i + 1) - 0.05 * j).epsilon(1e-6));
      const double sign = (j + i) % 2 == 0 ? 1 : -1;
      CHECK(s.W_dec(i, j) == doctest::Approx(0.25 * (j + 1) * sign / (i + 2)).epsilon(1e-6));
    }
  for (int j = 0; j < 6; ++j) {
    CHECK(s.b_enc[j] == doctest::Approx(-0.01 * j).epsilon(1e-6));
    CHECK(s.threshold[j] == doctest::Approx(0.02 * (j + 1)).epsilon(1e-6));
  }
  for (int i = 0; i < 4; ++i) CHECK(s.b_dec[i] == doctest::Approx(0.5 - 0.125 * i).epsilon(1e-6));
  CHECK(s.cfg["meta"]["model_name"] == "superpose-fixture");

  const SaeLensSae standard = load_saelens_dir(fixture("saelens_standard"));
  CHECK(standard.architecture == "standard");
  CHECK(standard.threshold.size() == 0);
  CHECK(standard.W_enc == s.W_enc);

  CHECK_THROWS_WITH_AS(load_saelens_dir(fixture("nope")), doctest::Contains("cannot open"),
                       std::invalid_argument);
}

TEST_CASE("SAELens: write then read gives identical tensors; the bytes are SAELens-shaped") {
  for (const char* arch : {"standard", "jumprelu", "topk"}) {
    CAPTURE(arch);
    const SaeLensSae in = small(arch);
    const auto [cfg, weights] = write_saelens(in);
    const Json c = parse_json(cfg);
    CHECK(c["d_in"] == 3);
    CHECK(c["d_sae"] == 5);
    CHECK(c["architecture"] == arch);
    CHECK(c["dtype"] == "float32");
    CHECK(c["apply_b_dec_to_input"] == true);
    CHECK(c["normalize_activations"] == "none");
    CHECK(c.contains("k") == (std::string(arch) == "topk"));
    const TensorFile f = read_safetensors(weights);
    CHECK(f.tensors.at("W_enc").shape == std::vector<int64_t>{3, 5});
    CHECK(f.tensors.at("W_dec").shape == std::vector<int64_t>{5, 3});
    // SAELens W_enc[i][j] (row-major, d_in × d_sae) is our W_enc(j, i)
    CHECK(f.tensors.at("W_enc").data[1 * 5 + 4] == in.W_enc(4, 1));
    CHECK(f.tensors.at("W_dec").data[4 * 3 + 1] == in.W_dec(1, 4));
    CHECK(f.tensors.count("threshold") == (std::string(arch) == "jumprelu" ? 1u : 0u));

    const SaeLensSae out = read_saelens(cfg, weights);
    CHECK(out.architecture == in.architecture);
    CHECK(out.k == in.k);
    CHECK(out.W_enc == in.W_enc);
    CHECK(out.W_dec == in.W_dec);
    CHECK(out.b_enc == in.b_enc);
    CHECK(out.b_dec == in.b_dec);
    CHECK(out.threshold == in.threshold);
    CHECK(write_saelens(out).second == weights);
  }
}

TEST_CASE("SAELens: apply_b_dec_to_input = false folds into b_enc (same pre-activations)") {
  SaeLensSae in = small("standard");
  auto [cfg, weights] = write_saelens(in);
  Json c = parse_json(cfg);
  c["apply_b_dec_to_input"] = false;
  const SaeLensSae out = read_saelens(c.dump(), weights);
  const Vec x = Vec::Random(3);
  const Vec z_file = in.W_enc * x + in.b_enc;               // what SAELens computes
  const Vec z_ours = out.W_enc * (x - out.b_dec) + out.b_enc;  // what we compute
  for (int i = 0; i < 5; ++i) CHECK(test::close(z_ours[i], z_file[i], 1e-5, 1e-6));
  CHECK(out.cfg["apply_b_dec_to_input"] == true);
}

TEST_CASE("SAELens: bad folders are refused naming the problem") {
  const SaeLensSae in = small("jumprelu");
  const auto [cfg, weights] = write_saelens(in);
  // (C++17 lambdas cannot capture a structured binding: clang refuses it, so capture a copy.)
  auto with = [cfg = std::string(cfg)](const char* key, const Json& v) {
    Json c = parse_json(cfg);
    if (v.is_null()) c.erase(key);
    else c[key] = v;
    return c.dump();
  };
  CHECK(refusal(cfg, weights) == "");
  CHECK(refusal("{", weights).rfind("SAELens cfg.json: not valid JSON", 0) == 0);
  CHECK(refusal(with("d_in", nullptr), weights) == "SAELens cfg.json: missing \"d_in\"");
  CHECK(refusal(with("d_sae", -3), weights) == "SAELens cfg.json: d_sae must be an integer in [1, 16777216] (got -3)");
  CHECK(refusal(with("architecture", "gated"), weights) ==
        "SAELens cfg.json: architecture \"gated\" is not supported (supported: standard, jumprelu, topk)");
  CHECK(refusal(with("normalize_activations", "constant_norm_rescale"), weights)
            .rfind("SAELens cfg.json: normalize_activations \"constant_norm_rescale\" is not supported", 0) == 0);
  CHECK(refusal(with("architecture", "topk"), weights) == "SAELens cfg.json: missing \"k\"");
  // d_in that disagrees with the tensors: W_enc is [3, 5], the cfg says d_in = 4
  CHECK(refusal(with("d_in", 4), weights) ==
        "SAELens weights: tensor \"W_enc\" has shape [3, 5], expected [4, 5]");
  // standard architecture with a threshold tensor left over
  CHECK(refusal(with("architecture", "standard"), weights) ==
        "SAELens weights: unexpected tensor \"threshold\" for architecture standard");
  // jumprelu without threshold
  TensorFile f = read_safetensors(weights);
  f.tensors.erase("threshold");
  CHECK(refusal(cfg, write_safetensors(f)) ==
        "SAELens weights: missing tensor \"threshold\" (the file has: W_dec, W_enc, b_dec, b_enc)");
  // a training checkpoint's log_threshold is accepted
  f.tensors["log_threshold"] = Tensor({5}, std::vector<float>(5, std::log(0.5f)));
  CHECK(read_saelens(cfg, write_safetensors(f)).threshold[2] == doctest::Approx(0.5));
  // SAELens's W_enc stored in our orientation by mistake
  f = read_safetensors(weights);
  f.tensors["W_enc"].shape = {5, 3};
  CHECK(refusal(cfg, write_safetensors(f)) ==
        "SAELens weights: tensor \"W_enc\" has shape [5, 3], expected [3, 5]");
  f = read_safetensors(weights);
  f.tensors["b_dec"].data[1] = INFINITY;
  CHECK(refusal(cfg, write_safetensors(f)) ==
        "SAELens weights: tensor \"b_dec\" has a non-finite value at index 1");
  std::vector<uint8_t> truncated(weights.begin(), weights.begin() + 20);
  CHECK(refusal(cfg, truncated).rfind("SAELens weights: safetensors: header size", 0) == 0);
}

}  // namespace test_saelens
