// SAELens files through the sessions (issue 7, the page half): the "sae" session exports a run
// as cfg.json + sae_weights.safetensors and imports one (measured on its data, not trained); the
// "steer" session imports one as the SAE it steers with. A bad file (wrong d_in, unknown
// architecture, missing key, truncated weights) is refused naming the problem, and the running
// experiment is left exactly as it was.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "io/saelens.hpp"
#include "io/safetensors.hpp"
#include "session/session.hpp"

namespace test_saelens_session {

using namespace superpose;

namespace {
Json small_sae_config(const std::vector<std::string>& archs) {
  return Json{{"archs", archs}, {"input_dim", 8}, {"true_features", 16}, {"active", 2},
              {"n_latents", 24}, {"k", 3}, {"batch_size", 64}, {"lr", 1e-2}, {"steps", 60},
              {"warmup_steps", 5}, {"l1_warmup_steps", 5}, {"eval_batch", 128}, {"seed", 3}};
}

std::vector<float> buf(Session& s, const char* name) { return s.buffers().at(name).data; }

std::string import_error(Session& s, const std::string& cfg, const std::vector<uint8_t>& weights) {
  try {
    s.import_saelens(cfg, weights);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

// Every tensor of two SAELens weight files, compared exactly.
void check_same_tensors(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  const TensorFile fa = read_safetensors(a), fb = read_safetensors(b);
  REQUIRE(fa.tensors.size() == fb.tensors.size());
  for (const auto& entry : fa.tensors) {
    const std::string& name = entry.first;  // (a structured binding cannot be captured in C++17)
    const auto& t = entry.second;
    CAPTURE(name);
    REQUIRE(fb.tensors.count(name) == 1);
    CHECK(fb.tensors.at(name).shape == t.shape);
    CHECK(fb.tensors.at(name).data == t.data);
  }
}
}  // namespace

TEST_CASE("saelens sae session: export then import gives identical tensors and metrics") {
  auto trained = make_session("sae");
  trained->configure(small_sae_config({"relu", "jumprelu", "topk", "batchtopk"}));
  trained->step(60);
  const std::vector<float> metrics = buf(*trained, "metrics");  // (4 runs, 8)
  const char* const expected_arch[] = {"standard", "jumprelu", "topk", "jumprelu"};
  for (int run = 0; run < 4; ++run) {
    CAPTURE(run);
    const Session::SaeLensFiles out = trained->export_saelens(run);
    const Json cfg = parse_json(out.cfg_json);
    CHECK(cfg["architecture"] == expected_arch[run]);
    CHECK(cfg["d_in"] == 8);
    CHECK(cfg["d_sae"] == 24);
    const TensorFile f = read_safetensors(out.weights);
    CHECK(f.tensors.at("W_enc").shape == std::vector<int64_t>{8, 24});
    CHECK(f.tensors.at("W_dec").shape == std::vector<int64_t>{24, 8});
    CHECK(f.tensors.at("b_enc").shape == std::vector<int64_t>{24});
    CHECK(f.tensors.at("b_dec").shape == std::vector<int64_t>{8});
    CHECK(f.tensors.count("threshold") == (std::string(expected_arch[run]) == "jumprelu" ? 1u : 0u));

    // a fresh session on the same data measures the file's SAE
    auto loaded = make_session("sae");
    loaded->configure(small_sae_config({"relu"}));
    const Json config = loaded->import_saelens(out.cfg_json, out.weights);
    CHECK(config["loaded"]["architecture"] == expected_arch[run]);
    CHECK(config["loaded"]["d_sae"] == 24);
    REQUIRE(config["runs"].size() == 1);
    CHECK(config["n_latents"] == 24);
    const std::vector<float> m = buf(*loaded, "metrics");
    REQUIRE(m.size() == 8);
    for (int c = 0; c < 8; ++c) {
      CAPTURE(c);
      const float want = metrics[run * 8 + c];
      if (std::isnan(want)) CHECK(std::isnan(m[c]));
      else CHECK(m[c] == want);
    }
    CHECK(m[0] > 0);  // l0: the SAE fires

    // export again: the same tensors (the jumprelu threshold goes through log θ and back)
    const Session::SaeLensFiles again = loaded->export_saelens(0);
    if (std::string(expected_arch[run]) == "jumprelu") {
      const SaeLensSae x = read_saelens(out.cfg_json, out.weights), y = read_saelens(again.cfg_json, again.weights);
      CHECK(x.W_enc == y.W_enc);
      CHECK(x.W_dec == y.W_dec);
      CHECK(x.b_enc == y.b_enc);
      CHECK(x.b_dec == y.b_dec);
      for (int i = 0; i < 24; ++i) CHECK(y.threshold[i] == doctest::Approx(x.threshold[i]).epsilon(1e-6));
    } else {
      check_same_tensors(out.weights, again.weights);
    }

    // measured, not trained: step() changes nothing and says done; reset keeps the file's SAE
    const Json s = loaded->step(20);
    CHECK(s["done"] == true);
    CHECK(s["step"] == 0);
    CHECK(s["total_steps"] == 0);  // complete where it stands
    CHECK(buf(*loaded, "metrics") == m);
    loaded->reset();
    CHECK(buf(*loaded, "metrics") == m);
    // a configure trains again
    const Json fresh = loaded->configure(small_sae_config({"relu"}));
    CHECK_FALSE(fresh.contains("loaded"));
    CHECK(loaded->step(1)["done"] == false);
  }
}

TEST_CASE("saelens sae session: bad files are refused by name and change nothing") {
  auto source = make_session("sae");
  source->configure(small_sae_config({"relu", "gated"}));
  source->step(20);
  const Session::SaeLensFiles good = source->export_saelens(0);
  CHECK_THROWS_WITH_AS(source->export_saelens(1), doctest::Contains("the gated architecture is not supported"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(source->export_saelens(2), doctest::Contains("run must be in [0, runs-1=1] (got 2)"),
                       std::invalid_argument);

  auto s = make_session("sae");
  CHECK_THROWS_WITH_AS(s->import_saelens(good.cfg_json, good.weights), doctest::Contains("not configured"),
                       std::invalid_argument);
  const Json config = s->configure(small_sae_config({"topk"}));
  s->step(10);
  const std::vector<float> metrics = buf(*s, "metrics");

  Json cfg = parse_json(good.cfg_json);
  Json wrong_d = cfg;
  wrong_d["d_in"] = 6;  // the weights then disagree too: the shapes are checked against d_in
  CHECK(import_error(*s, wrong_d.dump(), good.weights) ==
        "SAELens weights: tensor \"W_enc\" has shape [8, 24], expected [6, 24]");
  Json unknown = cfg;
  unknown["architecture"] = "gated";
  CHECK(import_error(*s, unknown.dump(), good.weights) ==
        "SAELens cfg.json: architecture \"gated\" is not supported (supported: standard, jumprelu, topk)");
  Json missing = cfg;
  missing.erase("d_sae");
  CHECK(import_error(*s, missing.dump(), good.weights) == "SAELens cfg.json: missing \"d_sae\"");
  CHECK(import_error(*s, "{not json", good.weights).rfind("SAELens cfg.json: not valid JSON", 0) == 0);
  const std::vector<uint8_t> truncated(good.weights.begin(), good.weights.begin() + good.weights.size() / 2);
  CHECK(import_error(*s, good.cfg_json, truncated).rfind("SAELens weights: safetensors: ", 0) == 0);
  CHECK(import_error(*s, good.cfg_json, {}).rfind("SAELens weights: safetensors: ", 0) == 0);

  // a well-formed file for data of another dimension
  auto other = make_session("sae");
  Json six = small_sae_config({"relu"});
  six["input_dim"] = 6;
  other->configure(six);
  other->step(5);
  const Session::SaeLensFiles d6 = other->export_saelens(0);
  CHECK(import_error(*s, d6.cfg_json, d6.weights) == "SAELens: the SAE reads d_in=6 dimensions but the data has 8");

  // nothing changed: the same metrics, training goes on from step 10, the same config
  CHECK(buf(*s, "metrics") == metrics);
  CHECK(s->step(10)["step"] == 20);
  CHECK(s->reset() == config);
}

TEST_CASE("saelens steer session: an imported SAE steers; d_in must equal n_hidden") {
  auto s = make_session("steer");
  s->configure(parse_json(R"({"direction": "latent:2", "strength": 1.5, "sae": {"kind": "perfect"}})"));
  CHECK_THROWS_WITH_AS(s->configure(parse_json(R"({"sae": {"kind": "saelens"}})")),
                       doctest::Contains("sae.kind saelens needs a SAELens SAE: import one first"),
                       std::invalid_argument);
  s->step(3000);
  REQUIRE(buf(*s, "ready")[0] == 1.f);

  // A standard SAE built by hand from the trained model: decoder and encoder = the normalised
  // feature columns W_i (n = 5 latents in m = 2 dimensions).
  const std::vector<float> W = buf(*s, "W");  // (m=2, n=5)
  SaeLensSae file;
  file.architecture = "standard";
  file.d_in = 2;
  file.d_sae = 5;
  file.W_dec = Mat::Zero(2, 5);
  for (int i = 0; i < 5; ++i) {
    Vec col(2);
    col << W[i], W[5 + i];
    file.W_dec.col(i) = col / col.norm();
  }
  file.W_enc = file.W_dec.transpose();
  file.b_enc = Vec::Zero(5);
  file.b_dec = Vec::Zero(2);
  const auto [cfg, weights] = write_saelens(file);

  const Json config = s->import_saelens(cfg, weights);
  CHECK(config["sae"]["kind"] == "saelens");
  CHECK(config["sae"]["architecture"] == "standard");
  CHECK(config["sae"]["n_latents"] == 5);
  CHECK(config["direction"] == "latent:2");
  CHECK(buf(*s, "ready")[0] == 1.f);  // the model is trained: ready at once, no step
  CHECK(s->buffers().at("W_dec").shape == std::vector<int>{2, 5});
  const std::vector<float> matched = buf(*s, "matched_feature");
  for (int i = 0; i < 5; ++i) CHECK(matched[i] == static_cast<float>(i));
  auto before = buf(*s, "before"), after = buf(*s, "after");
  CHECK(after[2] > before[2] + 0.5f);

  // the reported config keeps the file's SAE (the slider moves without retraining)
  Json moved = config;
  moved["strength"] = 0;
  s->configure(moved);
  CHECK(buf(*s, "ready")[0] == 1.f);
  CHECK(buf(*s, "before") == buf(*s, "after"));
  s->configure(config);
  CHECK(buf(*s, "after") == after);

  // refused, and nothing changes: a file for another width, a truncated one
  file.d_in = 3;
  const Mat dec2 = file.W_dec;
  file.W_dec = Mat::Zero(3, 5);
  file.W_dec.topRows(2) = dec2;
  file.W_enc = file.W_dec.transpose();
  file.b_dec = Vec::Zero(3);
  const auto [cfg3, weights3] = write_saelens(file);
  CHECK(import_error(*s, cfg3, weights3) == "SAELens: the SAE reads d_in=3 dimensions but the toy model has n_hidden=2");
  const std::vector<uint8_t> truncated(weights.begin(), weights.begin() + 40);
  CHECK(import_error(*s, cfg, truncated).rfind("SAELens weights: safetensors: ", 0) == 0);
  CHECK(buf(*s, "after") == after);
  CHECK(s->configure(config)["sae"] == config["sae"]);

  // another toy width cannot keep the file's SAE; another SAE kind trains one again
  CHECK_THROWS_WITH_AS(s->configure(parse_json(R"({"toy": {"n_hidden": 3}, "sae": {"kind": "saelens"}})")),
                       doctest::Contains("reads d_in=2 dimensions but the toy model has n_hidden=3"),
                       std::invalid_argument);
  CHECK(s->configure(parse_json(R"({"sae": {"kind": "perfect"}})"))["sae"] == Json{{"kind", "perfect"}});

  // kinds without SAEs refuse by name
  auto toy = make_session("toy");
  toy->configure(Json::object());
  CHECK_THROWS_WITH_AS(toy->import_saelens(cfg, weights), doctest::Contains("does not import a SAELens SAE"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(toy->export_saelens(0), doctest::Contains("does not export a SAELens SAE"),
                       std::invalid_argument);
}

}  // namespace test_saelens_session
