// A language model's activations as SAE data (lm/lm_activations.hpp): which hooks an SAE may
// read; every column of a collected set equals a direct forward's record of that window at that
// position, with the stream's token and label bits beside it; the windows are the seed's and
// differ between splits; LmActivationData serves the train set's columns and the held-out set's
// first columns, reproducibly.
#include <doctest/doctest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "lm/lm_activations.hpp"
#include "lm/toy_world.hpp"

#include "lm_fixture.hpp"

namespace test_lm_activations {

using namespace superpose;

namespace {
LmConfig small_config() { return test::small_lm_config(); }
const Corpus& small_world() { return test::small_toy_world(); }
Transformer small_model() { return test::perturbed_small_model(3, 0.1); }

bool throws_naming(const std::string& hook, const std::string& text) {
  try {
    sae_hook_dim(hook, small_config());
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    return what.find(hook) != std::string::npos && what.find(text) != std::string::npos;
  }
  return false;
}
}  // namespace

TEST_CASE("lm activations: the hooks an SAE can read and their widths") {
  const LmConfig c = small_config();
  CHECK(sae_hook_dim("blocks.0.hook_resid_post", c) == 16);
  CHECK(sae_hook_dim("blocks.1.hook_resid_pre", c) == 16);
  CHECK(sae_hook_dim("blocks.1.hook_attn_out", c) == 16);
  CHECK(sae_hook_dim("blocks.0.hook_mlp_out", c) == 16);
  CHECK(sae_hook_dim("blocks.0.hook_resid_mid", c) == 16);
  CHECK(sae_hook_dim("blocks.1.mlp.hook_post", c) == 64);
  const std::vector<std::string> names = sae_hook_names(2);
  CHECK(names.size() == 12);
  for (const std::string& n : names) CHECK_NOTHROW(sae_hook_dim(n, c));
  // a head axis, the pattern, the embeddings, a block the model lacks, nonsense: refused by name
  CHECK(throws_naming("blocks.0.attn.hook_z", "allowed"));
  CHECK(throws_naming("blocks.0.attn.hook_pattern", "blocks.{l}.hook_resid_post"));
  CHECK(throws_naming("hook_embed", "l in [0, 1]"));
  CHECK(throws_naming("blocks.2.hook_resid_post", "allowed"));
  CHECK(throws_naming("resid_post", "allowed"));
}

TEST_CASE("lm activations: each column is a direct forward's record at that window and position") {
  Transformer m = small_model();
  const Corpus& corpus = small_world();
  const std::string hook = "blocks.0.hook_resid_post";
  // 70 windows: two chunks (64 + 6), so a chunk boundary is crossed
  const LmActivationSet set = collect_activations(m, corpus, hook, Split::train, 70, 7);
  const int T = 8, D = 16;
  REQUIRE(set.T == T);
  REQUIRE(set.windows() == 70);
  REQUIRE(set.size() == 70 * T);
  REQUIRE(set.dim() == D);
  REQUIRE(set.tokens.size() == std::size_t(70 * T));
  REQUIRE(set.labels.size() == std::size_t(70 * T));
  CHECK(set.hook == hook);
  CHECK(set.split == Split::train);

  // the windows are Corpus::sample_batch's from Rng(seed, 5)
  Rng rng(7, 5);
  std::vector<int32_t> x(70 * T), y(70 * T);
  std::vector<int64_t> starts(70);
  corpus.sample_batch(rng, 70, T, x.data(), y.data(), Split::train, starts.data());
  CHECK(set.starts == starts);
  CHECK(set.tokens == x);

  HookSpec spec;
  spec.record.push_back(hook);
  int checked = 0;
  for (int w : {0, 1, 63, 64, 69}) {
    const int64_t s = set.starts[w];
    const std::vector<int32_t> window(corpus.train.begin() + s, corpus.train.begin() + s + T);
    HookRecords rec;
    m.forward(window.data(), nullptr, 1, T, &spec, &rec);
    const std::vector<float>& r = rec.at(hook).data;  // (1, T, D)
    for (int t = 0; t < T; ++t) {
      const int n = w * T + t;
      CHECK(set.tokens[n] == corpus.train[s + t]);
      CHECK(set.labels[n] == corpus.train_labels[s + t]);
      for (int i = 0; i < D; ++i) {
        CHECK(set.X(i, n) == doctest::Approx(r[t * D + i]).epsilon(1e-5));
        ++checked;
      }
    }
  }
  CHECK(checked == 5 * T * D);

  // another hook of another width, the held-out split: its own windows, labels from its stream
  const LmActivationSet post = collect_activations(m, corpus, "blocks.1.mlp.hook_post", Split::heldout, 3, 7);
  CHECK(post.dim() == 64);
  CHECK(post.split == Split::heldout);
  CHECK(post.starts != std::vector<int64_t>(set.starts.begin(), set.starts.begin() + 3));
  for (int w = 0; w < 3; ++w)
    for (int t = 0; t < T; ++t)
      CHECK(post.labels[w * T + t] == corpus.heldout_labels[post.starts[w] + t]);

  // the same seed: the same bits; bad requests refused by name
  const LmActivationSet again = collect_activations(m, corpus, hook, Split::train, 70, 7);
  CHECK(again.starts == set.starts);
  CHECK(again.X == set.X);
  CHECK_THROWS_WITH_AS(collect_activations(m, corpus, hook, Split::train, 0, 7),
                       doctest::Contains("windows"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(collect_activations(m, corpus, "blocks.0.attn.hook_z", Split::train, 1, 7),
                       doctest::Contains("blocks.0.attn.hook_z"), std::invalid_argument);
}

TEST_CASE("lm activations: SaeData serves train columns and the held-out set's first columns") {
  Transformer m = small_model();
  const Corpus& corpus = small_world();
  const std::string hook = "blocks.1.hook_resid_post";
  LmActivationSet train = collect_activations(m, corpus, hook, Split::train, 20, 1);
  LmActivationSet heldout = collect_activations(m, corpus, hook, Split::heldout, 4, 1);
  const Mat heldout_X = heldout.X, train_X = train.X;
  LmActivationData data(std::move(train), std::move(heldout), 9);
  CHECK(data.dim() == 16);
  CHECK(data.true_features().cols() == 0);

  const Mat h = data.held_out(10);
  CHECK(h == heldout_X.leftCols(10));
  const Mat wrap = data.held_out(40);  // 32 columns, then from the first again
  CHECK(wrap.col(35) == heldout_X.col(3));
  CHECK(data.held_out(10) == h);

  Mat a, b;
  data.sample(a, 50);
  REQUIRE(a.cols() == 50);
  for (int s = 0; s < 50; ++s) {
    bool found = false;
    for (int n = 0; n < train_X.cols() && !found; ++n) found = train_X.col(n) == a.col(s);
    CHECK(found);
  }
  data.sample(b, 50);
  CHECK(b != a);
  data.reset();
  data.sample(b, 50);
  CHECK(b == a);

  LmActivationSet other = collect_activations(m, corpus, "blocks.1.mlp.hook_post", Split::heldout, 1, 1);
  LmActivationSet t2 = collect_activations(m, corpus, hook, Split::train, 1, 1);
  CHECK_THROWS_WITH_AS(LmActivationData(std::move(t2), std::move(other), 0), doctest::Contains("differ"),
                       std::invalid_argument);
}

}  // namespace test_lm_activations
