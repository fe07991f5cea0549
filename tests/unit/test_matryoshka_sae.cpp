// The Matryoshka BatchTopK SAE (sae/matryoshka_sae.hpp) beyond its finite-difference check
// (test_sae_gradients.cpp): the sparse, cumulative forward/backward against a dense twin written
// from the paper's formula with whole matrices; its whole-dictionary level equal to BatchTopK's
// loss; the levels' widths (the prefixes field or its default).
// Reference: Bussmann et al. 2025 (arXiv 2503.17547), eq. for L_matryoshka; SAELens 6.x
// MatryoshkaBatchTopKTrainingSAE.training_forward_pass.
#include <doctest/doctest.h>

#include <vector>

#include "sae/matryoshka_sae.hpp"
#include "sae/sae.hpp"
#include "sae/synthetic_data.hpp"
#include "tolerance.hpp"

namespace test_matryoshka_sae {

using namespace superpose;
using superpose::test::close;

namespace {
SaeConfig matryoshka_config() {
  SaeConfig c;
  c.arch = "matryoshka";
  c.input_dim = 37;  // not a multiple of the SIMD width: the kernels' tails run too
  c.true_features = 48;
  c.active = 4;
  c.n_latents = 64;
  c.k = 6;
  c.batch_size = 32;
  c.prefixes = {5, 16, 40};
  c.seed = 11;
  return c;
}

void jitter(Sae& sae, uint64_t seed) {
  Rng rng(seed, 9);
  for (float& p : sae.params()) p += 0.1f * static_cast<float>(rng.normal());
  sae.normalise_decoder();
}
}  // namespace

TEST_CASE("Matryoshka's sparse nested loss and gradient equal a dense twin of the paper's formula") {
  const SaeConfig c = matryoshka_config();
  SyntheticData data(c);
  auto sae = make_sae(c, c.input_dim, data.mean_estimate());
  jitter(*sae, 2);
  Mat X;
  data.sample(X, c.batch_size);
  SaeStepContext ctx;
  ctx.training = false;  // no aux-k (ctx.dead null): the nested reconstruction terms only
  std::vector<float> grad(sae->params().size());
  const SaeLoss l = sae->loss(X, grad.data(), ctx);
  const SparseCode& code = sae->last_code();

  // Dense: Z = W_enc (X − b_dec) + b_enc; the mask of the selected (sample, latent) pairs; F = Z ∘ mask.
  const int d = c.input_dim, L = c.n_latents, B = c.batch_size;
  const Mat W_dec = sae->W_dec(), W_enc_t = sae->W_enc_t();
  const Vec b_dec = sae->b_dec(), b_enc = sae->b_enc();
  const Mat Xc = X.colwise() - b_dec;
  const Mat Z = (W_enc_t.transpose() * Xc).colwise() + b_enc;
  Mat mask = Mat::Zero(L, B);
  for (int s = 0; s < B; ++s)
    for (int e = code.start[s]; e < code.start[s + 1]; ++e) mask(code.index[e], s) = 1.f;
  const Mat F = Z.cwiseProduct(mask);
  const std::vector<int> widths = c.matryoshka_widths();
  REQUIRE(widths == std::vector<int>{5, 16, 40, 64});
  double total = 0, full = 0;
  Mat dW_dec = Mat::Zero(d, L), dF = Mat::Zero(L, B);
  Vec db_dec = Vec::Zero(d);
  for (int w : widths) {
    const Mat R = (W_dec.leftCols(w) * F.topRows(w)).colwise() + b_dec - X;  // x̂_w − x
    const double mse = R.squaredNorm() / B;
    total += mse;
    if (w == L) full = mse;
    const Mat G = (2.f / B) * R;
    dW_dec.leftCols(w) += G * F.topRows(w).transpose();
    db_dec += G.rowwise().sum();
    dF.topRows(w) += W_dec.leftCols(w).transpose() * G;
  }
  const Mat dZ = dF.cwiseProduct(mask);
  const Mat dW_enc_t = Xc * dZ.transpose();  // (d, L)
  const Vec db_enc = dZ.rowwise().sum();
  db_dec -= W_enc_t * db_enc;

  CHECK(close(l.mse, full, 1e-5));
  CHECK(close(l.mse + l.prefix_mse, total, 1e-5));
  CHECK(close(l.total, total, 1e-5));
  CHECK(l.prefix_mse > 0);
  // Every level has entries on both sides of its width (else a level would go untested).
  int below = 0, above = 0;
  for (int i : code.index) (i < widths[0] ? below : above) += 1;
  CHECK(below > B / 4);
  CHECK(above > B);
  const auto check_block = [&](const char* name, const float* analytic, const Mat& dense) {
    double diff2 = 0, norm2 = 0;
    for (Eigen::Index j = 0; j < dense.size(); ++j) {
      diff2 += (analytic[j] - dense.data()[j]) * (analytic[j] - dense.data()[j]);
      norm2 += dense.data()[j] * dense.data()[j];
    }
    INFO(name << ": relative difference " << std::sqrt(diff2 / norm2));
    CHECK(norm2 > 0);
    CHECK(std::sqrt(diff2 / norm2) < 1e-5);
  };
  check_block("W_enc", grad.data(), dW_enc_t);
  check_block("b_enc", grad.data() + sae->off_b_enc(), db_enc);
  check_block("W_dec", grad.data() + sae->off_W_dec(), dW_dec);
  check_block("b_dec", grad.data() + sae->off_b_dec(), db_dec);
}

TEST_CASE("Matryoshka's whole-dictionary level is BatchTopK's loss; the prefixes add to it") {
  SaeConfig c = matryoshka_config();
  SyntheticData data(c);
  auto m = make_sae(c, c.input_dim, data.mean_estimate());
  jitter(*m, 4);
  c.arch = "batchtopk";
  auto b = make_sae(c, c.input_dim, data.mean_estimate());
  b->params() = m->params();
  Mat X;
  data.sample(X, c.batch_size);
  std::vector<uint8_t> dead(c.n_latents, 0);
  for (int i = 0; i < c.n_latents; i += 5) dead[i] = 1;
  SaeStepContext ctx;
  ctx.dead = &dead;
  ctx.training = false;
  const SaeLoss lm = m->loss(X, nullptr, ctx), lb = b->loss(X, nullptr, ctx);
  CHECK(m->last_code().index == b->last_code().index);
  CHECK(m->last_code().value == b->last_code().value);
  CHECK(lm.mse == doctest::Approx(lb.mse).epsilon(1e-6));
  CHECK(lm.aux == doctest::Approx(lb.aux).epsilon(1e-6));
  CHECK(lm.aux > 0);
  CHECK(lm.total == doctest::Approx(lb.total + lm.prefix_mse).epsilon(1e-6));
  CHECK(lb.prefix_mse == 0);
  CHECK((m->last_reconstruction() - b->last_reconstruction()).cwiseAbs().maxCoeff() < 1e-5f);
}

TEST_CASE("Matryoshka's widths: the prefixes then n_latents; by default n_latents/16 and /4") {
  SaeConfig c;
  c.arch = "matryoshka";
  c.n_latents = 512;
  CHECK(c.matryoshka_widths() == std::vector<int>{32, 128, 512});
  c.prefixes = {10, 100};
  CHECK(c.matryoshka_widths() == std::vector<int>{10, 100, 512});
  c.prefixes = {};
  c.n_latents = 8;  // 8/16 = 0 is no prefix
  CHECK(c.matryoshka_widths() == std::vector<int>{2, 8});
  c.n_latents = 2;
  CHECK(c.matryoshka_widths() == std::vector<int>{2});
  c.n_latents = 64;
  c.k = 4;
  c.prefixes = {5, 16};
  SyntheticData data(c);
  auto sae = make_sae(c, c.input_dim, data.mean_estimate());
  CHECK(static_cast<MatryoshkaSae&>(*sae).widths() == std::vector<int>{5, 16, 64});
}

}  // namespace test_matryoshka_sae
