// Hook points of the language model (lm/lm_hooks.hpp, lm/transformer.hpp): what a record
// holds (each point equals the sums the architecture defines), that recording changes nothing,
// and the semantics of zero / set / add for a whole hook, one head, chosen positions, one batch
// row, checked through equivalences that hold by construction (zeroing every head's result =
// keeping only b_O in attn_out; zeroing one head's z = zeroing its result = zeroing its
// pattern; adding to the last stream at t moves only position t's logits, by the lens of the
// moved stream).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "lm/logit_lens.hpp"
#include "lm/transformer.hpp"
#include "tolerance.hpp"

namespace test_lm_hooks {

using namespace superpose;

namespace {
constexpr int V = 13, T = 7, C = 16, H = 4;

Transformer model() {
  LmConfig c;
  c.n_layers = 2;
  c.d_model = C;
  c.n_heads = H;
  c.context = 8;
  c.batch_size = 2;
  Transformer m(c, V);
  Rng rng(21);  // larger weights than GPT-2's init, so every head matters
  for (float& x : m.params()) x += static_cast<float>(0.2 * rng.normal());
  return m;
}

const std::vector<int32_t> kTokens = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7};  // (2, 7)

std::vector<float> logits_of(Transformer& m, const HookSpec* spec = nullptr, HookRecords* rec = nullptr, int B = 2) {
  m.forward(kTokens.data(), nullptr, B, T, spec, rec);
  return std::vector<float>(m.activations().logits, m.activations().logits + std::size_t(B) * T * V);
}

double max_diff(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::fmax(d, std::fabs(a[i] - b[i]));
  return d;
}

HookEdit edit(std::string hook, HookOp op, int head = -1, std::vector<int> positions = {},
              std::vector<float> vector = {}) {
  HookEdit e;
  e.hook = std::move(hook);
  e.op = op;
  e.head = head;
  e.positions = std::move(positions);
  e.vector = std::move(vector);
  return e;
}
}  // namespace

TEST_CASE("lm hooks: every hook point, in forward order, with its shape") {
  const auto names = hook_names(2);
  CHECK(names.size() == 2 + 9 * 2 + 1);
  CHECK(names.front() == "hook_embed");
  CHECK(names[2] == "blocks.0.hook_resid_pre");
  CHECK(names.back() == "ln_final.hook_scale");
  Transformer m = model();
  HookSpec spec;
  spec.record = names;
  HookRecords rec;
  m.forward(kTokens.data(), nullptr, 2, T, &spec, &rec);
  CHECK(rec.size() == names.size());
  CHECK(rec.at("blocks.1.attn.hook_pattern").shape == std::vector<int>{2, H, T, T});
  CHECK(rec.at("blocks.1.attn.hook_result").shape == std::vector<int>{2, T, H, C});
  CHECK(rec.at("blocks.0.attn.hook_z").shape == std::vector<int>{2, T, H, C / H});
  CHECK(rec.at("blocks.0.mlp.hook_post").shape == std::vector<int>{2, T, 4 * C});
  CHECK(rec.at("ln_final.hook_scale").shape == std::vector<int>{2, T, 1});
  CHECK(rec.at("blocks.0.hook_resid_post").shape == std::vector<int>{2, T, C});
}

TEST_CASE("lm hooks: records hold the architecture's sums, and recording changes no logit") {
  Transformer m = model();
  const auto plain = logits_of(m);
  HookSpec spec;
  spec.record = hook_names(2);
  HookRecords rec;
  const auto recorded = logits_of(m, &spec, &rec);
  // hook_result's per-head sum differs from the one c_proj product only in rounding
  CHECK(max_diff(plain, recorded) < 1e-5);
  spec.record = {"blocks.0.hook_resid_mid", "blocks.1.attn.hook_pattern"};  // no hook_result
  CHECK(logits_of(m, &spec, &rec) == plain);  // bit-identical
  spec.record = hook_names(2);
  logits_of(m, &spec, &rec);
  auto v = [&](const std::string& n) { return rec.at(n).data; };
  const std::size_t NC = 2 * T * C;
  const LmParams& p = m.weights();
  for (std::size_t i = 0; i < NC; ++i) {
    CHECK(v("blocks.0.hook_resid_pre")[i] == v("hook_embed")[i] + v("hook_pos_embed")[i]);
    CHECK(v("hook_embed")[i] == p.wte[kTokens[i / C] * C + i % C]);
    for (int l = 0; l < 2; ++l) {
      const std::string b = "blocks." + std::to_string(l) + ".";
      CHECK(v(b + "hook_resid_mid")[i] == v(b + "hook_resid_pre")[i] + v(b + "hook_attn_out")[i]);
      CHECK(v(b + "hook_resid_post")[i] == v(b + "hook_resid_mid")[i] + v(b + "hook_mlp_out")[i]);
      double sum = p.h[l].attn_proj_b[i % C];
      for (int h = 0; h < H; ++h) sum += v(b + "attn.hook_result")[(i / C * H + h) * C + i % C];
      CHECK(std::fabs(v(b + "hook_attn_out")[i] - sum) < 1e-5);
    }
    CHECK(v("blocks.1.hook_resid_pre")[i] == v("blocks.0.hook_resid_post")[i]);
  }
  // the pattern is causal and its rows sum to 1; the final LayerNorm's scale is sqrt(var + eps)
  const auto& pat = v("blocks.1.attn.hook_pattern");
  for (int row = 0; row < 2 * H * T; ++row) {
    double s = 0;
    for (int t2 = 0; t2 < T; ++t2) {
      s += pat[row * T + t2];
      if (t2 > row % T) CHECK(pat[row * T + t2] == 0.f);
    }
    CHECK(std::fabs(s - 1) < 1e-6);
  }
  const auto& post = v("blocks.1.hook_resid_post");
  double mean = 0, var = 0;
  for (int i = 0; i < C; ++i) mean += post[3 * C + i] / C;
  for (int i = 0; i < C; ++i) var += (post[3 * C + i] - mean) * (post[3 * C + i] - mean) / C;
  CHECK(std::fabs(v("ln_final.hook_scale")[3] - std::sqrt(var + 1e-5)) < 1e-5);
}

