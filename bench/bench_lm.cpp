// Benchmark (not a test): training steps/s and tokens/s of the language model (lm/), default
// config (2 layers, d_model 64, 4 heads, context 24, batch 64) unless flags say otherwise, on a
// fixed stream of random tokens (vocab 80; the data does not change the step's cost), and where
// the time goes: forward, backward and the AdamW update, each timed over the same steps.
// Wall time by default; `--clock cpu` (native) times this thread's CPU time instead, which a
// machine shared with other jobs inflates less.
//   bench_lm [--steps S=200] [--vocab V=80] [--layers L] [--d-model D] [--heads H]
//            [--context T] [--batch B] [--clock wall|cpu] [--json]
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
  int steps = 200, V = 80;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&] { return std::atoi(argv[++i]); };
    if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = next();
    else if (!std::strcmp(argv[i], "--vocab") && i + 1 < argc) V = next();
    else if (!std::strcmp(argv[i], "--layers") && i + 1 < argc) c.n_layers = next();
    else if (!std::strcmp(argv[i], "--d-model") && i + 1 < argc) c.d_model = next();
    else if (!std::strcmp(argv[i], "--heads") && i + 1 < argc) c.n_heads = next();
    else if (!std::strcmp(argv[i], "--context") && i + 1 < argc) c.context = next();
    else if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) c.batch_size = next();
    else if (!std::strcmp(argv[i], "--clock") && i + 1 < argc) g_cpu_clock = !std::strcmp(argv[++i], "cpu");
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: bench_lm [--steps S] [--vocab V] [--layers L] [--d-model D] "
                           "[--heads H] [--context T] [--batch B] [--clock wall|cpu] [--json]\n");
      return 2;
    }
  }
  c.steps = steps + 20;
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
  for (int i = 0; i < 20; ++i) trainer.step(xs[i % 8].data(), ys[i % 8].data());  // warm-up
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
  const double sps = steps / total;
  if (json)
    std::printf("{\"workload\":\"lm L=%d d=%d H=%d T=%d B=%d V=%d\",\"target\":\"%s\",\"simd\":\"%s\","
                "\"params\":%zu,\"steps_per_second\":%.2f,\"tokens_per_second\":%.0f,"
                "\"forward_ms\":%.3f,\"backward_ms\":%.3f,\"update_ms\":%.3f,\"loss\":%.4f,"
                "\"clock\":\"%s\"}\n",
                c.n_layers, c.d_model, c.n_heads, T, B, V, target, simd_arch_name(), m.n_params(),
                sps, sps * B * T, 1e3 * fwd / steps, 1e3 * bwd / steps, 1e3 * upd / steps, loss, g_cpu_clock ? "cpu" : "wall");
  else
    std::printf("lm L=%d d=%d H=%d T=%d B=%d V=%d (%zu parameters), %s (%s): %.1f steps/s, "
                "%.0f tokens/s; per step forward %.2f ms, backward %.2f ms, AdamW %.2f ms (%s clock)\n",
                c.n_layers, c.d_model, c.n_heads, T, B, V, m.n_params(), target, simd_arch_name(),
                sps, sps * B * T, 1e3 * fwd / steps, 1e3 * bwd / steps, 1e3 * upd / steps,
                g_cpu_clock ? "cpu" : "wall");
  return 0;
}
