// Benchmark (not a test): K1, the dense products of the workloads, in GFLOP/s, next to the
// machine's SIMD peak measured in the same run and Eigen's GEMM on the same operands.
//   peak:  a register-resident loop of independent chains (6 multiply chains + 6 add chains of
//          xsimd batches: the mul+add peak; natively also 12 FMA chains), many short calls.
//   gemm:  superpose::gemm (src/core/gemm.cpp), Eigen `C.noalias() += A * B`, same operands.
// Every figure is the median of several timed runs, each many short calls after a warm-up
// (V8 optimises a wasm function only between calls: toolchain notes, item 11).
//   bench_gemm [--runs R=7] [--min-ms T=60] [--shape MxKxN[t][b]]... [--lm] [--clock wall|cpu] [--json]
// A shape is op(A) (M, K) · op(B) (K, N); a trailing "t" means A is stored transposed (K, M),
// as in the weight gradient Xᵀ·G, a trailing "b" that B is stored transposed (N, K), as in
// G·Xᵀ. Default shapes: the SAE's encoder, decoder and encoder gradient at batch 1024, d = 64,
// 512 latents, and 256³. --lm: the default language model's products instead (W3: 1536 tokens,
// d_model 64, MLP 256, vocab 75; forward, input gradient, weight gradient).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <ctime>
#include <vector>
#include <xsimd/xsimd.hpp>

#include <Eigen/Dense>

#include "core/gemm.hpp"
#include "core/kernels.hpp"
#include "core/rng.hpp"

using namespace superpose;
using Clock = std::chrono::steady_clock;
using Bt = xsimd::batch<float>;

