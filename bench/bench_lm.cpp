// Benchmark W3 of ./scripts/bench (not a test): training steps/s and tokens/s of the language
// model (lm/), default config (2 layers, d_model 64, 4 heads, context 24, batch 64) unless flags
// say otherwise, on a fixed set of 8 batches of random tokens (vocab 75, the toy world's size;
// random tokens, not the toy world's text: the data does not change a step's cost), and where
// the time goes: forward, backward and the AdamW update, each timed over the same steps.
// Prints the median steps/s of `runs` timed runs of `steps` steps after a warm-up of 20 steps
// (the peer bench/peers/torch_w3.py trains the same count), with the split of that median run.
// Wall time by default; `--clock cpu` (native) times this thread's CPU time instead, which a
// machine shared with other jobs inflates less.
//   bench_lm [--runs R=5] [--steps S=100] [--vocab V=75] [--layers L] [--d-model D] [--heads H]
//            [--context T] [--batch B] [--clock wall|cpu] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "core/kernels.hpp"
#include "core/rng.hpp"
#include "lm/lm_trainer.hpp"

using namespace superpose;

namespace {
bool g_cpu_clock = false;
// Seconds on the chosen clock.
double now() {
  if (g_cpu_clock) {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  LmConfig c;
  int steps = 100, runs = 5, V = 75;
  const int warmup = 20;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&] { return std::atoi(argv[++i]); };
    if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = next();
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = next();
    else if (!std::strcmp(argv[i], "--vocab") && i + 1 < argc) V = next();
    else if (!std::strcmp(argv[i], "--layers") && i + 1 < argc) c.n_layers = next();
    else if (!std::strcmp(argv[i], "--d-model") && i + 1 < argc) c.d_model = next();
    else if (!std::strcmp(argv[i], "--heads") && i + 1 < argc) c.n_heads = next();
    else if (!std::strcmp(argv[i], "--context") && i + 1 < argc) c.context = next();
    else if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) c.batch_size = next();
    else if (!std::strcmp(argv[i], "--clock") && i + 1 < argc) g_cpu_clock = !std::strcmp(argv[++i], "cpu");
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: bench_lm [--runs R] [--steps S] [--vocab V] [--layers L] [--d-model D] "
                           "[--heads H] [--context T] [--batch B] [--clock wall|cpu] [--json]\n");
      return 2;
    }
  }
  if (steps < 1 || runs < 1 || V < 2) {
    std::fprintf(stderr, "bench_lm: --steps and --runs must be >= 1, --vocab >= 2\n");
    return 2;
  }
  c.steps = warmup + int64_t(runs) * steps;
  c.warmup_steps = 0;
#ifdef __EMSCRIPTEN__
  const char* target = "wasm";
#else
  const char* target = "native";
#endif
  const int B = c.batch_size, T = c.context;
  const std::size_t n = std::size_t(B) * (T + 1);
  // 8 batches of random windows, cycled
  std::vector<std::vector<int32_t>> xs(8), ys(8);
  Rng rng(1);
  for (int k = 0; k < 8; ++k) {
    std::vector<int32_t> w(n);
    for (auto& t : w) t = static_cast<int32_t>(rng.below(V));
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < T; ++t) {
        xs[k].push_back(w[b * (T + 1) + t]);
        ys[k].push_back(w[b * (T + 1) + t + 1]);
      }
  }
  LmTrainer trainer(c, V);
  Transformer& m = trainer.model();
  for (int i = 0; i < warmup; ++i) trainer.step(xs[i % 8].data(), ys[i % 8].data());
  struct Run { double sps, fwd, bwd, upd, loss; };
  std::vector<Run> rs;
  for (int r = 0; r < runs; ++r) {
    double fwd = 0, bwd = 0, upd = 0, loss = 0;
    const double start = now();
    for (int i = 0; i < steps; ++i) {
      const double t0 = now();
      m.zero_grad();
      loss = m.forward(xs[i % 8].data(), ys[i % 8].data(), B, T);
      const double t1 = now();
      m.backward();
      const double t2 = now();
      trainer.optimizer().step(m.params().data(), m.grads().data());
      const double t3 = now();
      fwd += t1 - t0;
      bwd += t2 - t1;
      upd += t3 - t2;
    }
    const double total = now() - start;
    rs.push_back({steps / total, 1e3 * fwd / steps, 1e3 * bwd / steps, 1e3 * upd / steps, loss});
  }
  std::sort(rs.begin(), rs.end(), [](const Run& a, const Run& b) { return a.sps < b.sps; });
  const Run& med = rs[rs.size() / 2];
  const double sps = med.sps;
  const double fwd = med.fwd, bwd = med.bwd, upd = med.upd, loss = med.loss;
  // The suite's workload name for the default model (the peer prints the same); any other size
  // is named by its shape.
  const bool is_default = c.n_layers == 2 && c.d_model == 64 && c.n_heads == 4 && T == 24 && B == 64 && V == 75;
  char name[96];
  if (is_default) std::snprintf(name, sizeof name, "W3 lm-2x64");
  else std::snprintf(name, sizeof name, "lm L=%d d=%d H=%d T=%d B=%d V=%d", c.n_layers, c.d_model, c.n_heads, T, B, V);
  if (json)
    std::printf("{\"workload\":\"%s\",\"target\":\"%s\",\"simd\":\"%s\",\"params\":%zu,"
                "\"steps_per_second\":%.2f,\"min\":%.2f,\"max\":%.2f,\"runs\":%d,\"steps\":%d,"
                "\"steps_trained\":%lld,\"tokens_per_second\":%.0f,\"forward_ms\":%.3f,"
                "\"backward_ms\":%.3f,\"update_ms\":%.3f,\"loss\":%.4f,\"clock\":\"%s\"}\n",
                name, target, simd_arch_name(), m.n_params(), sps, rs.front().sps, rs.back().sps, runs,
                steps, static_cast<long long>(c.steps), sps * B * T, fwd, bwd, upd, loss,
                g_cpu_clock ? "cpu" : "wall");
  else
    std::printf("%s L=%d d=%d H=%d T=%d B=%d V=%d (%zu parameters), %s (%s): %.1f steps/s "
                "(median of %d runs of %d steps, min %.1f, max %.1f), %.0f tokens/s; per step "
                "forward %.2f ms, backward %.2f ms, AdamW %.2f ms (%s clock)\n",
                name, c.n_layers, c.d_model, c.n_heads, T, B, V, m.n_params(), target, simd_arch_name(),
                sps, runs, steps, rs.front().sps, rs.back().sps, sps * B * T, fwd, bwd, upd,
                g_cpu_clock ? "cpu" : "wall");
  return 0;
}
