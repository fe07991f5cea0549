// Benchmark (not a test): training speed of the toy model, natively and in wasm (node).
// Default workload: issue 2's / issue 8's W1 — ReLU-output model, n=20, m=5, 7 instances with
// feature probability {1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001}, importance 0.7^i, batch 1024.
// Prints the median steps/s of several timed runs after a warm-up (V8 only optimises wasm
// functions between calls, so training runs as many short train() calls), and the time the
// data generator alone takes per step (its share of a step).
// --instances K,K,... trains those instances only (ascending), as a worker of the pool does
// (web/lib/shards.js; each instance has its own data stream, so the share draws only its own), to
// measure a share's speed.
// --profile adds where a step's time goes: each instance's forward + backward (µs per step, on
// 16 fixed batches drawn once, with the trained weights; the fastest of 10·R passes over them,
// the least disturbed by other load), its data and all the data (timed likewise), and the rest (Adam, the
// divergence snapshot and checks) as the fastest run's step time minus those.
// The output ends with an FNV-1a hash of the parameters after the timed steps, so an A/B of two
// builds shows in the same run whether they train bit-identically.
//   bench_toy [--optimizer adam|adamw] [--runs R=5] [--steps S=400] [--batched-from D]
//             [--instances K,K,...] [--model N,M,P1,P2,...] [--profile] [--json]
// --model trains another toy model (n features, m hidden dims, one p per instance, importance 1),
// e.g. the toy page's "Dimensionality is sticky" preset, to measure its shares.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/kernels.hpp"
#include "toy/toy_data.hpp"
#include "toy/toy_model.hpp"

using namespace superpose;

// A comma-separated list of numbers (--instances, --model); empty if any item is not a number.
static std::vector<double> numbers(const char* text) {
  std::vector<double> v;
  for (const char* at = text; *at;) {
    char* next = nullptr;
    v.push_back(std::strtod(at, &next));
    if (next == at || (*next && *next != ',')) return {};
    at = *next ? next + 1 : next;
  }
  return v;
}

