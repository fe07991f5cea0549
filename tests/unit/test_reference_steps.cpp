// Training steps against an independent implementation: PyTorch's loss, gradients and Adam
// steps (tests/fixtures/reference_steps.json, written once by
// tests/fixtures/make_reference_steps.py) for the ReLU toy model and the ReLU SAE with a
// unit-norm and with a weighted decoder, from the fixture's batch and initial parameters, to
// 1e-5. The fixture is compiled into the suite (CMake embeds it), so the wasm run checks it too.
// Not here: the other architectures (their gradients are checked by finite differences in
// test_toy_gradients.cpp and test_sae_gradients.cpp).
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "core/json_config.hpp"
#include "sae/sae.hpp"
#include "sae/sae_data.hpp"
#include "sae/sae_trainer.hpp"
#include "tolerance.hpp"
#include "toy/toy_model.hpp"

extern const char* const kReferenceStepsJson;  // tests/fixtures/reference_steps.json (CMake)

namespace test_reference_steps {

using namespace superpose;

namespace {

constexpr double kTolerance = 1e-5;  // absolute, and relative to the larger magnitude

const Json& fixture() {
  static const Json j = parse_json(kReferenceStepsJson);
  return j;
}

// A JSON matrix (a list of rows) as a (rows, cols) Mat.
Mat matrix(const Json& rows) {
  const int r = static_cast<int>(rows.size()), c = static_cast<int>(rows.at(0).size());
  Mat M(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) M(i, j) = rows.at(i).at(j).get<float>();
  return M;
}

Vec vector(const Json& values) {
  Vec v(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) v[i] = values[i].get<float>();
  return v;
}

// Every entry of got within kTolerance of the reference; names the first that is not.
void check_matrix(const std::string& what, const Eigen::Ref<const Mat>& got, const Mat& want) {
  REQUIRE(got.rows() == want.rows());
  REQUIRE(got.cols() == want.cols());
  for (int i = 0; i < want.rows(); ++i)
    for (int j = 0; j < want.cols(); ++j)
      if (!test::close(got(i, j), want(i, j), kTolerance, kTolerance)) {
        FAIL_CHECK(what << "(" << i << ", " << j << ") = " << got(i, j) << ", PyTorch "
                        << want(i, j));
        return;
      }
}

void check_vector(const std::string& what, const Eigen::Ref<const Vec>& got, const Vec& want) {
  check_matrix(what, Mat(got), Mat(want));
}

void check_scalar(const std::string& what, double got, double want) {
  CHECK_MESSAGE(test::close(got, want, kTolerance, kTolerance),
                what << " = " << got << ", PyTorch " << want);
}

}  // namespace

TEST_CASE("reference steps: the toy model's loss, gradients and AdamW steps match PyTorch") {
  const Json& ref = fixture().at("toy");
  const ToyConfig config = ToyConfig::from_json(ref.at("config"));
  const int n = config.n_features, m = config.n_hidden;
  const Mat X = matrix(ref.at("x")).transpose();  // (n, B)
  const ToyBatch batch = ToyBatch::from_dense({X}, false);
  // Both strategies of forward_backward: per sample (sparse) and batched (dense).
  for (const double batched_from : {2.0, 0.0}) {
    CAPTURE(batched_from);
    ToyModel model(config);
    model.set_batched_from(batched_from);
    model.W(0) = matrix(ref.at("W"));
    model.b(0) = vector(ref.at("b"));

    std::vector<float> grad(model.params().size());
    const double loss = model.forward_backward(batch, grad.data(), nullptr);
    check_scalar("loss", loss, ref.at("loss").get<double>());
    check_matrix("dL/dW", ConstMatMap(grad.data(), m, n), matrix(ref.at("grad_W")));
    check_vector("dL/db", ConstVecMap(grad.data() + m * n, n), vector(ref.at("grad_b")));

    for (int step = 1; step <= 2; ++step) {
      CAPTURE(step);
      model.train_on(batch);
      const std::string after = "_after_" + std::to_string(step);
      check_matrix("W", model.W(0), matrix(ref.at("W" + after)));
      check_vector("b", model.b(0), vector(ref.at("b" + after)));
    }
  }
}

TEST_CASE("reference steps: the ReLU SAE's loss, gradients and trainer steps match PyTorch") {
  for (const char* name : {"sae_unit", "sae_weighted"}) {
    CAPTURE(name);
    const Json& ref = fixture().at(name);
    const SaeConfig config = SaeConfig::from_json(ref.at("config"));
    const int d = config.input_dim, L = config.n_latents;
    SaeTrainer trainer(config, std::shared_ptr<SaeData>(make_sae_data(config)));
    Sae& sae = trainer.sae();
    REQUIRE(sae.unit_norm_decoder() == (config.decoder_norm == "unit"));
    sae.W_enc_t() = matrix(ref.at("W_enc")).transpose();
    sae.b_enc() = vector(ref.at("b_enc"));
    sae.W_dec() = matrix(ref.at("W_dec"));
    sae.b_dec() = vector(ref.at("b_dec"));
    const Mat X = matrix(ref.at("x")).transpose();  // (d, B)

    // The objective at the full λ, and its gradient.
    std::vector<float> grad(sae.params().size());
    SaeStepContext ctx;
    ctx.l1 = config.l1;
    const SaeLoss loss = sae.loss(X, grad.data(), ctx);
    check_scalar("loss", loss.total, ref.at("loss").get<double>());
    check_scalar("mse", loss.mse, ref.at("mse").get<double>());
    check_scalar("l0", loss.l0, ref.at("l0").get<double>());
    check_matrix("dL/dW_enc", ConstMatMap(grad.data(), d, L).transpose(), matrix(ref.at("grad_W_enc")));
    check_vector("dL/db_enc", ConstVecMap(grad.data() + sae.off_b_enc(), L), vector(ref.at("grad_b_enc")));
    check_matrix("dL/dW_dec", ConstMatMap(grad.data() + sae.off_W_dec(), d, L), matrix(ref.at("grad_W_dec")));
    check_vector("dL/db_dec", ConstVecMap(grad.data() + sae.off_b_dec(), d), vector(ref.at("grad_b_dec")));

    // Two trainer steps on the same batch: λ and lr schedules, projection, Adam, renormalising.
    for (int step = 1; step <= 2; ++step) {
      CAPTURE(step);
      trainer.train_on(X);
      const std::string after = "_after_" + std::to_string(step);
      check_matrix("W_enc", Mat(sae.W_enc_t().transpose()), matrix(ref.at("W_enc" + after)));
      check_vector("b_enc", sae.b_enc(), vector(ref.at("b_enc" + after)));
      check_matrix("W_dec", sae.W_dec(), matrix(ref.at("W_dec" + after)));
      check_vector("b_dec", sae.b_dec(), vector(ref.at("b_dec" + after)));
    }
  }
}

}  // namespace test_reference_steps
