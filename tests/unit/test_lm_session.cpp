// The "lm" session as the page drives it: configure (toy world or a text file's bytes), the step
// contract, a view-only configure keeps the trained model, every buffer's shape and the identities
// that tie them to the model (attention rows are causal distributions, the logit lens' last point
// is the model's own distribution, the direct logit attribution sums to the logit, ablation has
// one entry per head and MLP), save → load gives the same model, and bad configs name the key.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <string>

#include "lm/lm_checkpoint.hpp"
#include "lm/logit_lens.hpp"
#include "lm/sampler.hpp"
#include "session/lm_session.hpp"

namespace test_lm_session {

using namespace superpose;

namespace {
// A small, fast experiment on the toy world (a few thousand tokens).
Json small_config() {
  return Json{{"n_layers", 2}, {"d_model", 16}, {"n_heads", 2}, {"context", 12}, {"batch_size", 8},
              {"steps", 30}, {"warmup_steps", 5}, {"train_tokens", 10000}, {"heldout_tokens", 1000},
              {"eval_every", 10}, {"eval_batch", 8}};
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

const Buffer& buf(Session& s, const std::string& name) {
  const auto& b = s.buffers();
  auto it = b.find(name);
  REQUIRE_MESSAGE(it != b.end(), "no buffer " << name);
  return it->second;
}

std::vector<uint8_t> text_bytes(int n) {
  const std::string line = "the quick brown fox jumps over the lazy dog. ";
  std::string t;
  while (static_cast<int>(t.size()) < n) t += line;
  t.resize(n);
  return std::vector<uint8_t>(t.begin(), t.end());
}
}  // namespace

TEST_CASE("lm session: the step contract, the history, and a view-only configure keeps the model") {
  LmSession s;
  const Json c = s.configure(small_config());
  CHECK(c["vocab_size"] == 75);
  CHECK(c["tokenizer"] == "word");
  CHECK(c["vocab"].size() == 75);
  CHECK(c["dla_components"].size() == 2 + 2 * (2 + 2));  // embed, pos_embed, per layer: heads, b_O, mlp
  CHECK(c["ablation_components"].size() == 2 * 3);
  CHECK(c["probe_prompts"].size() == 36);
  Json a = s.step(7);
  CHECK(a["step"] == 7);
  CHECK(a["total_steps"] == 30);
  CHECK(a["done"] == false);
  CHECK(a["loss"].size() == 1);
  a = s.step(1000);  // clipped to the run's end
  CHECK(a["step"] == 30);
  CHECK(a["done"] == true);
  // history: step 0, every 10 steps and the end
  const Buffer& hs = buf(s, "history_step");
  REQUIRE(hs.data.size() == 4);
  CHECK(hs.data[0] == 0);
  CHECK(hs.data[3] == 30);
  CHECK(buf(s, "history_train_loss").data[0] == doctest::Approx(std::log(75.0)).epsilon(0.05));  // untrained: ~uniform
  CHECK(std::isfinite(buf(s, "history_eval_loss").data[3]));

  const std::vector<float> before = s.run().model().params();
  Json view = small_config();
  view["prompt"] = "in winter the weather in oslo is";
  view["temperature"] = 0.5;
  view["target"] = "cold";
  view["ablation"] = "zero";
  s.configure(view);
  CHECK(s.progress().step == 30);  // not retrained
  CHECK(s.run().model().params() == before);
  CHECK(buf(s, "target").data[0] == s.run().corpus().tokenizer.id_of("cold"));
  // a model key retrains from step 0
  view["lr"] = 1e-3;
  s.configure(view);
  CHECK(s.progress().step == 0);
}

TEST_CASE("lm session: buffers agree with the model (attention, logit lens, DLA, ablation, samples)") {
  LmSession s;
  s.configure(small_config());
  s.step(30);
  const int L = 2, H = 2;
  const std::vector<int32_t> ids = s.prompt_ids();
  const int T = static_cast<int>(ids.size());
  REQUIRE(T == 5);  // "the weather in california is"
  const Buffer& att = buf(s, "attention");
  CHECK(att.shape == std::vector<int>{L, H, T, T});
  for (int lh = 0; lh < L * H; ++lh)
    for (int q = 0; q < T; ++q) {
      double sum = 0;
      for (int k = 0; k < T; ++k) {
        const float v = att.data[(lh * T + q) * T + k];
        if (k > q) CHECK(v == 0.f);  // causal
        sum += v;
      }
      CHECK(sum == doctest::Approx(1).epsilon(1e-5));
    }
  // the next-token distribution is the model's, and sums to 1
  const Buffer& probs = buf(s, "next_token_probs");
  const std::vector<float> direct = next_token_probs(s.run().model(), ids.data(), T);
  CHECK(probs.data == direct);
  CHECK(std::accumulate(probs.data.begin(), probs.data.end(), 0.0) == doctest::Approx(1).epsilon(1e-5));
  const int32_t target = static_cast<int32_t>(buf(s, "target").data[0]);
  CHECK(target == top_tokens(direct, 1)[0].token);
  // the logit lens' last point (resid_post of the last block) at the last position is the model
  const Buffer& lens = buf(s, "logit_lens_target");
  const int P = 2 * L + 1;
  CHECK(lens.shape == std::vector<int>{P, T});
  CHECK(lens.data[(P - 1) * T + T - 1] == doctest::Approx(direct[target]).epsilon(1e-4));
  const Buffer& top = buf(s, "logit_lens_top");
  CHECK(top.shape == std::vector<int>{P, T, 5});
  CHECK(top.data[((P - 1) * T + T - 1) * 5] == target);
  // DLA: the components and the bias term sum to the logit
  const Buffer& dla = buf(s, "dla");
  const Buffer& bias_logit = buf(s, "dla_bias_logit");
  CHECK(dla.data.size() == 2 + L * (H + 2));
  // the answer names the components and lens points in the order the buffers hold them
  const DirectLogitAttribution direct_dla = direct_logit_attribution(s.run().model(), ids.data(), T, T - 1, target);
  const Json answer = s.configure(small_config());
  for (std::size_t i = 0; i < direct_dla.components.size(); ++i)
    CHECK(answer["dla_components"][i] == direct_dla.components[i].name);
  CHECK(answer["logit_lens_points"] == Json(logit_lens(s.run().model(), ids.data(), T).points));
  const double sum = std::accumulate(dla.data.begin(), dla.data.end(), 0.0) + bias_logit.data[0];
  CHECK(sum == doctest::Approx(bias_logit.data[1]).epsilon(1e-3));
  // ablation: one loss and one probability per head and MLP; the clean values beside them
  CHECK(buf(s, "ablation_loss").data.size() == L * (H + 1));
  CHECK(buf(s, "ablation_target_prob").data.size() == L * (H + 1));
  CHECK(buf(s, "ablation_clean").data[1] == doctest::Approx(direct[target]).epsilon(1e-5));
  // continuations: the greedy one is argmax after argmax; sampled ones are seeded
  const Buffer& greedy = buf(s, "greedy_tokens");
  CHECK(greedy.data.size() == 12);
  CHECK(greedy.data[0] == target);
  const Buffer sampled = buf(s, "sample_tokens");
  Json again = small_config();
  again["sample_seed"] = 0;
  s.configure(again);
  CHECK(buf(s, "sample_tokens").data == sampled.data);
  // the temperature probe: one entry per prompt, the score beside them
  CHECK(buf(s, "probe_correct").data.size() == 36);
  CHECK(buf(s, "probe_score").data[1] == 36);
}

TEST_CASE("lm session: a text file's bytes train a byte model; bad files and keys are refused by name") {
  LmSession s;
  Json c = small_config();
  c["data"] = "text";
  CHECK(error_of(s, c) == "data text needs a text file's bytes (configure with the file)");
  const std::vector<uint8_t> file = text_bytes(3000);
  const Json answer = s.configure_with_file(c, file);
  CHECK(answer["tokenizer"] == "byte");
  CHECK(answer["vocab_size"] == 256);
  CHECK(!answer.contains("probe_prompts"));
  s.step(5);
  CHECK(s.buffers().count("probe_score") == 0);
  // the view alone keeps the text corpus without the file again
  c["prompt"] = "the lazy";
  c["target"] = " ";
  s.configure(c);
  CHECK(s.progress().step == 5);
  CHECK(buf(s, "target").data[0] == ' ');
  // refusals name what is wrong; a refused configure keeps the running experiment
  const std::vector<uint8_t> empty;
  CHECK(error_of(s, c, &empty).find("is empty") != std::string::npos);
  std::vector<uint8_t> binary = text_bytes(3000);
  binary[100] = 0;
  CHECK(error_of(s, c, &binary).find("binary") != std::string::npos);
  CHECK(s.progress().step == 5);
  Json toy = small_config();
  CHECK(error_of(s, toy, &file) == "a text file is only read with data text");
  toy["prompt"] = "the weather in paris is";
  CHECK(error_of(s, toy).find("prompt: unknown word \"paris\"") == 0);
  toy["prompt"] = "";
  CHECK(error_of(s, toy) == "prompt is empty: the model needs at least one token");
  toy["prompt"] = "the weather";
  toy["target"] = "sunny";
  CHECK(error_of(s, toy).find("target \"sunny\" is not one token") == 0);
  toy["target"] = "";
  toy["n_heads"] = 3;
  CHECK(error_of(s, toy).find("n_heads") != std::string::npos);
  toy["n_heads"] = 2;
  toy["ablation"] = "resample";
  CHECK(error_of(s, toy).find("ablation must be one of zero, mean") == 0);
  toy["ablation"] = "mean";
  toy["bogus"] = 1;
  CHECK(error_of(s, toy).find("bogus") != std::string::npos);
}

TEST_CASE("lm session: the answer configures a fresh session to the same experiment") {
  LmSession a, b;
  const Json answer = a.configure(small_config());
  CHECK(b.configure(answer) == answer);
}

TEST_CASE("lm checkpoint: save then load gives the same parameters, vocabulary and predictions") {
  LmSession s;
  s.configure(small_config());
  s.step(10);
  const std::vector<uint8_t> bytes = s.export_safetensors();
  LoadedLm lm = load_lm(bytes);
  CHECK(lm.model->params() == s.run().model().params());
  CHECK(lm.tokenizer.vocab_size() == 75);
  CHECK(lm.tokenizer.piece(5) == s.run().corpus().tokenizer.piece(5));
  const std::vector<int32_t> ids = s.prompt_ids();
  CHECK(next_token_probs(*lm.model, ids.data(), 5) == next_token_probs(s.run().model(), ids.data(), 5));
  // a damaged file is refused by name, never loaded
  std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + bytes.size() / 2);
  CHECK_THROWS_AS(load_lm(cut), std::invalid_argument);
  CHECK_THROWS_WITH_AS(load_lm(std::vector<uint8_t>{1, 2, 3}), doctest::Contains(""), std::invalid_argument);
}

TEST_CASE("lm session: import_safetensors puts a saved model in a new run at step 0, the same predictions") {
  LmSession a;
  a.configure(small_config());
  a.step(10);
  const std::vector<uint8_t> bytes = a.export_safetensors();
  const std::vector<float> probs = buf(a, "next_token_probs").data;
  const double eval_now = a.run().history().back().eval_loss;

  // A fresh session (the page's "load model": the bindings make one): the toy world's default
  // corpus, the file's config and weights, step 0, the same next-token distribution.
  LmSession b;
  const Json c = b.import_safetensors(bytes);
  CHECK(c["n_layers"] == 2);
  CHECK(c["d_model"] == 16);
  CHECK(c["steps"] == 30);
  CHECK(c["vocab_size"] == 75);
  CHECK(b.progress().step == 0);
  CHECK(b.run().model().params() == a.run().model().params());
  CHECK(buf(b, "next_token_probs").data == probs);
  CHECK(b.step(5)["step"] == 5);  // it trains on from the loaded weights

  // The same session: its own world and held-out windows, so the restarted history begins at the
  // held-out loss the saved model had.
  a.step(10);
  a.import_safetensors(bytes);
  CHECK(a.progress().step == 0);
  REQUIRE(a.run().history().size() == 1);
  CHECK(a.run().history()[0].eval_loss == doctest::Approx(eval_now).epsilon(1e-12));
  CHECK(buf(a, "next_token_probs").data == probs);

  // A bad file changes nothing.
  std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + bytes.size() / 2);
  const std::vector<float> loaded = a.run().model().params();
  CHECK_THROWS_AS(a.import_safetensors(cut), std::invalid_argument);
  CHECK(a.run().model().params() == loaded);
  CHECK(a.progress().step == 0);
}

TEST_CASE("lm session: a byte-level model loads only onto its text file") {
  Json text = small_config();
  text["data"] = "text";
  text["prompt"] = "the quick";
  LmSession a;
  const std::vector<uint8_t> file = text_bytes(6000);
  a.configure_with_file(text, file);
  a.step(4);
  const std::vector<uint8_t> bytes = a.export_safetensors();

  LmSession fresh;
  CHECK_THROWS_WITH_AS(fresh.import_safetensors(bytes), doctest::Contains("give the text file first"),
                       std::invalid_argument);
  LmSession b;
  b.configure_with_file(text, file);
  const Json c = b.import_safetensors(bytes);
  CHECK(c["tokenizer"] == "byte");
  CHECK(c["prompt"] == "the quick");  // the view is kept: bytes read any prompt
  CHECK(b.run().model().params() == a.run().model().params());
  CHECK(buf(b, "next_token_probs").data == buf(a, "next_token_probs").data);
}

}  // namespace test_lm_session
