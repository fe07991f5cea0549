// The one Eigen include point and the project's matrix aliases.
// Matrices are column-major (Eigen's default): a batch is (features, batch), one sample per
// contiguous column. Row-major aliases exist only for copying into the [.., rows, cols]
// row-major buffers the page and the JSON output use.
#pragma once
#include <Eigen/Dense>

namespace superpose {
using Mat = Eigen::MatrixXf;
using Vec = Eigen::VectorXf;
using MatMap = Eigen::Map<Eigen::MatrixXf>;
using ConstMatMap = Eigen::Map<const Eigen::MatrixXf>;
using VecMap = Eigen::Map<Eigen::VectorXf>;
using ConstVecMap = Eigen::Map<const Eigen::VectorXf>;
using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatMap = Eigen::Map<RowMat>;
}  // namespace superpose