TEST_CASE("lm hooks: zeroing every head's result = attn_out set to b_O; one head's z = its result = its pattern") {
  Transformer m = model();
  HookSpec all_heads;
  all_heads.edits = {edit("blocks.0.attn.hook_result", HookOp::zero)};
  const auto a = logits_of(m, &all_heads);
  HookSpec bias_only;
  const float* b_O = m.weights().h[0].attn_proj_b;
  bias_only.edits = {edit("blocks.0.hook_attn_out", HookOp::set, -1, {}, std::vector<float>(b_O, b_O + C))};
  const auto b = logits_of(m, &bias_only);
  CHECK(max_diff(a, b) < 1e-6);
  CHECK(max_diff(a, logits_of(m)) > 1e-2);  // and the ablation matters

  for (int head : {0, 3}) {
    HookSpec z, result, pattern;
    z.edits = {edit("blocks.1.attn.hook_z", HookOp::zero, head)};
    result.edits = {edit("blocks.1.attn.hook_result", HookOp::zero, head)};
    pattern.edits = {edit("blocks.1.attn.hook_pattern", HookOp::zero, head)};
    const auto lz = logits_of(m, &z), lr = logits_of(m, &result), lp = logits_of(m, &pattern);
    INFO("head " << head);
    CHECK(max_diff(lz, lr) < 1e-5);
    CHECK(lz == lp);  // a zero pattern row mixes zero values: bit-identical z
    CHECK(max_diff(lz, logits_of(m)) > 1e-3);
  }
  // zeroing heads one by one, all four, equals zeroing them all at once
  HookSpec each;
  for (int h = 0; h < H; ++h) each.edits.push_back(edit("blocks.0.attn.hook_result", HookOp::zero, h));
  CHECK(logits_of(m, &each) == a);
}

