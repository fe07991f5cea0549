// Benchmark (not a test): training speed of the suppression encoders, natively and in wasm
// (node). Workloads: the CLI's default run (one binary feature, p = 0.5, batch 1024) for each
// fix, and a multi-feature run (n = 8 uniform features, batch 1024). Prints the median steps/s
// of several timed runs after a warm-up, training in short chunks (V8 optimises wasm functions
// only between calls).
//   bench_suppression [--runs R=5] [--steps S=1000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/kernels.hpp"
#include "suppression/suppression_run.hpp"

using namespace superpose;

namespace {
double seconds_now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double steps_per_second(const SuppressionConfig& c, int runs, int steps) {
  std::vector<double> rates;
  for (int r = 0; r < runs + 1; ++r) {  // the first run is the warm-up
    SuppressionRun run(c);
    const double t0 = seconds_now();
    for (int done = 0; done < steps; done += 50) run.train(50);
    const double dt = seconds_now() - t0;
    if (r > 0) rates.push_back(steps / dt);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  int runs = 5, steps = 1000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::max(50, std::atoi(argv[++i]));
    else {
      std::fprintf(stderr, "usage: bench_suppression [--runs R] [--steps S]\n");
      return 2;
    }
  }
  std::printf("suppression encoders, batch 1024, Adam; median of %d runs of %d steps (simd %s)\n",
              runs, steps, simd_arch_name());
  std::printf("%-34s %s\n", "workload", "steps/s");
  for (int n : {1, 8})
    for (const char* fix : {"none", "scale", "gated"}) {
      SuppressionConfig c;
      c.fix = fix;
      c.n_features = n;
      c.magnitude = n == 1 ? "binary" : "uniform";
      c.l1 = n == 1 ? 0.4 : 0.05;
      c.steps = steps;  // the scale run's second phase is not reached: both phases cost the same
      char name[64];
      std::snprintf(name, sizeof name, "n=%d %s, fix %s", n, c.magnitude.c_str(), fix);
      std::printf("%-34s %.0f\n", name, steps_per_second(c, runs, steps));
    }
  return 0;
}
