// A session's named float buffers (docs/wasm-api.md): the Buffer type and the helpers every
// session's refresh_buffers fills them with.
// Not here: which buffers a kind has (each session), how they cross into JS (wasm/bindings.cpp).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/eigen.hpp"

namespace superpose {

struct Buffer {
  std::vector<int> shape;   // row-major
  std::vector<float> data;  // product(shape) values
};

// Puts a zeroed buffer of `shape` under `name` (replacing one of that name); returns its data.
float* add_buffer(std::map<std::string, Buffer>& buffers, const std::string& name,
                  std::vector<int> shape);

// Copies a column-major Eigen matrix into a row-major buffer slice of rows × cols floats.
void copy_row_major(const Eigen::Ref<const Mat>& M, float* out);

}  // namespace superpose
