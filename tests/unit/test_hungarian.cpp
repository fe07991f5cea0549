// core/hungarian: the assignment's total cost equals brute force (every injective map of the
// smaller side into the larger) on small random rectangular problems, both orientations, with
// ties (integer costs) and without; the result is a valid one-to-one assignment.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>

#include "core/hungarian.hpp"
#include "core/rng.hpp"

namespace test_hungarian {

using namespace superpose;

namespace {
// The minimum over injective maps rows -> cols (rows ≤ cols) of Σ cost(r, map(r)).
double brute_force(const Mat& cost) {
  const bool t = cost.rows() > cost.cols();
  const Mat a = t ? Mat(cost.transpose()) : cost;
  const int n = static_cast<int>(a.rows()), m = static_cast<int>(a.cols());
  std::vector<int> cols(m);
  std::iota(cols.begin(), cols.end(), 0);
  double best = 1e300;
  // Every permutation of the columns; its first n entries are an injective map (repeats are
  // harmless for a minimum).
  do {
    double sum = 0;
    for (int r = 0; r < n; ++r) sum += a(r, cols[r]);
    best = std::min(best, sum);
  } while (std::next_permutation(cols.begin(), cols.end()));
  return best;
}

double assigned_cost(const Mat& cost, const std::vector<int>& row_to_col) {
  double sum = 0;
  for (int r = 0; r < cost.rows(); ++r)
    if (row_to_col[r] >= 0) sum += cost(r, row_to_col[r]);
  return sum;
}
}  // namespace

TEST_CASE("hungarian: equals brute force on small random rectangular problems") {
  Rng rng(17, 0);
  int cases = 0;
  for (int rows = 1; rows <= 6; ++rows)
    for (int cols = 1; cols <= 6; ++cols)
      for (int rep = 0; rep < 6; ++rep) {
        Mat cost(rows, cols);
        const bool ties = rep % 2 == 1;
        for (int i = 0; i < cost.size(); ++i)
          cost.data()[i] = ties ? static_cast<float>(rng.below(4)) : static_cast<float>(rng.normal());
        const std::vector<int> a = hungarian(cost);
        REQUIRE(a.size() == std::size_t(rows));
        // One-to-one, and exactly min(rows, cols) rows assigned.
        std::vector<int> taken(cols, 0);
        int assigned = 0;
        for (int c : a)
          if (c >= 0) {
            REQUIRE(c < cols);
            CHECK(taken[c]++ == 0);
            ++assigned;
          }
        CHECK(assigned == std::min(rows, cols));
        INFO(rows << " x " << cols << " rep " << rep);
        CHECK(assigned_cost(cost, a) == doctest::Approx(brute_force(cost)).epsilon(1e-9));
        ++cases;
      }
  CHECK(cases == 216);
}

TEST_CASE("hungarian: the identity costs nothing; empty and non-finite inputs") {
  Mat cost = Mat::Ones(5, 7);
  for (int i = 0; i < 5; ++i) cost(i, (i * 3) % 7) = 0;
  const std::vector<int> a = hungarian(cost);
  for (int i = 0; i < 5; ++i) CHECK(a[i] == (i * 3) % 7);
  CHECK(hungarian(Mat(0, 3)).empty());
  CHECK(hungarian(Mat(2, 0)) == std::vector<int>{-1, -1});
  cost(1, 1) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(hungarian(cost), std::invalid_argument);
}

TEST_CASE("hungarian: the page's scale, 1024 x 1024 costs 1 - |cos| of random directions") {
  // An untrained SAE against 1,024 true features in 128 dims: no clear matches, the slow case.
  Rng rng(3, 0);
  Mat A(128, 1024), B(128, 1024);
  for (int i = 0; i < A.size(); ++i) A.data()[i] = static_cast<float>(rng.normal());
  for (int i = 0; i < B.size(); ++i) B.data()[i] = static_cast<float>(rng.normal());
  A.colwise().normalize();
  B.colwise().normalize();
  const Mat cost = 1.f - (A.transpose() * B).cwiseAbs().array();
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<int> a = hungarian(cost);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // A permutation, no worse than greedy (each row its cheapest free column, in order).
  std::vector<int> taken(1024, 0);
  for (int c : a) CHECK(taken[c]++ == 0);
  std::vector<char> used(1024, 0);
  double greedy = 0;
  for (int r = 0; r < 1024; ++r) {
    int best = -1;
    for (int c = 0; c < 1024; ++c)
      if (!used[c] && (best < 0 || cost(r, c) < cost(r, best))) best = c;
    used[best] = 1;
    greedy += cost(r, best);
  }
  double optimal = 0;
  for (int r = 0; r < 1024; ++r) optimal += cost(r, a[r]);
  MESSAGE("1024 x 1024: " << seconds << " s; cost " << optimal << " (greedy " << greedy << ")");
  CHECK(optimal <= greedy);
}

}  // namespace test_hungarian
