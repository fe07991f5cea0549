// Benchmark (not a test): time to grok. Trains the default grokking preset (issue 10: Gromov MLP,
// p = 97, width 500, 30% of the pairs, AdamW lr 1e-3, weight decay 1, MSE) as the page does:
// many short calls of one epoch each (V8 optimises wasm functions only between calls, toolchain
// notes item 11), test metrics every `--eval-every` epochs, and prints the wall time to 99% test
// accuracy, the epoch it happened at, and epochs/s.
//   bench_grok [--eval-every K=10] [--max-epochs E=1500] [--p P] [--width W] [--json]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/kernels.hpp"
#include "grok/grok_run.hpp"

using namespace superpose;

int main(int argc, char** argv) {
  GrokConfig c;
  c.eval_every = 10;
  int64_t max_epochs = 1500;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--eval-every") && i + 1 < argc) c.eval_every = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--max-epochs") && i + 1 < argc) max_epochs = std::atoll(argv[++i]);
    else if (!std::strcmp(argv[i], "--p") && i + 1 < argc) c.p = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--width") && i + 1 < argc) c.width = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: bench_grok [--eval-every K] [--max-epochs E] [--p P] [--width W] [--json]\n");
      return 2;
    }
  }
  c.epochs = max_epochs;
#ifdef __EMSCRIPTEN__
  const char* target = "wasm";
#else
  const char* target = "native";
#endif
  using clock = std::chrono::steady_clock;
  {  // warm-up on a throwaway run of the same shapes (tiers up the hot wasm functions)
    GrokRun warm(c);
    for (int i = 0; i < 10; ++i) warm.train(1);
  }
  GrokRun run(c);
  const auto t0 = clock::now();
  double to_99 = -1;
  while (run.epoch() < max_epochs) {
    run.train(1);
    if (!run.history().empty() && run.history().back().test_acc >= 0.99) {
      to_99 = std::chrono::duration<double>(clock::now() - t0).count();
      break;
    }
  }
  const double seconds = std::chrono::duration<double>(clock::now() - t0).count();
  const double eps = run.epoch() / seconds;
  const auto e99 = run.epoch_test_99(), e100 = run.epoch_train_100();
  if (json)
    std::printf("{\"workload\":\"grok p=%d width=%d\",\"target\":\"%s\",\"simd\":\"%s\","
                "\"seconds_to_test_99\":%s,\"epoch_test_99\":%lld,\"epoch_train_100\":%lld,"
                "\"epochs_per_second\":%.1f,\"eval_every\":%d}\n",
                c.p, c.width, target, simd_arch_name(),
                to_99 < 0 ? "null" : std::to_string(to_99).c_str(), e99 ? (long long)*e99 : -1LL,
                e100 ? (long long)*e100 : -1LL, eps, c.eval_every);
  else if (to_99 >= 0)
    std::printf("grok p=%d width=%d (%s, %s): test accuracy 99%% at epoch %lld after %.2f s "
                "(train 100%% at epoch %lld; %.1f epochs/s, test metrics every %d epochs)\n",
                c.p, c.width, target, simd_arch_name(), e99 ? (long long)*e99 : -1LL, to_99,
                e100 ? (long long)*e100 : -1LL, eps, c.eval_every);
  else
    std::printf("grok p=%d width=%d (%s, %s): no 99%% test accuracy within %lld epochs (%.2f s, "
                "%.1f epochs/s)\n",
                c.p, c.width, target, simd_arch_name(), (long long)max_epochs, seconds, eps);
  return 0;
}
