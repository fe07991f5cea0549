// The float SIMD batch of the kernels (xsimd's widest for the build's target: AVX-512 or AVX2
// natively, SSE through Emscripten's SIMD128 in wasm) and its width in floats, named once for
// every kernel file.
#pragma once
#include <cstddef>
#include <xsimd/xsimd.hpp>

namespace superpose::simd {
using B = xsimd::batch<float>;
inline constexpr std::size_t W = B::size;
}  // namespace superpose::simd