namespace {

// Wall time by default. `--clock cpu` (native only) times this thread's CPU time instead, which
// shuts out most of a shared machine's noise when comparing variants (not for reported figures).
bool g_cpu_clock = false;
double now_seconds() {
#ifndef __EMSCRIPTEN__
  if (g_cpu_clock) {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
  }
#endif
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

// 6 multiply chains and 6 add chains, all independent, all in registers: 12 batch operations
// per iteration, half of them multiplies, as in a GEMM without FMA. Six chains of each cover
// a 3-cycle latency at 2 per cycle; more would spill in V8, which has 15 usable xmm registers
// (16 chains ran at a fraction of the peak). c = 1 and d tiny keep the values normal forever
// (no denormals, no overflow); both arrive at run time so nothing folds.
#if defined(__GNUC__)
__attribute__((noinline))
#endif
float muladd_chunk(long iters, float c, float d) {
  Bt m0(1.f), m1(1.1f), m2(1.2f), m3(1.3f), m4(1.4f), m5(1.5f);
  Bt a0(0.f), a1(.1f), a2(.2f), a3(.3f), a4(.4f), a5(.5f);
  const Bt cv(c), dv(d);
  for (long i = 0; i < iters; ++i) {
    m0 *= cv; m1 *= cv; m2 *= cv; m3 *= cv; m4 *= cv; m5 *= cv;
    a0 += dv; a1 += dv; a2 += dv; a3 += dv; a4 += dv; a5 += dv;
  }
  const Bt s = ((m0 + m1) + (m2 + m3)) + (m4 + m5) + ((a0 + a1) + (a2 + a3)) + (a4 + a5);
  return xsimd::hadd(s);
}
constexpr double kMulAddFlopsPerIter = 12.0 * Bt::size;

// 12 independent FMA chains (2 flops per lane each). Where the target has no FMA (SSE, wasm)
// xsimd::fma is a multiply and an add, so this equals the mul+add peak there.
#if defined(__GNUC__)
__attribute__((noinline))
#endif
float fma_chunk(long iters, float c, float d) {
  Bt f[12];
  for (int j = 0; j < 12; ++j) f[j] = Bt(0.1f * j);
  const Bt cv(c), dv(d);
  for (long i = 0; i < iters; ++i) {
    f[0] = xsimd::fma(f[0], cv, dv); f[1] = xsimd::fma(f[1], cv, dv);
    f[2] = xsimd::fma(f[2], cv, dv); f[3] = xsimd::fma(f[3], cv, dv);
    f[4] = xsimd::fma(f[4], cv, dv); f[5] = xsimd::fma(f[5], cv, dv);
    f[6] = xsimd::fma(f[6], cv, dv); f[7] = xsimd::fma(f[7], cv, dv);
    f[8] = xsimd::fma(f[8], cv, dv); f[9] = xsimd::fma(f[9], cv, dv);
    f[10] = xsimd::fma(f[10], cv, dv); f[11] = xsimd::fma(f[11], cv, dv);
  }
  Bt s(0.f);
  for (int j = 0; j < 12; ++j) s += f[j];
  return xsimd::hadd(s);
}
constexpr double kFmaFlopsPerIter = 24.0 * Bt::size;

volatile float g_sink;
volatile float g_one = 1.f, g_tiny = 1e-7f;

// GFLOP/s of one timed run: calls of `fn` (each `flops`) for at least min_ms.
template <class Fn>
double run_once(Fn&& fn, double flops, double min_ms) {
  long calls = 0;
  const double t0 = now_seconds();
  double s = 0;
  do {
    fn();
    ++calls;
    s = (now_seconds() - t0);
  } while (s * 1e3 < min_ms);
  return flops * calls / s * 1e-9;
}

// Calls fn for `ms` milliseconds, so that V8 has optimised it before it is timed.
template <class Fn>
void warm_up(Fn&& fn, double ms) {
  const double t0 = now_seconds();
  while ((now_seconds() - t0) * 1e3 < ms) fn();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Shape {
  std::size_t m, k, n;
  bool ta, tb = false;
  std::string name() const {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%zux%zu%s*%zux%zu%s", m, k, ta ? "(At)" : "", k, n, tb ? "(Bt)" : "");
    return buf;
  }
};

bool parse_shape(const char* s, Shape& out) {
  unsigned long m, k, n;
  int used = 0;
  if (std::sscanf(s, "%lux%lux%lu%n", &m, &k, &n, &used) != 3 || m == 0 || k == 0 || n == 0) return false;
  const std::string rest = s + used;
  if (rest != "" && rest != "t" && rest != "b" && rest != "tb") return false;
  out = {m, k, n, rest.find('t') != std::string::npos, rest.find('b') != std::string::npos};
  return true;
}

// The default language model's products at B·T = 1536 tokens (lm/lm_ops.cpp): per linear layer
// (qkv 64→192, attention output 64→64, MLP 64→256 and 256→64) the forward W·X, the input gradient
// Wᵀ·G and the weight gradient G·Xᵀ; then the tied unembedding (vocab 75).
std::vector<Shape> lm_shapes() {
  std::vector<Shape> v;
  const std::size_t N = 1536;
  for (auto [in, out] : {std::pair<std::size_t, std::size_t>{64, 192}, {64, 64}, {64, 256}, {256, 64}}) {
    v.push_back({out, in, N, false, false});  // forward: out (OC, N) = W (OC, C) · x (C, N)
    v.push_back({in, out, N, true, false});   // dx (C, N) = Wᵀ · dout
    v.push_back({out, N, in, false, true});   // dW (OC, C) = dout (OC, N) · xᵀ
  }
  v.push_back({75, 64, N, true, false});   // logits = wteᵀ · x
  v.push_back({64, 75, N, false, false});  // dx = wte · dlogits
  v.push_back({64, N, 75, false, true});   // dwte = x · dlogitsᵀ
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  double min_ms = 60;
  bool json = false;
  std::vector<Shape> shapes;
  for (int i = 1; i < argc; ++i) {
    Shape s;
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--min-ms") && i + 1 < argc) min_ms = std::max(1.0, std::atof(argv[++i]));
    else if (!std::strcmp(argv[i], "--shape") && i + 1 < argc && parse_shape(argv[i + 1], s)) { shapes.push_back(s); ++i; }
    else if (!std::strcmp(argv[i], "--lm")) { auto l = lm_shapes(); shapes.insert(shapes.end(), l.begin(), l.end()); }
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else if (!std::strcmp(argv[i], "--clock") && i + 1 < argc) g_cpu_clock = !std::strcmp(argv[++i], "cpu");
    else {
      std::fprintf(stderr, "usage: bench_gemm [--runs R=7] [--min-ms T=60] [--shape MxKxN[t][b]]... [--lm] [--clock wall|cpu] [--json]\n");
      return 2;
    }
  }
  if (shapes.empty())
    shapes = {{1024, 64, 512, false}, {1024, 512, 64, false}, {64, 1024, 512, true}, {256, 256, 256, false}};
#ifdef __EMSCRIPTEN__
  const char* target = "wasm";
#else
  const char* target = "native";
#endif

  // ---- the peak, in this run; re-measured next to every gemm run below ----
  const long iters = 20000;
  auto muladd = [&] { g_sink = muladd_chunk(iters, g_one, g_tiny); };
  auto fma = [&] { g_sink = fma_chunk(iters, g_one, g_tiny); };
  warm_up(muladd, 3 * min_ms);
  warm_up(fma, 3 * min_ms);
  std::vector<double> muladd_runs, fma_runs;
  for (int r = 0; r < runs; ++r) {
    muladd_runs.push_back(run_once(muladd, kMulAddFlopsPerIter * iters, min_ms));
    fma_runs.push_back(run_once(fma, kFmaFlopsPerIter * iters, min_ms));
  }
  const bool has_fma = median(fma_runs) > median(muladd_runs);
  // The peak a GEMM can reach on this target: the faster of the two (FMA chains win where the
  // target has FMA; in wasm xsimd::fma is a dependent mul then add, so mul+add wins).
  auto peak_fn = [&] {
    if (has_fma) g_sink = fma_chunk(iters, g_one, g_tiny); else g_sink = muladd_chunk(iters, g_one, g_tiny);
  };
  const double peak_flops = (has_fma ? kFmaFlopsPerIter : kMulAddFlopsPerIter) * iters;
  std::vector<double> peak_runs = has_fma ? fma_runs : muladd_runs;
  const double peak_muladd = median(muladd_runs), peak_fma = median(fma_runs);

  if (!json) {
    std::printf("K1 gemm (%s, %s, tile %zux%zu): peak mul+add %.1f GFLOP/s, fma %.1f GFLOP/s "
                "(median of %d)\n",
                target, simd_arch_name(), gemm_mr(), gemm_nr(), peak_muladd, peak_fma, runs);
    std::printf("%-22s %10s %8s %9s %9s %11s   %s\n", "shape", "GFLOP/s", "of peak", "Eigen",
                "vs Eigen", "max rel err", "(range; peak next to the runs)");
  } else {
    std::printf("{\"workload\":\"K1 gemm\",\"target\":\"%s\",\"simd\":\"%s\",\"tile\":[%zu,%zu],"
                "\"peak_muladd_gflops\":%.2f,\"peak_fma_gflops\":%.2f,\"runs\":%d,\"shapes\":[",
                target, simd_arch_name(), gemm_mr(), gemm_nr(), peak_muladd, peak_fma, runs);
  }

  Rng rng(7);
  bool first = true;
  for (const Shape& s : shapes) {
    const std::size_t m = s.m, k = s.k, n = s.n;
    const std::size_t lda = s.ta ? k : m, ldb = s.tb ? n : k;
    std::vector<float> A(m * k), Bv(k * n), C(m * n, 0.f), Ce(m * n, 0.f);
    for (auto& x : A) x = float(rng.uniform()) - 0.5f;
    for (auto& x : Bv) x = float(rng.uniform()) - 0.5f;
    const double flops = 2.0 * m * n * k;
    const Trans ta = s.ta ? Trans::Yes : Trans::No, tb = s.tb ? Trans::Yes : Trans::No;

    // Correctness against Eigen, once, from zero (the tests hold gemm to gemm_ref).
    Eigen::Map<const Eigen::MatrixXf> Am(A.data(), s.ta ? k : m, s.ta ? m : k),
        Bm(Bv.data(), s.tb ? n : k, s.tb ? k : n);
    Eigen::Map<Eigen::MatrixXf> Cm(Ce.data(), m, n);
    auto eigen_fn = [&] {
      if (s.ta && s.tb) Cm.noalias() += Am.transpose() * Bm.transpose();
      else if (s.ta) Cm.noalias() += Am.transpose() * Bm;
      else if (s.tb) Cm.noalias() += Am * Bm.transpose();
      else Cm.noalias() += Am * Bm;
    };
    gemm(ta, tb, m, n, k, A.data(), lda, Bv.data(), ldb, C.data(), m);
    eigen_fn();
    double err = 0, scale = 0;
    for (std::size_t i = 0; i < m * n; ++i) {
      err = std::max(err, double(std::fabs(C[i] - Ce[i])));
      scale = std::max(scale, double(std::fabs(Ce[i])));
    }
    const double rel = err / std::max(scale, 1e-30);

    auto ours_fn = [&] { gemm(ta, tb, m, n, k, A.data(), lda, Bv.data(), ldb, C.data(), m); };
    warm_up(ours_fn, 3 * min_ms);
    warm_up(eigen_fn, 3 * min_ms);
    // Each run times the peak loop, then ours, then Eigen, back to back: the ratio to the
    // peak is taken per run, so a neighbour's load on a shared machine cancels out.
    std::vector<double> ours, eig, ratio, peaks;
    for (int r = 0; r < runs; ++r) {
      const double p = run_once(peak_fn, peak_flops, min_ms / 2);
      ours.push_back(run_once(ours_fn, flops, min_ms));
      eig.push_back(run_once(eigen_fn, flops, min_ms));
      peaks.push_back(p);
      peak_runs.push_back(p);
      ratio.push_back(ours.back() / p);
    }
    const double g = median(ours), e = median(eig), of_peak = median(ratio);
    std::sort(ours.begin(), ours.end());
    if (!json) {
      std::printf("%-22s %10.1f %7.0f%% %9.1f %8.2fx %11.1e   (%.1f .. %.1f; peak %.1f)\n",
                  s.name().c_str(), g, 100 * of_peak, e, g / e, rel, ours.front(), ours.back(),
                  median(peaks));
    } else {
      std::printf("%s{\"shape\":\"%s\",\"m\":%zu,\"k\":%zu,\"n\":%zu,\"a_transposed\":%s,\"b_transposed\":%s,"
                  "\"gflops\":%.2f,\"min\":%.2f,\"max\":%.2f,\"of_peak\":%.4f,"
                  "\"peak_gflops\":%.2f,\"eigen_gflops\":%.2f,\"vs_eigen\":%.3f,\"max_rel_err\":%.3g}",
                  first ? "" : ",", s.name().c_str(), m, k, n, s.ta ? "true" : "false", s.tb ? "true" : "false", g,
                  ours.front(), ours.back(), of_peak, median(peaks), e, g / e, rel);
    }
    first = false;
  }
  if (json)
    std::printf("],\"peak_gflops\":%.2f,\"peak_kind\":\"%s\"}\n", median(peak_runs),
                has_fma ? "fma" : "mul+add");
  else
    std::printf("peak (%s) over all runs: %.1f GFLOP/s\n", has_fma ? "fma" : "mul+add", median(peak_runs));
  return 0;
}
