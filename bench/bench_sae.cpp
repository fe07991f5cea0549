// Benchmark (not a test): SAE training speed, natively and in wasm (node).
// Default workload (issue 5): synthetic data d=64, 256 true features, 5 active on average,
// 512 latents, batch 1024, ReLU SAE with λ=0.3, Adam. The peer figure to beat in wasm is
// PyTorch on the CPU, about 240 steps/s single-threaded on this machine kind.
// Prints the median steps/s of several timed runs after a warm-up (V8 only optimises wasm
// functions between calls, so training runs as many short train() calls), and the training L0
// at the end (the sparse passes cost in proportion to it).
//   bench_sae [--arch A] [--runs R=5] [--steps S=200] [--warmup W=300] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/kernels.hpp"
#include "sae/sae_data.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"

using namespace superpose;

int main(int argc, char** argv) {
  int runs = 5, steps = 200, warmup = 300;
  bool json = false;
  std::string arch = "relu";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = std::max(0, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--arch") && i + 1 < argc) arch = argv[++i];
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: bench_sae [--arch relu|gated|jumprelu|topk|batchtopk] [--runs R] [--steps S] [--warmup W] [--json]\n");
      return 2;
    }
  }
  SaeConfig c;  // the defaults are the workload
  c.arch = arch;
  std::shared_ptr<SaeData> data = make_sae_data(c);
  SaeTrainer trainer(c, data);
#ifdef __EMSCRIPTEN__
  const char* target = "wasm";
#else
  const char* target = "native";
#endif
  using clock = std::chrono::steady_clock;
  for (int i = 0; i < warmup; i += 10) trainer.train(std::min(10, warmup - i));
  // Wall-clock rates, and rates per second of this process's CPU time (the machine is shared:
  // the CPU-time figure is what one uncontended core would do).
  std::vector<double> rates, cpu_rates;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = clock::now();
    const std::clock_t c0 = std::clock();
    for (int i = 0; i < steps; i += 10) trainer.train(std::min(10, steps - i));
    const double s = std::chrono::duration<double>(clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    rates.push_back(steps / s);
    cpu_rates.push_back(steps / std::max(cpu, 1e-9));
  }
  std::sort(rates.begin(), rates.end());
  std::sort(cpu_rates.begin(), cpu_rates.end());
  const double cpu_median = cpu_rates[cpu_rates.size() / 2];
  const double median = rates[rates.size() / 2];
  const double l0 = trainer.last_loss().l0;
  // Quality after the timed steps, on a held-out batch (the peers report the same three).
  const int64_t trained = warmup + static_cast<int64_t>(runs) * steps;
  const SaeMetrics m = compute_sae_metrics(trainer.sae(), data->held_out(4096), data->true_features());
  const std::string workload = arch == "relu" ? "W2 sae-synth" : "W2 sae-synth " + arch;
  if (json)
    std::printf("{\"workload\":\"%s\",\"target\":\"%s\",\"simd\":\"%s\","
                "\"steps_per_second\":%.1f,\"min\":%.1f,\"max\":%.1f,\"steps_per_cpu_second\":%.1f,"
                "\"runs\":%d,\"train_l0\":%.2f,\"l0\":%.3f,\"fve\":%.4f,\"mmcs\":%.4f,"
                "\"steps_trained\":%lld}\n",
                workload.c_str(), target, simd_arch_name(), median, rates.front(), rates.back(),
                cpu_median, runs, l0, m.l0, m.fve, m.mmcs, static_cast<long long>(trained));
  else
    std::printf("SAE d=64 F=256 L=512 B=1024 %s (%s, %s): %.0f steps/s median of %d runs of %d steps "
                "(min %.0f, max %.0f; %.0f per CPU second), training L0 %.1f after %d warm-up steps\n",
                arch.c_str(), target, simd_arch_name(), median, runs, steps, rates.front(),
                rates.back(), cpu_median, l0, warmup);
  return 0;
}
