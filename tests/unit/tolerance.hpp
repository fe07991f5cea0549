// The one tolerance helper of the suite: |a - b| <= abs + rel · max(|a|, |b|).
// Native and wasm runs agree within kCrossPlatformRel (xsimd over Emscripten's SSE emulation
// and libm differ in the last bits; toolchain notes, item 9).
#pragma once
#include <cmath>
#include <cstdlib>
#include <string>

namespace superpose::test {

constexpr double kCrossPlatformRel = 2e-3;

inline bool close(double a, double b, double rel, double abs = 0.0) {
  return std::fabs(a - b) <= abs + rel * std::fmax(std::fabs(a), std::fabs(b));
}

inline bool running_in_wasm() {
  const char* t = std::getenv("SUPERPOSE_TARGET");
#ifdef __EMSCRIPTEN__
  (void)t;
  return true;
#else
  return t && std::string(t) == "wasm";
#endif
}

}  // namespace superpose::test
