// Benchmark (not a test): training speed of the toy model, natively and in wasm (node).
// Default workload: issue 2's / issue 8's W1 — ReLU-output model, n=20, m=5, 7 instances with
// feature probability {1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001}, importance 0.7^i, batch 1024.
// Prints the median steps/s of several timed runs after a warm-up (V8 only optimises wasm
// functions between calls, so training runs as many short train() calls).
//   bench_toy [--optimizer adam|adamw] [--runs R=5] [--steps S=400] [--batched-from D] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/kernels.hpp"
#include "toy/toy_model.hpp"

using namespace superpose;

int main(int argc, char** argv) {
  int runs = 5, steps = 400;
  bool json = false;
  double batched_from = -1;  // < 0: the model's default
  std::string optimizer = "adam";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--optimizer") && i + 1 < argc) optimizer = argv[++i];
    else if (!std::strcmp(argv[i], "--batched-from") && i + 1 < argc) batched_from = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: bench_toy [--optimizer adam|adamw] [--runs R] [--steps S] [--batched-from D] [--json]\n");
      return 2;
    }
  }
  ToyConfig c;
  c.n_features = 20;
  c.n_hidden = 5;
  c.n_instances = 7;
  c.feature_probability = {1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001};
  c.importance_decay = 0.7;
  c.batch_size = 1024;
  c.optimizer = optimizer;
  ToyModel model(c);
  if (batched_from >= 0) model.set_batched_from(batched_from);
#ifdef __EMSCRIPTEN__
  const char* target = "wasm";
#else
  const char* target = "native";
#endif
  using clock = std::chrono::steady_clock;
  model.train(steps);  // warm-up
  std::vector<double> rates;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = clock::now();
    for (int i = 0; i < steps; i += 10) model.train(std::min(10, steps - i));
    const double s = std::chrono::duration<double>(clock::now() - t0).count();
    rates.push_back(steps / s);
  }
  std::sort(rates.begin(), rates.end());
  const double median = rates[rates.size() / 2];
  double loss = 0;
  for (float l : model.evaluate(8192)) loss += l;
  if (json)
    std::printf("{\"workload\":\"W1 toy-20x5\",\"target\":\"%s\",\"simd\":\"%s\",\"steps_per_second\":%.1f,"
                "\"min\":%.1f,\"max\":%.1f,\"runs\":%d,\"loss_after\":%.6g}\n",
                target, simd_arch_name(), median, rates.front(), rates.back(), runs, loss);
  else
    std::printf("W1 toy-20x5 (%s, %s, %s): %.0f steps/s median of %d runs of %d steps (min %.0f, max %.0f)\n",
                target, simd_arch_name(), optimizer.c_str(), median, runs, steps, rates.front(),
                rates.back());
  return 0;
}
