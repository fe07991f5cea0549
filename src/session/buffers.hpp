// A session's named float buffers (docs/wasm-api.md): the Buffer type and the helpers every
// session's refresh_buffers fills them with.
// Not here: which buffers a kind has (each session), how they cross into JS (wasm/bindings.cpp).
#pragma once
#include <initializer_list>
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

// A few values in a fixed order as one buffer (shape (n)): a metrics row, one number.
void add_values(std::map<std::string, Buffer>& buffers, const std::string& name,
                std::initializer_list<double> values);

// A history as one buffer per quantity: `name` holds value(point) of every point, in order
// (shape (H); the page reads the columns by name, and they grow with the run).
template <class Point, class F>
void add_column(std::map<std::string, Buffer>& buffers, const std::string& name,
                const std::vector<Point>& points, F value) {
  float* out = add_buffer(buffers, name, {static_cast<int>(points.size())});
  for (std::size_t i = 0; i < points.size(); ++i) out[i] = static_cast<float>(value(points[i]));
}

// Copies a column-major Eigen matrix into a row-major buffer slice of rows × cols floats.
void copy_row_major(const Eigen::Ref<const Mat>& M, float* out);

}  // namespace superpose