int main(int argc, char** argv) {
  int runs = 5, steps = 400;
  std::vector<int> share;  // empty: all
  std::string model_spec;  // --model N,M,P1,...: n features, m hidden, one p per instance (else W1)
  bool bad_share = false;
  bool json = false, profile = false;
  double batched_from = -1;  // < 0: the model's default
  std::string optimizer = "adam";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--optimizer") && i + 1 < argc) optimizer = argv[++i];
    else if (!std::strcmp(argv[i], "--batched-from") && i + 1 < argc) batched_from = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--model") && i + 1 < argc) {  // another toy model: N,M,P1,P2,...
      model_spec = argv[++i];
    } else if (!std::strcmp(argv[i], "--instances") && i + 1 < argc) {
      const char* list = argv[++i];
      const std::vector<double> v = numbers(list);
      bad_share = v.empty() && *list;  // (an empty list: all, as without the flag)
      for (double k : v) {
        if (k != std::floor(k) || std::fabs(k) > 1e6) bad_share = true;
        share.push_back(static_cast<int>(k));
      }
    } else if (!std::strcmp(argv[i], "--json")) json = true;
    else if (!std::strcmp(argv[i], "--profile")) profile = true;
    else {
      std::fprintf(stderr, "usage: bench_toy [--optimizer adam|adamw] [--runs R] [--steps S] [--batched-from D] [--instances K,K,...] [--model N,M,P1,...] [--profile] [--json]\n");
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
  if (!model_spec.empty()) {  // e.g. the toy page's "Dimensionality is sticky": 30,10 and 12 p's
    const std::vector<double> v = numbers(model_spec.c_str());
    if (v.size() < 3 || v.size() > 1000) {
      std::fprintf(stderr, "--model takes N,M,P1,P2,...: features, hidden dims, one p per instance\n");
      return 2;
    }
    c.n_features = static_cast<int>(v[0]);
    c.n_hidden = static_cast<int>(v[1]);
    c.feature_probability.assign(v.begin() + 2, v.end());
    c.n_instances = static_cast<int>(c.feature_probability.size());
    c.importance_decay = 1;
  }
  ToyModel model(c);
  if (batched_from >= 0) model.set_batched_from(batched_from);
  if (bad_share) {
    std::fprintf(stderr, "--instances takes instance indices: K,K,...\n");
    return 2;
  }
  if (share.empty())
    for (int k = 0; k < c.n_instances; ++k) share.push_back(k);
  try {
    model.set_trained_instances(share);
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
    for (int i = 0; i < steps; ++i) gen.sample(rng, batch, c.batch_size, share);
    data_us.push_back(1e6 * std::chrono::duration<double>(clock::now() - t0).count() / steps);
  }
  std::sort(data_us.begin(), data_us.end());
  const double data_step_us = data_us[data_us.size() / 2];
  const double data_fraction = data_step_us * 1e-6 * median;
  // Where the step's time goes (--profile): each trained instance's forward + backward alone.
  std::string breakdown_json, breakdown_text;
  if (profile) {
    std::vector<ToyBatch> batches(16);
    ToyRng prng(static_cast<uint64_t>(c.seed), 99);
    for (ToyBatch& b : batches) gen.sample(prng, b, c.batch_size);
    ToyModel probe(model);
    std::vector<float> grad(probe.params().size());
    double sum_us = 0;
    for (int k : share) {
      probe.set_trained_instances(k, k + 1);
      // The fastest of many short windows, the one least disturbed by other work on the machine.
      double fastest = 1e30;
      for (int r = 0; r < 10 * runs; ++r) {
        const auto t0 = clock::now();
        for (const ToyBatch& b : batches) probe.forward_backward(b, grad.data(), nullptr);
        fastest = std::min(fastest, 1e6 * std::chrono::duration<double>(clock::now() - t0).count() /
                                        static_cast<double>(batches.size()));
      }
      sum_us += fastest;
      // Its data alone (each instance has its own stream), timed the same way.
      double data_k = 1e30;
      ToyBatch scratch;
      for (int r = 0; r < 10 * runs; ++r) {
        const auto t0 = clock::now();
        for (int i = 0; i < 16; ++i) gen.sample(rng, scratch, c.batch_size, k, k + 1);
        data_k = std::min(data_k, 1e6 * std::chrono::duration<double>(clock::now() - t0).count() / 16);
      }
      char item[128];
      std::snprintf(item, sizeof item, "%s{\"p\":%g,\"us\":%.1f,\"data_us\":%.1f}", k > share.front() ? "," : "",
                    c.feature_probability[k], fastest, data_k);
      breakdown_json += item;
      std::snprintf(item, sizeof item, "%s p=%g %.1f (data %.1f)", k > share.front() ? "," : "",
                    c.feature_probability[k], fastest, data_k);
      breakdown_text += item;
    }
    // The data and the whole step the same way: the fastest window, and the fastest run.
    double data_fastest = 1e30;
    ToyBatch scratch;
    for (int r = 0; r < 10 * runs; ++r) {
      const auto t0 = clock::now();
      for (int i = 0; i < 16; ++i) gen.sample(rng, scratch, c.batch_size, share);
      data_fastest = std::min(data_fastest, 1e6 * std::chrono::duration<double>(clock::now() - t0).count() / 16);
    }
    const double step_us = 1e6 / rates.back(), rest_us = step_us - sum_us - data_fastest;
    char tail[160];
    std::snprintf(tail, sizeof tail, "],\"data_us\":%.1f,\"rest_us\":%.1f,\"step_us\":%.1f",
                  data_fastest, rest_us, step_us);
    breakdown_json = ",\"forward_backward_us\":[" + breakdown_json + tail;
    std::snprintf(tail, sizeof tail, "; the data %.1f, the rest %.1f, a step %.1f (the fastest run)",
                  data_fastest, rest_us, step_us);
    breakdown_text = "\nforward + backward us per step, by feature probability:" + breakdown_text + tail;
  }
  // FNV-1a over the parameters' bytes: equal hashes, bit-identical training.
  uint64_t hash = 1469598103934665603ull;
  for (const float& v : model.params()) {
    const unsigned char* bytes = reinterpret_cast<const unsigned char*>(&v);
    for (std::size_t i = 0; i < sizeof v; ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
  }
  std::string list;  // the trained instances, K,K,...
  for (int k : share) list += (list.empty() ? "" : ",") + std::to_string(k);
  const std::string workload = model_spec.empty() ? std::string("W1 toy-20x5") :
      "toy-" + std::to_string(c.n_features) + "x" + std::to_string(c.n_hidden) + "x" + std::to_string(c.n_instances);
  double loss = 0;
  for (float l : model.evaluate(8192)) loss += l;  // (the untrained instances' too)
  if (json)
    std::printf("{\"workload\":\"%s\",\"instances\":[%s],\"target\":\"%s\",\"simd\":\"%s\",\"steps_per_second\":%.1f,"
                "\"min\":%.1f,\"max\":%.1f,\"runs\":%d,\"loss_after\":%.6g,\"data_us_per_step\":%.2f,"
                "\"data_fraction\":%.3f,\"params_fnv\":\"%016llx\"%s}\n",
                workload.c_str(), list.c_str(), target, simd_arch_name(), median, rates.front(), rates.back(), runs, loss,
                data_step_us, data_fraction, static_cast<unsigned long long>(hash), breakdown_json.c_str());
  else
    std::printf("%s [%s] (%s, %s, %s): %.0f steps/s median of %d runs of %d steps (min %.0f, max %.0f); "
                "the data alone %.1f us per step, %.0f%% of a step; params %016llx%s\n",
                workload.c_str(), list.c_str(), target, simd_arch_name(), optimizer.c_str(), median, runs, steps, rates.front(),
                rates.back(), data_step_us, 100 * data_fraction, static_cast<unsigned long long>(hash),
                breakdown_text.c_str());
  return 0;
}
