// Benchmark (not a test): training speed of the toy model, natively and in wasm (node).
// Default workload: issue 2's / issue 8's W1 — ReLU-output model, n=20, m=5, 7 instances with
// feature probability {1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001}, importance 0.7^i, batch 1024.
// Prints the median steps/s of several timed runs after a warm-up (V8 only optimises wasm
// functions between calls, so training runs as many short train() calls), and the time the
// data generator alone takes per step (its share of a step).
// --instances F,E trains instances [F, E) only, as a worker of the pool does (web/lib/shards.js;
// each instance has its own data stream, so the share draws only its own), to measure a share's
// speed.
//   bench_toy [--optimizer adam|adamw] [--runs R=5] [--steps S=400] [--batched-from D]
//             [--instances F,E] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/kernels.hpp"
#include "toy/toy_data.hpp"
#include "toy/toy_model.hpp"

using namespace superpose;

int main(int argc, char** argv) {
  int runs = 5, steps = 400, first = 0, end = -1;
  bool json = false;
  double batched_from = -1;  // < 0: the model's default
  std::string optimizer = "adam";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--optimizer") && i + 1 < argc) optimizer = argv[++i];
    else if (!std::strcmp(argv[i], "--batched-from") && i + 1 < argc) batched_from = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--instances") && i + 1 < argc) {
      if (std::sscanf(argv[++i], "%d,%d", &first, &end) != 2) first = -1;
    } else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: bench_toy [--optimizer adam|adamw] [--runs R] [--steps S] [--batched-from D] [--instances F,E] [--json]\n");
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
  if (end < 0) end = c.n_instances;
  if (first < 0) {
    std::fprintf(stderr, "--instances takes F,E: two integers\n");
    return 2;
  }
  try {
    model.set_trained_instances(first, end);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "--instances: %s\n", e.what());
    return 2;
  }
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
  // The data generator alone, as ToyModel::train runs it (the trained instances drawn, from
  // the training data's streams): its share of a step.
  ToyDataGenerator gen(c);
  ToyRng rng(static_cast<uint64_t>(c.seed), rng_stream::data);
  ToyBatch batch;
  std::vector<double> data_us;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = clock::now();
    for (int i = 0; i < steps; ++i) gen.sample(rng, batch, c.batch_size, first, end);
    data_us.push_back(1e6 * std::chrono::duration<double>(clock::now() - t0).count() / steps);
  }
  std::sort(data_us.begin(), data_us.end());
  const double data_step_us = data_us[data_us.size() / 2];
  const double data_fraction = data_step_us * 1e-6 * median;
  double loss = 0;
  for (float l : model.evaluate(8192)) loss += l;  // (the untrained instances' too)
  if (json)
    std::printf("{\"workload\":\"W1 toy-20x5\",\"instances\":[%d,%d],\"target\":\"%s\",\"simd\":\"%s\",\"steps_per_second\":%.1f,"
                "\"min\":%.1f,\"max\":%.1f,\"runs\":%d,\"loss_after\":%.6g,\"data_us_per_step\":%.2f,"
                "\"data_fraction\":%.3f}\n",
                first, end, target, simd_arch_name(), median, rates.front(), rates.back(), runs, loss,
                data_step_us, data_fraction);
  else
    std::printf("W1 toy-20x5 [%d, %d) (%s, %s, %s): %.0f steps/s median of %d runs of %d steps (min %.0f, max %.0f); "
                "the data alone %.1f us per step, %.0f%% of a step\n",
                first, end, target, simd_arch_name(), optimizer.c_str(), median, runs, steps, rates.front(),
                rates.back(), data_step_us, 100 * data_fraction);
  return 0;
}