TEST_CASE("lm hooks: add (steering) at chosen positions; set (mean ablation) with a slice mean") {
  Transformer m = model();
  const auto plain = logits_of(m);
  std::vector<float> dir(C);
  for (int i = 0; i < C; ++i) dir[i] = 0.5f * std::sin(1.0f + i);
  // at the last stream, position 4 of both sequences: only those logits move, as the lens says
  HookSpec spec;
  spec.edits = {edit("blocks.1.hook_resid_post", HookOp::add, -1, {4}, dir)};
  spec.record = {"blocks.1.hook_resid_post"};
  HookRecords rec;
  const auto steered = logits_of(m, &spec, &rec);
  const auto& post = rec.at("blocks.1.hook_resid_post").data;  // recorded after the edit
  for (int b = 0; b < 2; ++b)
    for (int t = 0; t < T; ++t) {
      const std::size_t at = (std::size_t(b) * T + t) * V;
      const std::vector<float> got(steered.begin() + at, steered.begin() + at + V);
      const std::vector<float> before(plain.begin() + at, plain.begin() + at + V);
      INFO("b " << b << ", t " << t);
      if (t == 4) {
        CHECK(max_diff(got, lens_logits(m, post.data() + (b * T + t) * C, 1)) < 1e-5);
        CHECK(max_diff(got, before) > 1e-2);
      } else {
        CHECK(got == before);
      }
    }
  // one batch row: sequence 1's logits at t = 4 move as before, sequence 0's not at all
  HookEdit row = edit("blocks.1.hook_resid_post", HookOp::add, -1, {4}, dir);
  row.batch = 1;
  spec.edits = {row};
  spec.record.clear();
  const auto one_row = logits_of(m, &spec);
  for (std::size_t i = 0; i < one_row.size(); ++i)
    CHECK(one_row[i] == (i >= std::size_t(T) * V ? steered[i] : plain[i]));

  // earlier in the stream, an addition at t moves positions ≥ t only (causality)
  spec.edits = {edit("blocks.0.hook_resid_mid", HookOp::add, -1, {2, 5}, dir)};
  spec.record.clear();
  const auto early = logits_of(m, &spec);
  for (int t = 0; t < T; ++t) {
    const std::vector<float> got(early.begin() + t * V, early.begin() + (t + 1) * V);
    const std::vector<float> before(plain.begin() + t * V, plain.begin() + (t + 1) * V);
    CHECK((got == before) == (t < 2));
  }

  // mean ablation of head 2's z: the slice mean over batch and positions, set everywhere
  HookSpec read;
  read.record = {"blocks.0.attn.hook_z"};
  logits_of(m, &read, &rec);
  const HookRecord z = rec.at("blocks.0.attn.hook_z");
  const auto mean = slice_mean(z, 2);
  REQUIRE(mean.size() == std::size_t(C / H));
  double want = 0;
  for (int n = 0; n < 2 * T; ++n) want += z.data[(n * H + 2) * (C / H) + 1];
  CHECK(std::fabs(mean[1] - want / (2 * T)) < 1e-6);
  HookSpec ablate;
  ablate.edits = {edit("blocks.0.attn.hook_z", HookOp::set, 2, {}, mean)};
  ablate.record = {"blocks.0.attn.hook_z"};
  logits_of(m, &ablate, &rec);
  const auto& after = rec.at("blocks.0.attn.hook_z").data;
  for (int n = 0; n < 2 * T; ++n)
    for (int h = 0; h < H; ++h)
      for (int i = 0; i < C / H; ++i) {
        const std::size_t at = (n * H + h) * (C / H) + i;
        CHECK(after[at] == (h == 2 ? mean[i] : z.data[at]));
      }
  CHECK_THROWS_AS(slice_mean(z), std::invalid_argument);  // a hook with heads needs a head
}

TEST_CASE("lm hooks: bad specs are refused by name; backward refuses to follow an edit") {
  Transformer m = model();
  auto refuses = [&](HookEdit e, const char* message) {
    HookSpec spec;
    spec.edits = {std::move(e)};
    CHECK_THROWS_WITH_AS(m.forward(kTokens.data(), nullptr, 2, T, &spec), message, std::invalid_argument);
  };
  refuses(edit("blocks.2.hook_resid_pre", HookOp::zero),
          "unknown hook \"blocks.2.hook_resid_pre\" (hooks: hook_embed, hook_pos_embed, blocks.{l}.… for l in [0, 1], ln_final.hook_scale)");
  refuses(edit("blocks.0.hook_resid_pre", HookOp::zero, 1),
          "hook edit on \"blocks.0.hook_resid_pre\": the hook has no head axis (head must be -1)");
  refuses(edit("blocks.0.attn.hook_z", HookOp::zero, 4),
          "hook edit on \"blocks.0.attn.hook_z\": head must be in [0, 3] (got 4)");
  refuses(edit("blocks.0.hook_mlp_out", HookOp::zero, -1, {7}),
          "hook edit on \"blocks.0.hook_mlp_out\": position must be in [0, 6] (got 7)");
  HookEdit row = edit("blocks.0.hook_mlp_out", HookOp::zero);
  row.batch = 2;
  refuses(row, "hook edit on \"blocks.0.hook_mlp_out\": batch row must be in [0, 1] (got 2)");
  refuses(edit("blocks.0.hook_mlp_out", HookOp::add, -1, {}, std::vector<float>(3)),
          "hook edit on \"blocks.0.hook_mlp_out\": vector must have 16 values (got 3)");
  refuses(edit("ln_final.hook_scale", HookOp::zero), "hook edit on \"ln_final.hook_scale\": the hook is record-only");
  HookSpec unknown_record;
  unknown_record.record = {"hook_logits"};
  CHECK_THROWS_AS(m.forward(kTokens.data(), nullptr, 2, T, &unknown_record), std::invalid_argument);

  const std::vector<int32_t> y(2 * T, 1);
  HookSpec ablate;
  ablate.edits = {edit("blocks.0.hook_mlp_out", HookOp::zero)};
  m.forward(kTokens.data(), y.data(), 2, T, &ablate);
  CHECK_THROWS_AS(m.backward(), std::logic_error);
  HookSpec read;
  read.record = {"blocks.0.hook_mlp_out"};
  m.forward(kTokens.data(), y.data(), 2, T, &read);
  m.backward();  // a record does not change the forward
}

}  // namespace test_lm_hooks
