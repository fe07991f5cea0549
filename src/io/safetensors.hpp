// safetensors: named tensors in one file, read from untrusted bytes and written as float32.
//
// Format (https://huggingface.co/docs/safetensors, "Format"):
//   [8 bytes]  N, little-endian u64: size of the header
//   [N bytes]  UTF-8 JSON object, may end in spaces:
//                {"name": {"dtype": "F32", "shape": [2, 5], "data_offsets": [begin, end]}, ...,
//                 "__metadata__": {"key": "string value", ...}}   (optional)
//   [rest]     the data section; offsets are relative to its start, tensors are row-major
//              little-endian and tile the data section without holes or overlaps.
//
// Reading trusts nothing: every length and offset is checked against the bytes actually there
// with overflow-safe arithmetic, the header is capped (ReadLimits) and must be one JSON object
// without duplicate keys, dtypes are whitelisted (F32, F64, F16, BF16; all converted to float32),
// shape × dtype size must equal the tensor's byte length, dimensions are capped. A bad file is a
// std::invalid_argument whose message says what is wrong; it never crashes.
// Writing produces F32 only, tensors in name order, header padded with spaces to 8 bytes.
// Not here: what the tensors mean (toy/toy_export.hpp, io/saelens.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace superpose {

// A float32 tensor, row-major (C order), as safetensors and numpy store it.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;  // product(shape) values

  Tensor() = default;
  Tensor(std::vector<int64_t> shape_, std::vector<float> data_);  // checks the sizes agree
  std::size_t numel() const { return data.size(); }
};

struct TensorFile {
  std::map<std::string, Tensor> tensors;
  std::map<std::string, std::string> metadata;  // "__metadata__": string → string
};

struct SafetensorsLimits {
  std::size_t max_header_bytes = 100u << 20;  // 100 MB, like the reference implementation
  int max_rank = 8;
  int64_t max_dim = int64_t{1} << 31;          // any single dimension
  int max_depth = 16;                          // JSON nesting of the header
};

// Parses a whole file's bytes. Throws std::invalid_argument naming the problem (and the tensor).
TensorFile read_safetensors(const uint8_t* bytes, std::size_t size,
                            const SafetensorsLimits& limits = {});
inline TensorFile read_safetensors(const std::vector<uint8_t>& bytes,
                                   const SafetensorsLimits& limits = {}) {
  return read_safetensors(bytes.data(), bytes.size(), limits);
}

// Serialises as F32. Throws std::invalid_argument if a name is empty or "__metadata__", or a
// tensor's data does not match its shape.
std::vector<uint8_t> write_safetensors(const TensorFile& file);

// File helpers (native CLI, tests). Errors name the path.
std::vector<uint8_t> read_file_bytes(const std::string& path);
void write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes);
TensorFile load_safetensors(const std::string& path, const SafetensorsLimits& limits = {});
void save_safetensors(const std::string& path, const TensorFile& file);

// The tensor `name` of `file` with exactly `shape`; otherwise throws naming what was expected
// (`what` prefixes the message, e.g. the file's role: "toy model").
const Tensor& expect_tensor(const TensorFile& file, const std::string& name,
                            const std::vector<int64_t>& shape, const std::string& what);
// Throws unless every value is finite (a NaN in an imported model would poison everything).
void require_finite(const Tensor& t, const std::string& name);

std::string shape_string(const std::vector<int64_t>& shape);  // "[2, 5]"

}  // namespace superpose
