// Reading and writing NumPy .npy arrays (format versions 1.0, 2.0 and 3.0; numpy's
// `lib/format.py` documents the layout: magic "\x93NUMPY", version, little-endian header length,
// an ASCII Python-dict header {'descr', 'fortran_order', 'shape'} padded to 64 bytes, data).
// Written for untrusted input (uploaded files, CLI paths): the header is capped in size and
// parsed strictly, the dtype is whitelisted (float32 '<f4', float64 '<f8', little-endian), shape
// products are checked for overflow and against a size limit, and the data length must equal
// what the header announces. Every refusal is a std::invalid_argument saying what is wrong.
// Not here: other dtypes, pickled object arrays, .npz archives, memory mapping.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/eigen.hpp"

namespace superpose {

struct NpyLimits {
  std::size_t max_header_bytes = 65536;
  std::size_t max_elements = std::size_t(64) * 1024 * 1024;  // 256 MB of float32
  std::size_t max_dims = 8;
};

struct NpyArray {
  std::vector<int64_t> shape;
  std::string descr;          // "<f4" or "<f8", as in the file
  std::vector<float> data;    // the values in C (row-major) order, converted to float32
  std::size_t size() const;   // product of shape
};

// Parses a whole .npy file held in memory.
NpyArray parse_npy(const uint8_t* bytes, std::size_t size, const NpyLimits& limits = {});
// Reads a file (refusing files larger than the limits allow before reading them).
NpyArray read_npy_file(const std::string& path, const NpyLimits& limits = {});

// A 2-D array of activations, one sample per row: (N, d) -> the column-major (d, N) matrix
// whose columns are the samples. Refuses other ranks, empty arrays and non-finite values.
Mat npy_activations(const NpyArray& a);

// A float32 C-order .npy file (format 1.0) of the given shape; data holds product(shape) values.
std::vector<uint8_t> encode_npy(const float* data, const std::vector<int64_t>& shape);
void write_npy_file(const std::string& path, const float* data, const std::vector<int64_t>& shape);

}  // namespace superpose
