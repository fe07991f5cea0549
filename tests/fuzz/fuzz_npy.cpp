// libFuzzer target: the .npy reader (src/io/npy.hpp) on untrusted bytes.
// Contract checked: a bad file is a std::invalid_argument with a message, never another
// exception, a crash or UB; an array that parses has size() == product(shape) values, converts
// to activations or refuses with a message, and encodes back to an array with the same bits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "io/npy.hpp"

namespace {
[[noreturn]] void finding(const char* what, const char* detail) {
  std::fprintf(stderr, "fuzz_npy: %s: %s\n", what, detail);
  std::abort();
}

template <class F>
bool refused_cleanly(const char* where, F&& f) {
  try {
    f();
    return false;
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).empty()) finding(where, "empty error message");
    return true;
  } catch (const std::exception& e) {
    finding(where, e.what());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  superpose::NpyArray a;
  if (refused_cleanly("parse_npy", [&] { a = superpose::parse_npy(data, size); })) return 0;
  if (a.data.size() != a.size()) finding("parse_npy", "data.size() != product(shape)");
  refused_cleanly("npy_activations", [&] { (void)superpose::npy_activations(a); });
  superpose::NpyArray back;
  if (refused_cleanly("round trip", [&] {
        const std::vector<uint8_t> bytes = superpose::encode_npy(a.data.data(), a.shape);
        back = superpose::parse_npy(bytes.data(), bytes.size());
      }))
    finding("round trip", "an array that was read cannot be written and read back");
  if (back.shape != a.shape || back.data.size() != a.data.size() ||
      (!a.data.empty() && std::memcmp(back.data.data(), a.data.data(), a.data.size() * 4) != 0))
    finding("round trip", "the array changed");
  return 0;
}
