// Grokking: config validation, the split, the Fourier readouts, seeded reproducibility, and the
// paper-level behaviours on small configs fast enough for the wasm suite:
//   - a small preset groks (memorises first, then test accuracy ≥ 99%);
//   - without weight decay and with a small train fraction it memorises and stays there;
//   - in the residual model after grokking, ablating the MLP path drops test accuracy to chance
//     while ablating the direct path does not.
// The full default preset (p = 97, width 500, 30%) is checked by tests/cli/grok.sh.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/check.hpp"
#include "grok/grok_fourier.hpp"
#include "grok/grok_run.hpp"
#include "session/grok_session.hpp"
#include "tolerance.hpp"

namespace test_grok {

using namespace superpose;

namespace {
std::string config_error(const std::string& json) {
  try {
    GrokConfig::from_json(parse_json(json));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// A small preset that groks in a few hundred epochs (p = 31, width 64, half the pairs).
GrokConfig small_grokking() {
  GrokConfig c;
  c.p = 31;
  c.width = 64;
  c.train_fraction = 0.5;
  c.lr = 3e-3;
  c.weight_decay = 1;
  c.epochs = 400;
  c.eval_every = 10;
  return c;
}
}  // namespace

TEST_CASE("grok config: documented defaults, and errors naming the field, range and value") {
  const GrokConfig c;
  CHECK(c.p == 97);
  CHECK(c.width == 500);
  CHECK(c.train_fraction == 0.3);
  CHECK(c.lr == 1e-3);
  CHECK(c.weight_decay == 1);
  CHECK(c.epochs == 1000);
  CHECK(c.model == "mlp");
  CHECK(c.loss == "mse");
  CHECK(c.n_train() == 2823);
  CHECK(GrokConfig::from_json(parse_json("{}")).to_json() == c.to_json());
  CHECK(config_error(R"({"p": 1})") == "p must be in [2, 257] (got 1)");
  CHECK(config_error(R"({"width": 0})") == "width must be in [1, 4096] (got 0)");
  CHECK(config_error(R"({"train_fraction": 1})") == "train_fraction must be in (0, 1) (got 1)");
  CHECK(config_error(R"({"train_fraction": 0.01, "p": 5})").rfind("train_fraction × p² must round", 0) == 0);
  CHECK(config_error(R"({"weight_decay": -1})") == "weight_decay must be in [0, 10] (got -1)");
  CHECK(config_error(R"({"lr": 0})") == "lr must be in (0, 10] (got 0)");
  CHECK(config_error(R"({"epochs": 0})") == "epochs must be in [1, 1000000] (got 0)");
  CHECK(config_error(R"({"model": "transformer"})") == "model must be one of mlp, residual (got \"transformer\")");
  CHECK(config_error(R"({"loss": "l1"})") == "loss must be one of mse, ce (got \"l1\")");
  CHECK(config_error(R"({"p": 2.5})").find("p") != std::string::npos);
  CHECK(config_error(R"({"bogus": 1})").find("bogus") != std::string::npos);
  CHECK(config_error(R"({"p": 257, "width": 4096})").rfind("p² × width", 0) == 0);
}

TEST_CASE("the split covers every pair once, with answers (a + b) mod p, seeded") {
  GrokConfig c;
  c.p = 13;
  c.train_fraction = 0.4;
  const GrokSplit s = make_split(c);
  CHECK(s.train.size() == c.n_train());
  CHECK(s.train.size() + s.test.size() == 169);
  std::set<int> seen;
  for (const PairSet* set : {&s.train, &s.test})
    for (int n = 0; n < set->size(); ++n) {
      CHECK(set->y[n] == (set->a[n] + set->b[n]) % 13);
      seen.insert(set->a[n] * 13 + set->b[n]);
    }
  CHECK(seen.size() == 169);
  CHECK(make_split(c).train.a == s.train.a);
  c.seed = 1;
  CHECK(make_split(c).train.a != s.train.a);
}

TEST_CASE("Fourier readouts: a wave per row is one spike; the spectrum sums to 1") {
  const int p = 11, rows = 3;
  Mat E(rows, 2 * p);
  const int freq[rows] = {2, 5, 2};
  for (int r = 0; r < rows; ++r)
    for (int t = 0; t < p; ++t) {
      E(r, t) = std::cos(2 * M_PI * freq[r] * t / p + r);
      E(r, p + t) = 0.5f * std::sin(2 * M_PI * freq[r] * t / p);
    }
  const Mat power = fourier_power(E, p);
  CHECK(power.rows() == rows);
  CHECK(power.cols() == p / 2 + 1);
  // Parseval: Σ_k power[row, k] = p ‖row‖²
  for (int r = 0; r < rows; ++r) CHECK(power.row(r).sum() == doctest::Approx(p * E.row(r).squaredNorm()).epsilon(1e-4));
  CHECK(fourier_concentration(power) == doctest::Approx(1).epsilon(1e-4));
  CHECK(dominant_frequencies(power) == std::vector<int>{2, 5, 2});
  const Vec s = fourier_spectrum(power);
  CHECK(s.sum() == doctest::Approx(1).epsilon(1e-5));
  CHECK(top_frequencies(s, 2) == std::vector<int>{2, 5});
  CHECK(s[2] > s[5]);
  CHECK(s[1] < 1e-5f);
  // Random rows spread over all frequencies.
  Rng rng(1);
  Mat R(50, 2 * p);
  for (Eigen::Index i = 0; i < R.size(); ++i) R.data()[i] = static_cast<float>(rng.normal());
  CHECK(fourier_concentration(fourier_power(R, p)) < 0.6);
}

TEST_CASE("seeded grok runs are reproducible; another seed differs") {
  GrokConfig c = small_grokking();
  c.eval_every = 5;
  GrokRun a(c), b(c);
  a.train(30);
  b.train(30);
  REQUIRE(a.history().size() == 6);
  CHECK(a.params() == b.params());
  for (std::size_t i = 0; i < a.history().size(); ++i) {
    CHECK(a.history()[i].epoch == 5 * static_cast<int64_t>(i));
    CHECK(a.history()[i].test_loss == b.history()[i].test_loss);
    CHECK(a.history()[i].train_acc == b.history()[i].train_acc);
  }
  a.reset();
  a.train(30);
  CHECK(a.params() == b.params());
  c.seed = 1;
  GrokRun other(c);
  other.train(30);
  CHECK(other.params() != b.params());
}

TEST_CASE("a small preset groks: memorises first, then test accuracy reaches 99%") {
  GrokRun run(small_grokking());
  run.train(400);
  run.record();
  const GrokPoint& last = run.history().back();
  INFO("train " << last.train_acc << ", test " << last.test_acc);
  CHECK(last.epoch == 400);
  CHECK(last.train_acc == 1.0);
  CHECK(last.test_acc >= 0.99);
  REQUIRE(run.epoch_train_100());
  REQUIRE(run.epoch_test_50());
  REQUIRE(run.epoch_test_99());
  CHECK(*run.epoch_train_100() < *run.epoch_test_50());  // the grokking gap
  CHECK(*run.epoch_test_99() <= 400);
  // Early on, the training set is fit and the test set is not.
  bool gap = false;
  for (const GrokPoint& h : run.history()) gap = gap || (h.train_acc > 0.9 && h.test_acc < 0.3);
  CHECK(gap);
  // Generalising makes the embedding's rows waves: most norm at each row's own frequency.
  CHECK(fourier_concentration(run.fourier_power()) > 0.7);
}

TEST_CASE("without weight decay and with a small train fraction, the model memorises only") {
  GrokConfig c = small_grokking();
  c.train_fraction = 0.3;
  c.weight_decay = 0;
  GrokRun run(c);
  run.train(400);
  run.record();
  const GrokPoint& last = run.history().back();
  INFO("train " << last.train_acc << ", test " << last.test_acc);
  CHECK(last.train_acc == 1.0);
  CHECK(last.test_acc < 0.1);
  CHECK(!run.epoch_test_50());
  CHECK(fourier_concentration(run.fourier_power()) < 0.4);
}

TEST_CASE("residual model after grokking: ablating the MLP path drops test accuracy to chance") {
  GrokConfig c;
  c.model = "residual";
  c.p = 23;
  c.width = 64;
  c.d_model = 32;
  c.train_fraction = 0.6;
  c.lr = 3e-3;
  c.eval_every = 50;
  GrokRun run(c);
  run.train(700);
  const auto paths = run.paths();
  REQUIRE(paths);
  const double chance = 1.0 / c.p;
  INFO("clean " << paths->clean.accuracy << "; direct/mlp contributions "
                << paths->direct_contribution << "/" << paths->mlp_contribution);
  CHECK(paths->clean.accuracy >= 0.99);
  CHECK(paths->mlp_contribution > paths->direct_contribution + 0.3);
  for (int mode = 0; mode < 3; ++mode) {
    INFO("mode " << std::string(kGrokAblationNames[mode]) << ": mlp ablated " << paths->ablated[1][mode].accuracy
                 << ", direct ablated " << paths->ablated[0][mode].accuracy);
    CHECK(paths->ablated[1][mode].accuracy < 2.5 * chance);
    CHECK(paths->ablated[0][mode].accuracy > 0.5);  // far above chance
  }
  CHECK(!GrokRun(small_grokking()).paths());  // the MLP has no paths to ablate
}

TEST_CASE("a grok session: one step is one epoch; documented buffers") {
  auto s = make_session("grok");
  const Json config = s->configure(parse_json(R"({"p": 11, "width": 16, "epochs": 30, "eval_every": 4})"));
  CHECK(config["p"] == 11);
  CHECK(config["steps"] == 30);
  CHECK(s->configure(config)["p"] == 11);  // the answer is accepted back (steps ignored)
  Json answer = s->step(10);
  CHECK(answer["step"] == 10);
  CHECK(answer["done"] == false);
  CHECK(answer["loss"].size() == 1);
  const auto& b = s->buffers();
  // the history as named columns, one value per point: epochs 0, 4, 8
  for (const char* name : {"history_epoch", "history_train_acc", "history_test_acc",
                           "history_train_loss", "history_test_loss", "history_weight_norm"})
    CHECK(b.at(name).shape == std::vector<int>{3});
  CHECK(b.at("history_epoch").data == std::vector<float>{0, 4, 8});
  CHECK(b.at("history_train_loss").data[2] == doctest::Approx(static_cast<GrokSession&>(*s).run()->history()[2].train_loss));
  CHECK(b.at("history_weight_norm").data[1] == doctest::Approx(static_cast<GrokSession&>(*s).run()->history()[1].weight_norm));
  CHECK(b.count("history") == 0);
  CHECK(b.at("thresholds").shape == std::vector<int>{3});
  CHECK(b.at("spectrum").shape == std::vector<int>{6});
  CHECK(b.at("row_spectrum").shape == std::vector<int>{16, 6});
  CHECK(b.at("top_frequencies").shape == std::vector<int>{5});
  CHECK(b.at("fourier_concentration").shape == std::vector<int>{1});
  CHECK(b.at("epoch").data[0] == 10);
  CHECK(b.count("ablation") == 0);
  CHECK(s->step(100)["done"] == true);  // stops at its own end
  CHECK(s->step(5)["step"] == 30);
  CHECK_THROWS_AS(s->configure(parse_json(R"({"p": 0})")), std::invalid_argument);
  CHECK(s->buffers().at("epoch").data[0] == 30);  // a bad config keeps the running experiment

  s->configure(parse_json(R"({"model": "residual", "p": 7, "width": 8, "d_model": 4})"));
  s->step(2);
  CHECK(s->buffers().at("ablation").shape == std::vector<int>{2, 3});
  CHECK(s->buffers().at("contributions").shape == std::vector<int>{2});
  CHECK(s->buffers().at("row_spectrum").shape == std::vector<int>{4, 4});
}

TEST_CASE("divergence stops training with a message and keeps the previous state") {
  GrokConfig c;
  c.p = 7;
  c.width = 8;
  GrokRun run(c);
  run.train(2);
  const std::vector<float> before = run.params();
  const auto history = run.history().size();
  run.train(1);
  // As if epoch 3 had overflowed: its square overflows, so the loss at this state is not finite.
  run.params()[0] = 1e30f;
  CHECK_THROWS_WITH_AS(run.train(1), doctest::Contains("training diverged at step 3 (epoch 3)"), Diverged);
  // The last state whose loss was finite: before epoch 3.
  CHECK(run.params() == before);
  CHECK(run.epoch() == 2);
  CHECK(run.history().size() == history);
  CHECK_NOTHROW(run.train(1));  // and training goes on from there
}

}  // namespace test_grok
