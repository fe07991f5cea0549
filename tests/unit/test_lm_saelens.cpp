// An LM SAE ⇄ a SAELens folder with its hook (lm/lm_saelens.hpp): cfg.json carries model_name
// and hook_name at the top level and under metadata, as SAELens reads them; the round trip gives
// the same tensors and hook; files that record the hook only one way (6.x metadata, < 6 top
// level, < 3 hook_point) load; a file without a hook, with a hook the model lacks or cannot feed
// an SAE, or with a d_in that is not the hook's width is refused by name.
#include <doctest/doctest.h>

#include <string>

#include "io/saelens.hpp"
#include "lm/lm_saelens.hpp"

namespace test_lm_saelens {

using namespace superpose;

namespace {
LmConfig model_config() {
  LmConfig c;  // the default: 2 layers, d_model 64, 4 heads, context 24
  return c;
}

std::unique_ptr<Sae> small_sae(int d, int L) {
  SaeConfig c;
  c.arch = "relu";
  c.n_latents = L;
  c.input_dim = d;
  c.init = "random";
  c.seed = 3;
  auto s = make_sae(c, d, Vec::Zero(d));
  for (int i = 0; i < d; ++i) s->b_dec()[i] = 0.01f * i;
  return s;
}

// cfg.json text → file → cfg.json edited by f → file again.
SaeLensSae edited(const SaeLensSae& s, void (*f)(Json&)) {
  auto [cfg, weights] = write_saelens(s);
  Json j = Json::parse(cfg);
  f(j);
  return read_saelens(j.dump(), weights);
}
}  // namespace

TEST_CASE("lm saelens: cfg.json carries the hook and model name where SAELens reads them; round trip") {
  const LmConfig m = model_config();
  const auto sae = small_sae(64, 32);
  const SaeLensSae out = lm_sae_to_saelens(*sae, m, "blocks.0.hook_resid_post");
  const auto [cfg, weights] = write_saelens(out);
  const Json j = Json::parse(cfg);
  CHECK(j["hook_name"] == "blocks.0.hook_resid_post");
  CHECK(j["metadata"]["hook_name"] == "blocks.0.hook_resid_post");
  CHECK(j["model_name"] == "superpose-lm-2l-64d-4h-24t");
  CHECK(j["metadata"]["model_name"] == "superpose-lm-2l-64d-4h-24t");
  CHECK(j["hook_head_index"].is_null());
  CHECK(j["metadata"]["context_size"] == 24);
  CHECK(j["d_in"] == 64);
  CHECK(j["d_sae"] == 32);
  CHECK(j["architecture"] == "standard");
  CHECK_FALSE(j.contains("meta"));

  const LmSaeFile in = lm_sae_from_saelens(read_saelens(cfg, weights), SaeConfig{}, m);
  CHECK(in.hook == "blocks.0.hook_resid_post");
  const Sae& a = *sae;
  const Sae& b = *in.sae;
  CHECK(b.n_latents() == 32);
  CHECK(Mat(b.W_enc_t()) == Mat(a.W_enc_t()));
  CHECK(Mat(b.W_dec()) == Mat(a.W_dec()));
  CHECK(Vec(b.b_enc()) == Vec(a.b_enc()));
  CHECK(Vec(b.b_dec()) == Vec(a.b_dec()));

  // the MLP's hidden layer: 4·d_model wide
  const auto wide = small_sae(256, 16);
  const SaeLensSae mlp = lm_sae_to_saelens(*wide, m, "blocks.1.mlp.hook_post");
  CHECK(lm_sae_from_saelens(mlp, SaeConfig{}, m).hook == "blocks.1.mlp.hook_post");
}

TEST_CASE("lm saelens: the hook is read from metadata, the top level or hook_point") {
  const LmConfig m = model_config();
  const auto sae = small_sae(64, 8);
  const SaeLensSae out = lm_sae_to_saelens(*sae, m, "blocks.1.hook_resid_mid");
  // SAELens 6.x: metadata only
  CHECK(lm_sae_from_saelens(edited(out, [](Json& j) { j.erase("hook_name"); }), SaeConfig{}, m).hook ==
        "blocks.1.hook_resid_mid");
  // SAELens < 6: the top level only
  CHECK(lm_sae_from_saelens(edited(out, [](Json& j) { j.erase("metadata"); }), SaeConfig{}, m).hook ==
        "blocks.1.hook_resid_mid");
  // SAELens < 3: hook_point
  CHECK(lm_sae_from_saelens(edited(out, [](Json& j) {
                              j.erase("metadata");
                              j["hook_point"] = j["hook_name"];
                              j.erase("hook_name");
                            }),
                            SaeConfig{}, m)
            .hook == "blocks.1.hook_resid_mid");
  // metadata wins over the top level (6.x reads metadata when it is there)
  CHECK(lm_sae_from_saelens(edited(out, [](Json& j) { j["hook_name"] = "blocks.0.hook_resid_pre"; }),
                            SaeConfig{}, m)
            .hook == "blocks.1.hook_resid_mid");
}

TEST_CASE("lm saelens: refused by name when the hook is missing, unknown, or not d_in wide") {
  const LmConfig m = model_config();
  const auto sae = small_sae(64, 8);
  const SaeLensSae out = lm_sae_to_saelens(*sae, m, "blocks.0.hook_resid_post");
  CHECK_THROWS_WITH_AS(lm_sae_from_saelens(edited(out, [](Json& j) {
                                             j.erase("metadata");
                                             j.erase("hook_name");
                                           }),
                                           SaeConfig{}, m),
                       doctest::Contains("no hook_name"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(lm_sae_from_saelens(edited(out, [](Json& j) {
                                             j["metadata"]["hook_name"] = "blocks.2.hook_resid_post";
                                           }),
                                           SaeConfig{}, m),
                       doctest::Contains("hook_name: hook \"blocks.2.hook_resid_post\" cannot be read by an SAE (allowed: "),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(lm_sae_from_saelens(edited(out, [](Json& j) {
                                             j["metadata"]["hook_name"] = "blocks.0.attn.hook_z";
                                           }),
                                           SaeConfig{}, m),
                       doctest::Contains("blocks.0.attn.hook_z"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(lm_sae_from_saelens(edited(out, [](Json& j) {
                                             j["metadata"]["hook_name"] = "blocks.0.mlp.hook_post";
                                           }),
                                           SaeConfig{}, m),
                       "SAELens cfg.json: d_in is 64, but hook \"blocks.0.mlp.hook_post\" of this model has 256 values",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(lm_sae_from_saelens(edited(out, [](Json& j) { j["metadata"]["hook_name"] = 7; }),
                                           SaeConfig{}, m),
                       doctest::Contains("hook_name must be a string"), std::invalid_argument);
  // a smaller model: the same file's d_in does not fit
  LmConfig narrow = m;
  narrow.d_model = 32;
  CHECK_THROWS_WITH_AS(lm_sae_from_saelens(out, SaeConfig{}, narrow), doctest::Contains("d_in is 64"),
                       std::invalid_argument);
  // saving: a hook the SAE cannot read on this model
  CHECK_THROWS_WITH_AS(lm_sae_to_saelens(*sae, m, "blocks.0.mlp.hook_post"), doctest::Contains("has 256"),
                       std::invalid_argument);
}

}  // namespace test_lm_saelens
