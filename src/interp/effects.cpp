#include "interp/effects.hpp"

#include <algorithm>
#include <numeric>

namespace superpose {

namespace {
constexpr float kNoEffect = 1e-12f;
}

double diagonality(const Eigen::Ref<const Mat>& E) {
  double sum = 0;
  int counted = 0;
  for (Eigen::Index r = 0; r < E.rows(); ++r) {
    const double total = E.row(r).cwiseAbs().sum();
    if (!(total > kNoEffect)) continue;
    sum += E.row(r).cwiseAbs().maxCoeff() / total;
    ++counted;
  }
  return counted ? sum / counted : 0.0;
}

std::vector<int> top_features(const Eigen::Ref<const Mat>& E) {
  std::vector<int> top(E.rows(), -1);
  for (Eigen::Index r = 0; r < E.rows(); ++r) {
    if (!(E.row(r).cwiseAbs().sum() > kNoEffect)) continue;
    Eigen::Index j;
    E.row(r).cwiseAbs().maxCoeff(&j);
    top[r] = static_cast<int>(j);
  }
  return top;
}

std::vector<int> diagonal_order(const Eigen::Ref<const Mat>& E) {
  const std::vector<int> top = top_features(E);
  std::vector<int> order(E.rows());
  std::iota(order.begin(), order.end(), 0);
  const auto n = static_cast<int>(E.cols());
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const int ta = top[a] < 0 ? n : top[a], tb = top[b] < 0 ? n : top[b];
    if (ta != tb) return ta < tb;
    if (ta == n) return false;
    return std::abs(E(a, ta)) > std::abs(E(b, tb));
  });
  return order;
}

}  // namespace superpose
