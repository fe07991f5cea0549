#include "session/buffers.hpp"

#include <functional>
#include <numeric>

namespace superpose {

float* add_buffer(std::map<std::string, Buffer>& buffers, const std::string& name,
                  std::vector<int> shape) {
  Buffer& buf = buffers[name];
  buf.shape = std::move(shape);
  buf.data.assign(std::accumulate(buf.shape.begin(), buf.shape.end(), std::size_t{1},
                                  std::multiplies<std::size_t>()),
                  0.f);
  return buf.data.data();
}

void add_values(std::map<std::string, Buffer>& buffers, const std::string& name,
                std::initializer_list<double> values) {
  float* out = add_buffer(buffers, name, {static_cast<int>(values.size())});
  for (double v : values) *out++ = static_cast<float>(v);
}

void copy_row_major(const Eigen::Ref<const Mat>& M, float* out) {
  RowMatMap(out, M.rows(), M.cols()) = M;
}

}  // namespace superpose
