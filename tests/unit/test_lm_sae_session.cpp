// The lm session's SAE stage (issue 16) as the page drives it: after the model's steps, step(k)
// trains an SAE on the model's activations at sae_hook; step and total_steps count both stages;
// an SAE key keeps the trained model and restarts the SAE; a view key keeps both; the buffers'
// metrics are the SAE's on the held-out activations, which are the model's own hook values.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lm/feature_dashboard.hpp"
#include "lm/lm_hooks.hpp"
#include "lm/lm_sae_splice.hpp"
#include "sae/sae_metrics.hpp"
#include "session/lm_session.hpp"

namespace test_lm_sae_session {

using namespace superpose;

namespace {
Json small_sae_config() {
  return Json{{"n_layers", 1}, {"d_model", 16}, {"n_heads", 2}, {"context", 12}, {"batch_size", 8},
              {"steps", 20}, {"warmup_steps", 5}, {"train_tokens", 10000}, {"heldout_tokens", 1000},
              {"eval_every", 10}, {"eval_batch", 8}, {"sae_steps", 150}, {"sae_windows", 16},
              {"sae_latents", 32}, {"sae_batch", 64}, {"sae_l1", 0.1}};
}

const Buffer& buf(Session& s, const std::string& name) {
  const auto& b = s.buffers();
  auto it = b.find(name);
  REQUIRE_MESSAGE(it != b.end(), "no buffer " << name);
  return it->second;
}

std::string error_of(Session& s, const Json& j) {
  try {
    s.configure(j);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("lm session, SAE stage: the model's steps, then the SAE's, in one step contract") {
  LmSession s;
  const Json c = s.configure(small_sae_config());
  CHECK(c["sae_hook"] == "blocks.0.hook_resid_post");
  CHECK(c["sae_steps"] == 150);
  Json a = s.step(15);
  CHECK(a["step"] == 15);
  CHECK(a["total_steps"] == 170);
  CHECK(a["stage"] == "model");
  CHECK(s.buffers().count("sae_metrics") == 0);  // nothing collected while the model trains
  a = s.step(10);  // 5 model steps, then 5 of the SAE (the first collects the activations)
  CHECK(a["step"] == 25);
  CHECK(a["stage"] == "sae");
  CHECK(a["sae_step"] == 5);
  CHECK(s.run().done());
  LmSaeStage& st = *s.sae();
  // 16 windows of 12 tokens; the held-out set is the model's hook on held-out windows
  CHECK(st.data().train_set().size() == 16 * 12);
  const LmActivationSet& held = st.data().heldout_set();
  CHECK(held.size() == LmSaeStage::kHeldoutWindows * 12);
  HookSpec spec;
  spec.record.push_back("blocks.0.hook_resid_post");
  HookRecords rec;
  const int T = held.T;
  std::vector<int32_t> w(held.tokens.begin(), held.tokens.begin() + T);
  s.run().model().forward(w.data(), nullptr, 1, T, &spec, &rec);
  const std::vector<float>& direct = rec.at("blocks.0.hook_resid_post").data;  // (1, T, 16)
  for (int t = 0; t < T; ++t)
    for (int d = 0; d < 16; ++d) CHECK(held.X(d, t) == doctest::Approx(direct[t * 16 + d]).epsilon(1e-5));

  a = s.step(1000);  // clipped to the SAE's end
  CHECK(a["step"] == 170);
  CHECK(a["done"] == true);
  // metrics: the SAE's on the held-out activations; history at 0, every 100 and the end
  const SaeMetrics m = compute_sae_metrics(st.trainer().sae(), held.X.leftCols(LmSaeStage::kEvalActivations), Mat());
  const Buffer& mb = buf(s, "sae_metrics");
  CHECK(mb.data[0] == doctest::Approx(m.l0).epsilon(1e-5));
  CHECK(mb.data[1] == doctest::Approx(m.fve).epsilon(1e-5));
  CHECK(mb.data[2] == doctest::Approx(m.dead_fraction).epsilon(1e-5));
  const Buffer& hs = buf(s, "sae_history_step");
  REQUIRE(hs.data.size() == 3);
  CHECK(hs.data[1] == 100);
  CHECK(hs.data[2] == 150);
  const Buffer& fve = buf(s, "sae_history_fve");
  CHECK(fve.data[2] > fve.data[0]);  // it learned something
  CHECK(fve.data[2] > 0.5);
  CHECK(buf(s, "sae_frequency").data.size() == 32);
  // ce_loss_score and KL: the SAE spliced in on 16 held-out windows (seeded by sae_seed)
  const LmWindows hw = heldout_windows(s.run().corpus(), 12, LmSaeStage::kSpliceWindows, 0);
  const SpliceMetrics sp = splice_metrics(s.run().model(), st.trainer().sae(), "blocks.0.hook_resid_post",
                                          hw.x.data(), hw.y.data(), hw.B, hw.T);
  const Buffer& splice = buf(s, "sae_splice");
  CHECK(splice.data[0] == doctest::Approx(sp.ce_loss_score).epsilon(1e-6));
  CHECK(splice.data[1] == doctest::Approx(sp.kl).epsilon(1e-6));
  CHECK(splice.data[0] > 0.5);   // the SAE recovers most of the loss zero ablation loses
  CHECK(splice.data[2] < splice.data[3]);  // clean < spliced < zero-ablated
  CHECK(splice.data[3] < splice.data[4]);

  // a view key keeps the model and the SAE
  const std::vector<float> model = s.run().model().params();
  const std::vector<float> sae = st.trainer().sae().params();
  Json view = small_sae_config();
  view["prompt"] = "in winter the weather in oslo is";
  s.configure(view);
  CHECK(s.progress().step == 170);
  CHECK(s.sae()->trainer().sae().params() == sae);
  // an SAE key keeps the model and starts the SAE again
  view["sae_latents"] = 48;
  const Json b = s.step(0);
  CHECK(b["done"] == true);
  s.configure(view);
  CHECK(s.progress().step == 20);
  CHECK(s.progress().total_steps == 170);
  CHECK(s.run().model().params() == model);
  CHECK(s.buffers().count("sae_metrics") == 0);
  s.step(3);
  CHECK(s.sae()->trainer().sae().n_latents() == 48);
  // reset: both stages from the start
  s.reset();
  CHECK(s.progress().step == 0);
  CHECK(!s.sae()->collected());
}

TEST_CASE("lm session, SAE stage: bad SAE keys are refused by name and change nothing") {
  LmSession s;
  s.configure(small_sae_config());
  s.step(20);
  Json j = small_sae_config();
  j["sae_hook"] = "blocks.3.hook_resid_post";
  CHECK(error_of(s, j).find("blocks.3.hook_resid_post") != std::string::npos);
  j["sae_hook"] = "blocks.0.attn.hook_pattern";
  CHECK(error_of(s, j).find("hook_resid_pre") != std::string::npos);  // lists the allowed hooks
  j = small_sae_config();
  j["sae_arch"] = "dense";
  CHECK(error_of(s, j).find("sae_arch") != std::string::npos);
  j = small_sae_config();
  j["sae_arch"] = "topk";
  j["sae_k"] = 40;  // more than sae_latents
  CHECK(error_of(s, j).find("sae_k") != std::string::npos);
  CHECK(s.progress().step == 20);  // the trained model stays
  // sae_steps 0: no stage, the run ends with the model
  j = small_sae_config();
  j["sae_steps"] = 0;
  s.configure(j);
  CHECK(s.sae() == nullptr);
  CHECK(s.progress().done);
  CHECK(s.progress().total_steps == 20);
}

TEST_CASE("lm session, SAE stage: every architecture of sae/ is a sae_arch, Matryoshka with its default prefixes") {
  LmSession s;
  Json j = small_sae_config();
  j["sae_arch"] = "matryoshka";
  j["sae_k"] = 4;
  const Json c = s.configure(j);
  CHECK(c["sae_arch"] == "matryoshka");
  s.step(1000);
  REQUIRE(s.progress().done);
  const SaeConfig sc = s.sae()->trainer().config();
  CHECK(sc.arch == "matryoshka");
  CHECK(sc.matryoshka_widths() == std::vector<int>{2, 8, 32});  // 32 latents: 32/16, 32/4, all
  // trained: on the held-out activations its L0 is near k and it explains part of the variance
  const Buffer& m = buf(s, "sae_metrics");  // l0, fve, dead_fraction, mse, dense_fraction
  CHECK(m.data[0] > 1);
  CHECK(m.data[0] < 8);
  CHECK(m.data[1] > 0.2f);  // fve
  // the choices the page's menu is built from are sae/'s architectures, all of them
  Json arch;
  for (const Json& f : s.schema_fields())
    if (f["name"] == "sae_arch") arch = f;
  CHECK(arch["choices"] == Json(kSaeArchNames));
}

TEST_CASE("lm session, SAE stage: SAELens out with its hook, back in as the stage's SAE") {
  LmSession a;
  Json j = small_sae_config();
  j["sae_hook"] = "blocks.0.hook_mlp_out";
  a.configure(j);
  CHECK_THROWS_WITH_AS(a.export_saelens(0), doctest::Contains("no SAE to save yet"), std::invalid_argument);
  a.step(1000);
  const Session::SaeLensFiles files = a.export_saelens(0);
  CHECK(Json::parse(files.cfg_json)["hook_name"] == "blocks.0.hook_mlp_out");
  CHECK_THROWS_AS(a.export_saelens(1), std::invalid_argument);

  // the same model trained again (same seed), its SAE not trained but read from the file
  LmSession b;
  Json k = small_sae_config();  // its SAE keys say resid_post, 32 latents: the file's win
  k["sae_latents"] = 8;
  b.configure(k);
  CHECK_THROWS_WITH_AS(b.import_saelens(files.cfg_json, files.weights),
                       doctest::Contains("finish its 20 steps"), std::invalid_argument);
  b.step(20);
  const Json c = b.import_saelens(files.cfg_json, files.weights);
  CHECK(c["sae_hook"] == "blocks.0.hook_mlp_out");
  CHECK(c["sae_latents"] == 32);
  CHECK(b.progress().done);
  CHECK(b.sae()->trainer().sae().params() == a.sae()->trainer().sae().params());
  CHECK(buf(b, "sae_metrics").data == buf(a, "sae_metrics").data);
  CHECK(buf(b, "sae_splice").data == buf(a, "sae_splice").data);
  // the answer configures the loaded experiment again without retraining anything
  b.configure(c);
  CHECK(b.progress().done);
  CHECK(b.sae()->trainer().sae().params() == a.sae()->trainer().sae().params());

  // a model of another width refuses the file by name, and keeps its own SAE
  LmSession wide;
  Json wj = small_sae_config();
  wj["d_model"] = 32;
  wide.configure(wj);
  wide.step(1000);
  const std::vector<float> own = wide.sae()->trainer().sae().params();
  CHECK_THROWS_WITH_AS(wide.import_saelens(files.cfg_json, files.weights), doctest::Contains("d_in"),
                       std::invalid_argument);
  CHECK(wide.sae()->trainer().sae().params() == own);
}

TEST_CASE("lm session, SAE stage: the latent list, the chosen latent's dashboard, steering and ablation") {
  LmSession s;
  s.configure(small_sae_config());
  s.step(1000);
  LmSaeStage& st = *s.sae();
  Sae& sae = st.trainer().sae();
  const Corpus& corpus = s.run().corpus();
  const LmActivationSet& set = st.data().heldout_set();
  const LatentCodes codes = encode_set(sae, set);
  const LabelCounts counts = count_labels(codes, set, static_cast<int>(corpus.labels.size()));
  // latent -1: the best match of latent_label (cold = predicts_cold), by F1 over the held-out set
  const int cold = best_latent_for_label(codes, counts, find_label(corpus, "predicts_cold"));
  const int expected = cold >= 0 ? cold : latent_list(codes, counts, LatentOrder::label)[0].index;
  CHECK(buf(s, "latent").data[0] == expected);
  const Buffer& list = buf(s, "latent_list");
  CHECK(list.shape == std::vector<int>{32, 6});
  const std::vector<LatentSummary> by_label = latent_list(codes, counts, LatentOrder::label);
  for (int i = 0; i < 32; ++i) {
    CHECK(list.data[6 * i] == by_label[i].index);
    CHECK(list.data[6 * i + 4] == doctest::Approx(by_label[i].label.precision));
  }
  // the dashboard is feature_dashboard's for that latent
  Json j = small_sae_config();
  j["latent"] = 3;
  s.configure(j);
  CHECK(buf(s, "latent").data[0] == 3);
  const FeatureDashboard d = feature_dashboard(codes, counts, set, sae, s.run().model(), 3,
                                               DashboardOptions{8, 4, 2, 24, 8, 0});
  CHECK(buf(s, "latent_stats").data[0] == doctest::Approx(d.frequency));
  CHECK(buf(s, "latent_stats").data[1] == d.max_activation);
  CHECK(buf(s, "latent_histogram").data.size() == 24);
  const Buffer& meta = buf(s, "latent_context_meta");
  REQUIRE(meta.shape[0] >= static_cast<int>(d.top.size()));
  for (std::size_t i = 0; i < d.top.size(); ++i) {
    CHECK(meta.data[3 * i] == -1);
    CHECK(meta.data[3 * i + 2] == d.top[i].activation);
  }
  CHECK(buf(s, "latent_promoted").data[0] == d.promoted[0].token);
  CHECK(buf(s, "prompt_latents").shape == std::vector<int>{5, LmSession::kPromptLatents});
  // strength 0 changes nothing, bit for bit; a strength moves the distribution
  CHECK(buf(s, "steer_probs_after").data == buf(s, "steer_probs_before").data);
  CHECK(buf(s, "steer_text_after").data == buf(s, "steer_text_before").data);
  j["steer_strength"] = 8;
  s.configure(j);
  CHECK(buf(s, "steer_probs_after").data != buf(s, "steer_probs_before").data);
  CHECK(buf(s, "steer_scale").data[0] == d.max_activation);
  // the other directions
  j["steer_direction"] = "means";
  s.configure(j);
  CHECK(buf(s, "steer_scale").data[0] == 1);
  j["steer_direction"] = "unit";
  j["steer_unit"] = 15;
  s.configure(j);
  CHECK(buf(s, "steer_probs_after").data != buf(s, "steer_probs_before").data);
  // ablation through the SAE with its error term: "before" is the clean model
  const Buffer& abl = buf(s, "latent_ablation");
  const int32_t target = static_cast<int32_t>(abl.data[4]);
  CHECK(abl.data[2] == doctest::Approx(buf(s, "next_token_probs").data[target]).epsilon(1e-5));
  CHECK(s.progress().step == 170);  // every view above kept the model and the SAE

  // refusals by key
  j = small_sae_config();
  j["latent"] = 32;
  CHECK(error_of(s, j).find("latent") != std::string::npos);
  j = small_sae_config();
  j["latent_label"] = "lukewarm";
  CHECK(error_of(s, j).find("predicts_cold") != std::string::npos);  // lists the labels
  j = small_sae_config();
  j["steer_direction"] = "means";
  j["steer_prompts_a"] = "the weather in atlantis is";
  CHECK(error_of(s, j).find("steer_prompts_a") != std::string::npos);
  j["steer_prompts_a"] = " ; ";
  CHECK(error_of(s, j).find("no prompt") != std::string::npos);
  j = small_sae_config();
  j["steer_direction"] = "unit";
  j["steer_unit"] = 16;
  CHECK(error_of(s, j).find("steer_unit") != std::string::npos);
  CHECK(s.progress().step == 170);
}

}  // namespace test_lm_sae_session
