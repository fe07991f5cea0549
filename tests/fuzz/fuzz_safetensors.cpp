// libFuzzer target: the safetensors reader (src/io/safetensors.hpp) on untrusted bytes.
// Contract checked: a bad file is a std::invalid_argument with a message, never another
// exception, a crash or UB; a file that reads must write back and read again to the same tensors.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "io/safetensors.hpp"

namespace {
[[noreturn]] void finding(const char* what, const char* detail) {
  std::fprintf(stderr, "fuzz_safetensors: %s: %s\n", what, detail);
  std::abort();
}

bool same_bits(const superpose::Tensor& a, const superpose::Tensor& b) {
  return a.shape == b.shape && a.data.size() == b.data.size() &&
         (a.data.empty() || std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(float)) == 0);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  superpose::TensorFile file;
  try {
    file = superpose::read_safetensors(data, size);
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).empty()) finding("read", "empty error message");
    return 0;
  } catch (const std::exception& e) {
    finding("read", e.what());
  }
  // Round trip: what was read is float32 now; writing and reading it back changes nothing.
  try {
    const std::vector<uint8_t> bytes = superpose::write_safetensors(file);
    const superpose::TensorFile back = superpose::read_safetensors(bytes);
    if (back.metadata != file.metadata || back.tensors.size() != file.tensors.size())
      finding("round trip", "metadata or tensor count changed");
    for (const auto& [name, t] : file.tensors) {
      auto it = back.tensors.find(name);
      if (it == back.tensors.end() || !same_bits(t, it->second))
        finding("round trip", ("tensor changed: " + name).c_str());
    }
  } catch (const std::exception& e) {
    finding("round trip", e.what());
  }
  return 0;
}
