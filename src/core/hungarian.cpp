#include "core/hungarian.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace superpose {

std::vector<int> hungarian(const Eigen::Ref<const Mat>& cost) {
  const int rows = static_cast<int>(cost.rows()), cols = static_cast<int>(cost.cols());
  std::vector<int> row_to_col(rows, -1);
  if (rows == 0 || cols == 0) return row_to_col;
  if (!cost.allFinite()) throw std::invalid_argument("hungarian: every cost must be finite");
  // Work on the n × m orientation with n ≤ m, row-major (a row's costs contiguous).
  const bool transposed = rows > cols;
  const int n = transposed ? cols : rows, m = transposed ? rows : cols;
  RowMat a = transposed ? RowMat(cost.transpose()) : RowMat(cost);
  // Potentials u (rows), v (columns); p[j]: the row (1-based) holding column j, 0 when free;
  // column 0 is the augmenting path's virtual start.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0), minv(m + 1);
  std::vector<int> p(m + 1, 0), way(m + 1, 0);
  std::vector<char> used(m + 1);
  for (int i = 1; i <= n; ++i) {
    // Dijkstra from row i over reduced costs until a free column is reached.
    p[0] = i;
    int j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const int i0 = p[j0];
      const float* row = a.data() + std::size_t(i0 - 1) * m;
      const double ui0 = u[i0];
      double delta = inf;
      int j1 = 0;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double cur = row[j - 1] - ui0 - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    // Flip the augmenting path.
    do {
      const int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  for (int j = 1; j <= m; ++j) {
    if (p[j] == 0) continue;
    if (transposed) row_to_col[j - 1] = p[j] - 1;
    else row_to_col[p[j] - 1] = j - 1;
  }
  return row_to_col;
}

}  // namespace superpose
