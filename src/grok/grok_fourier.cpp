#include "grok/grok_fourier.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace superpose {

Mat fourier_power(const Eigen::Ref<const Mat>& embedding, int p) {
  const int K = p / 2, blocks = static_cast<int>(embedding.cols() / p);
  Mat C(p, K + 1), S(p, K + 1);  // (p, K + 1): the basis, angles reduced mod p exactly
  for (int k = 0; k <= K; ++k)
    for (int t = 0; t < p; ++t) {
      const double angle = 2.0 * M_PI * double((k * t) % p) / p;
      C(t, k) = static_cast<float>(std::cos(angle));
      S(t, k) = static_cast<float>(std::sin(angle));
    }
  Mat power = Mat::Zero(embedding.rows(), K + 1);
  for (int blk = 0; blk < blocks; ++blk) {
    const auto W = embedding.middleCols(blk * p, p);  // (r, p)
    const Mat re = W * C, im = W * S;                 // (r, K + 1)
    power.array() += re.array().square() + im.array().square();
  }
  for (int k = 1; k <= K; ++k)
    if (2 * k != p) power.col(k) *= 2.f;
  return power;
}

Vec fourier_spectrum(const Mat& power) {
  Vec s = power.colwise().sum().transpose();
  const float total = s.sum();
  if (total > 0.f) s /= total;
  return s;
}

double fourier_concentration(const Mat& power) {
  const double total = power.sum();
  return total > 0 ? double(power.rowwise().maxCoeff().sum()) / total : 0.0;
}

std::vector<int> dominant_frequencies(const Mat& power) {
  std::vector<int> k(power.rows());
  for (Eigen::Index r = 0; r < power.rows(); ++r) power.row(r).maxCoeff(&k[r]);
  return k;
}

std::vector<int> top_frequencies(const Vec& spectrum, int count) {
  std::vector<int> k(std::max<int>(0, static_cast<int>(spectrum.size()) - 1));
  std::iota(k.begin(), k.end(), 1);
  std::stable_sort(k.begin(), k.end(), [&](int i, int j) { return spectrum[i] > spectrum[j]; });
  if (static_cast<int>(k.size()) > count) k.resize(count);
  return k;
}

}  // namespace superpose
