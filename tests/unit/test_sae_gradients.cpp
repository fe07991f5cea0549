// Every SAE architecture's backward against central finite differences of its loss.
// Kinks: where a ReLU, a gate, a JumpReLU threshold or a top-k selection switches within ±eps,
// the loss is not differentiable (or jumps) and the central difference means nothing. Such
// entries are recognised by their one-sided differences disagreeing; there the analytic gradient
// must equal one of them (the side without the kink), and they must stay a small minority.
// JumpReLU's θ has no true gradient (the L0 term is piecewise constant): its straight-through
// gradient is checked against the paper's formula, computed here independently with dense
// matrices.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "sae/jumprelu_sae.hpp"
#include "sae/sae.hpp"
#include "sae/synthetic_data.hpp"
#include "sae/topk_sae.hpp"
#include "tolerance.hpp"

namespace test_sae_gradients {

using namespace superpose;
using superpose::test::close;

namespace {
SaeConfig small_config(const std::string& arch) {
  SaeConfig c;
  c.arch = arch;
  c.input_dim = 8;
  c.true_features = 12;
  c.active = 3;
  c.n_latents = 16;
  c.k = 3;
  c.aux_k = 4;
  c.l1 = 0.2;
  c.batch_size = 16;
  c.jump_theta_init = 0.3;
  c.jump_bandwidth = 0.05;
  c.seed = 7;
  c.prefixes = {3, 8};  // matryoshka: three levels (3, 8, 16)
  return c;
}

// A generic point: parameters jittered away from the tied init (so encoder ≠ decoderᵀ and the
// extras are not all equal).
void jitter(Sae& sae, uint64_t seed) {
  Rng rng(seed, 9);
  for (float& p : sae.params()) p += 0.1f * static_cast<float>(rng.normal());
  if (sae.unit_norm_decoder()) sae.normalise_decoder();
}

// The part of the loss whose derivative the backward computes for parameter i.
using Objective = std::function<double(Sae&, std::size_t i)>;

// Checks the analytic gradient of the given parameters against finite differences of
// objective (by default the total loss).
void check_fd(Sae& sae, const Mat& X, const SaeStepContext& ctx, const std::vector<std::size_t>& checked,
              const std::string& what, Objective objective = nullptr) {
  const std::size_t n_checked = checked.size();
  if (!objective) objective = [&](Sae& s, std::size_t) { return s.loss(X, nullptr, ctx).total; };
  std::vector<float> grad(sae.params().size());
  sae.loss(X, grad.data(), ctx);
  std::vector<float>& p = sae.params();
  const float eps = 1e-3f;
  double diff2 = 0, norm2 = 0;
  int kinked = 0;
  for (std::size_t i : checked) {
    const double f0 = objective(sae, i);
    const float saved = p[i];
    p[i] = saved + eps;
    const double up = objective(sae, i);
    p[i] = saved - eps;
    const double down = objective(sae, i);
    p[i] = saved;
    const double right = (up - f0) / eps, left = (f0 - down) / eps, fd = (up - down) / (2.0 * eps);
    INFO(what << ", parameter " << i << ": right " << right << ", left " << left << ", analytic "
              << grad[i]);
    if (!close(right, left, 0.05, 2e-3)) {
      ++kinked;
      CHECK((close(right, grad[i], 3e-2, 2e-3) || close(left, grad[i], 3e-2, 2e-3)));
      continue;
    }
    CHECK(close(fd, grad[i], 3e-2, 2e-3));
    diff2 += (fd - grad[i]) * (fd - grad[i]);
    norm2 += fd * fd;
  }
  INFO(what << ": kinked " << kinked << " of " << n_checked);
  CHECK(norm2 > 0);
  CHECK(std::sqrt(diff2 / norm2) < 2e-2);
  CHECK(kinked <= static_cast<int>(0.15 * n_checked));
}

void check_arch(const std::string& arch, const std::string& decoder_norm = "unit") {
  SaeConfig c = small_config(arch);
  c.decoder_norm = decoder_norm;
  SyntheticData data(c);
  auto sae = make_sae(c, c.input_dim, data.mean_estimate());
  jitter(*sae, 3);
  Mat X;
  data.sample(X, c.batch_size);
  SaeStepContext ctx;
  ctx.l1 = c.l1;
  ctx.training = false;
  std::vector<uint8_t> dead(c.n_latents, 0);
  for (int i = 0; i < c.n_latents; i += 3) dead[i] = 1;  // aux-k sees some dead latents
  ctx.dead = &dead;
  // Each part of the objective must be present, or the check would not test it.
  const SaeLoss l = sae->loss(X, nullptr, ctx);
  CHECK(l.mse > 0);
  if (arch == "relu" || arch == "gated" || arch == "jumprelu") CHECK(l.sparsity > 0);
  if (arch != "relu" && arch != "jumprelu") CHECK(l.aux > 0);
  if (arch == "matryoshka") CHECK(l.prefix_mse > l.mse);  // the inner levels reconstruct worse
  const std::size_t n = arch == "jumprelu" ? sae->off_extra() : sae->params().size();
  Objective objective = nullptr;
  if (arch == "gated") {
    // x̂_frozen uses stop-gradient copies of W_dec and b_dec: their gradient leaves out the aux
    // term's dependence through the decoder. b_dec also enters the encoder input (not frozen),
    // so its mixed gradient is checked by the training tests, not here.
    objective = [&](Sae& s, std::size_t i) {
      const SaeLoss l = s.loss(X, nullptr, ctx);
      return i >= s.off_W_dec() && i < s.off_extra() ? l.total - l.aux : l.total;
    };
  }
  if (sae_arch_uses_k(arch)) {
    // aux-k reconstructs a stop-gradient residual: its gradient is checked separately below.
    ctx.dead = nullptr;
    CHECK(sae->loss(X, nullptr, ctx).aux == 0);
  }
  std::vector<std::size_t> checked;
  for (std::size_t i = 0; i < n; ++i)
    if (arch != "gated" || i < sae->off_b_dec() || i >= sae->off_extra()) checked.push_back(i);
  check_fd(*sae, X, ctx, checked, arch + "/" + decoder_norm, objective);
}
}  // namespace

TEST_CASE("ReLU SAE gradients match finite differences") { check_arch("relu"); }
TEST_CASE("ReLU SAE with decoder-norm-weighted L1: gradients match finite differences") {
  check_arch("relu", "weighted");
}
TEST_CASE("Gated SAE gradients (r_mag sharing, frozen-decoder aux) match finite differences") {
  check_arch("gated");
}
TEST_CASE("JumpReLU SAE gradients (all but θ) match finite differences") { check_arch("jumprelu"); }
TEST_CASE("TopK SAE gradients (with aux-k) match finite differences") { check_arch("topk"); }
TEST_CASE("BatchTopK SAE gradients (with aux-k) match finite differences") { check_arch("batchtopk"); }
TEST_CASE("Matryoshka SAE gradients (nested prefixes) match finite differences") { check_arch("matryoshka"); }

TEST_CASE("JumpReLU's straight-through θ gradient follows the rectangle-kernel formula") {
  SaeConfig c = small_config("jumprelu");
  c.jump_bandwidth = 0.4;  // wide enough that many (sample, latent) pairs fall in the kernel
  SyntheticData data(c);
  auto owned = make_sae(c, c.input_dim, data.mean_estimate());
  JumpReluSae& sae = static_cast<JumpReluSae&>(*owned);
  jitter(sae, 4);
  Mat X;
  data.sample(X, c.batch_size);
  SaeStepContext ctx;
  ctx.l1 = c.l1;
  std::vector<float> grad(sae.params().size());
  sae.loss(X, grad.data(), ctx);

  // Dense reference: z = W_enc (x − b_dec) + b_enc, f = z H(z − θ), g = 2(x̂ − x)/B.
  const int B = c.batch_size, L = c.n_latents;
  const Vec theta = sae.theta();
  const Mat Z = (sae.W_enc_t().transpose() * (X.colwise() - Vec(sae.b_dec()))).colwise() + Vec(sae.b_enc());
  Mat Fm = Mat::Zero(L, B);
  for (int s = 0; s < B; ++s)
    for (int i = 0; i < L; ++i)
      if (Z(i, s) > theta[i]) Fm(i, s) = Z(i, s);
  const Mat G = 2.0f / B * ((Mat(sae.W_dec()) * Fm).colwise() + Vec(sae.b_dec()) - X);
  const Mat dF = Mat(sae.W_dec()).transpose() * G;  // (L, B)
  const double eps = c.jump_bandwidth;
  int in_kernel = 0;
  for (int i = 0; i < L; ++i) {
    double d_theta = 0;
    for (int s = 0; s < B; ++s) {
      if (!(std::fabs(Z(i, s) - theta[i]) < 0.5 * eps)) continue;
      ++in_kernel;
      d_theta += -(theta[i] / eps) * dF(i, s) - c.l1 / (B * eps);
    }
    INFO("latent " << i);
    CHECK(close(theta[i] * d_theta, grad[sae.off_extra() + i], 1e-3, 1e-5));
  }
  CHECK(in_kernel > 10);
}

// aux-k: ‖e − W_dec z_dead‖² with e = x − x̂ held fixed. Its gradient (the difference of the
// gradients with and without dead latents) against finite differences of a dense reference of
// the term with the residual frozen at the starting point.
static void check_aux_k(const std::string& arch) {
  SaeConfig c = small_config(arch);
  SyntheticData data(c);
  auto sae = make_sae(c, c.input_dim, data.mean_estimate());
  jitter(*sae, 5);
  Mat X;
  data.sample(X, c.batch_size);
  std::vector<uint8_t> dead(c.n_latents, 0);
  for (int i = 1; i < c.n_latents; i += 2) dead[i] = 1;
  SaeStepContext with, without;
  with.dead = &dead;
  with.training = without.training = false;
  std::vector<float> g_with(sae->params().size()), g_without(sae->params().size());
  sae->loss(X, g_without.data(), without);
  const Mat E = X - sae->last_reconstruction();  // frozen residual
  sae->loss(X, g_with.data(), with);

  std::vector<int> dead_list;
  for (int i = 0; i < c.n_latents; ++i)
    if (dead[i]) dead_list.push_back(i);
  auto aux_reference = [&](Sae& s) {
    const Mat Z = (s.W_enc_t().transpose() * (X.colwise() - Vec(s.b_dec()))).colwise() + Vec(s.b_enc());
    std::vector<float> z(dead_list.size()), scratch;
    std::vector<int> top;
    double total = 0;
    for (int b = 0; b < c.batch_size; ++b) {
      for (std::size_t j = 0; j < dead_list.size(); ++j) z[j] = Z(dead_list[j], b);
      top_k_positive(z.data(), static_cast<int>(z.size()), c.aux_k, scratch, top);
      Vec r = -E.col(b);
      for (int j : top) r += z[j] * Vec(s.W_dec().col(dead_list[j]));
      total += r.squaredNorm();
    }
    return c.aux_k_coefficient * total / c.batch_size;
  };
  CHECK(aux_reference(*sae) > 0);
  std::vector<float>& p = sae->params();
  const float eps = 1e-3f;
  int kinked = 0, nonzero = 0;
  for (std::size_t i = 0; i < sae->off_extra(); ++i) {
    const double analytic = g_with[i] - g_without[i];
    const double f0 = aux_reference(*sae);
    const float saved = p[i];
    p[i] = saved + eps;
    const double up = aux_reference(*sae);
    p[i] = saved - eps;
    const double down = aux_reference(*sae);
    p[i] = saved;
    const double right = (up - f0) / eps, left = (f0 - down) / eps, fd = (up - down) / (2.0 * eps);
    INFO(arch << " aux-k, parameter " << i << ": right " << right << ", left " << left << ", analytic " << analytic);
    nonzero += std::fabs(analytic) > 1e-4;
    if (!close(right, left, 0.05, 1e-3)) {
      ++kinked;
      CHECK((close(right, analytic, 3e-2, 1e-3) || close(left, analytic, 3e-2, 1e-3)));
      continue;
    }
    CHECK(close(fd, analytic, 3e-2, 1e-3));
  }
  CHECK(nonzero > 20);
  CHECK(kinked <= static_cast<int>(0.15 * sae->off_extra()));
}

TEST_CASE("TopK's aux-k gradient matches finite differences of the frozen-residual term") {
  check_aux_k("topk");
}
TEST_CASE("BatchTopK's aux-k gradient matches finite differences of the frozen-residual term") {
  check_aux_k("batchtopk");
}
TEST_CASE("Matryoshka's aux-k gradient matches finite differences of the frozen-residual term") {
  check_aux_k("matryoshka");
}

}  // namespace test_sae_gradients
