// Superpose SAE → SAELens files → Superpose SAE (sae/saelens_sae.hpp): identical tensors, codes,
// reconstructions and metrics for every architecture the layout holds; refusals named.
#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>

#include "io/saelens.hpp"
#include "io/safetensors.hpp"
#include "sae/sae_data.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"
#include "sae/saelens_sae.hpp"

namespace test_saelens_sae {

using namespace superpose;

namespace {
SaeConfig small_config(const std::string& arch) {
  SaeConfig c;
  c.arch = arch;
  c.n_latents = 24;
  c.input_dim = 8;
  c.true_features = 16;
  c.active = 2;
  c.k = 3;
  c.aux_k = 8;
  c.batch_size = 64;
  c.steps = 40;
  c.warmup_steps = 5;
  c.l1_warmup_steps = 5;
  c.seed = 5;
  return c;
}
}  // namespace

TEST_CASE("SAELens round trip: identical tensors, codes and metrics") {
  for (const char* arch : {"relu", "jumprelu", "topk", "batchtopk", "matryoshka"}) {
    CAPTURE(arch);
    const SaeConfig c = small_config(arch);
    std::shared_ptr<SaeData> data = make_sae_data(c);
    SaeTrainer trainer(c, data);
    trainer.train(40);
    const Mat eval = data->held_out(256);

    const SaeLensSae out = sae_to_saelens(trainer.sae());
    CHECK(out.architecture == (std::string(arch) == "relu" ? "standard"
                               : std::string(arch) == "batchtopk" || std::string(arch) == "matryoshka" ? "jumprelu"
                                                                                                      : arch));
    const auto [cfg, weights] = write_saelens(out);
    const SaeLensSae in = read_saelens(cfg, weights);
    auto loaded = sae_from_saelens(in, c, data->dim());

    const Sae& a = trainer.sae();
    const Sae& b = *loaded;
    CHECK(b.n_latents() == a.n_latents());
    CHECK(Mat(b.W_enc_t()) == Mat(a.W_enc_t()));
    CHECK(Mat(b.W_dec()) == Mat(a.W_dec()));
    CHECK(Vec(b.b_enc()) == Vec(a.b_enc()));
    CHECK(Vec(b.b_dec()) == Vec(a.b_dec()));

    const SaeMetrics ma = compute_sae_metrics(trainer.sae(), eval, data->true_features());
    const SaeMetrics mb = compute_sae_metrics(*loaded, eval, data->true_features());
    CHECK(mb.l0 == ma.l0);
    CHECK(mb.mse == doctest::Approx(ma.mse).epsilon(1e-6));
    CHECK(mb.fve == doctest::Approx(ma.fve).epsilon(1e-6));
    CHECK(mb.mmcs == ma.mmcs);
    CHECK(mb.dead_fraction == ma.dead_fraction);
    CHECK(ma.l0 > 0);
  }
}

TEST_CASE("SAELens export/import refusals") {
  SaeConfig g = small_config("gated");
  std::shared_ptr<SaeData> data = make_sae_data(g);
  SaeTrainer gated(g, data);
  CHECK_THROWS_WITH_AS(sae_to_saelens(gated.sae()), doctest::Contains("the gated architecture is not supported"),
                       std::invalid_argument);
  SaeTrainer fresh(small_config("batchtopk"), data);
  CHECK_THROWS_WITH_AS(sae_to_saelens(fresh.sae()), doctest::Contains("no inference threshold yet"),
                       std::invalid_argument);
  SaeTrainer fresh_matryoshka(small_config("matryoshka"), data);
  CHECK_THROWS_WITH_AS(sae_to_saelens(fresh_matryoshka.sae()),
                       "SAELens export: this matryoshka SAE has no inference threshold yet (train it first)",
                       std::invalid_argument);
  SaeTrainer relu(small_config("relu"), data);
  const SaeLensSae s = sae_to_saelens(relu.sae());
  CHECK_THROWS_WITH_AS(sae_from_saelens(s, small_config("relu"), 9),
                       "SAELens: the SAE reads d_in=8 dimensions but the data has 9", std::invalid_argument);
}

}  // namespace test_saelens_sae
