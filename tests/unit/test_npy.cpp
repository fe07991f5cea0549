// The .npy reader: round trips, numpy's own header forms, and refusals of untrusted input
// (truncated, wrong dtype, oversized, malformed headers), each with a message saying why.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "io/npy.hpp"

namespace test_npy {

using namespace superpose;

namespace {
// A file with a hand-written header (padded like numpy: total prelude + header ≡ 0 mod 64).
std::vector<uint8_t> make_file(const std::string& dict, const std::vector<uint8_t>& data, int major = 1) {
  std::string header = dict;
  const std::size_t prelude = major == 1 ? 10 : 12;
  header.append((64 - (prelude + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  const uint32_t len = static_cast<uint32_t>(header.size());
  out.push_back(len & 0xff);
  out.push_back((len >> 8) & 0xff);
  if (major > 1) {
    out.push_back((len >> 16) & 0xff);
    out.push_back(len >> 24);
  }
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}
template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}
std::string refusal(const std::vector<uint8_t>& file, const NpyLimits& limits = {}) {
  try {
    parse_npy(file.data(), file.size(), limits);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("npy: float32 round trip through encode_npy and parse_npy") {
  const std::vector<float> v = {1.f, -2.5f, 3.f, 0.f, 1e-8f, 7.f};
  const auto file = encode_npy(v.data(), {2, 3});
  CHECK(file.size() % 64 == 24 % 64);  // 64-byte aligned header, then 24 data bytes
  const NpyArray a = parse_npy(file.data(), file.size());
  CHECK(a.shape == std::vector<int64_t>{2, 3});
  CHECK(a.descr == "<f4");
  CHECK(a.data == v);
  const Mat m = npy_activations(a);  // (d=3, N=2): sample per column
  CHECK(m.rows() == 3);
  CHECK(m.cols() == 2);
  CHECK(m(1, 0) == -2.5f);
  CHECK(m(0, 1) == 0.f);
}

TEST_CASE("npy: float64, format 2.0, numpy's 1-D shape form and Fortran order are read") {
  const std::vector<double> v = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  auto a = parse_npy(make_file("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", bytes_of(v), 2).data(),
                     make_file("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", bytes_of(v), 2).size());
  CHECK(a.shape == std::vector<int64_t>{6});
  CHECK(a.data[5] == 6.f);
  // Fortran order (2, 3): the file holds columns; the array is returned in C order.
  const auto f = make_file("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", bytes_of(v));
  a = parse_npy(f.data(), f.size());
  CHECK(a.data == std::vector<float>{1, 3, 5, 2, 4, 6});
}

TEST_CASE("npy: truncated files are refused") {
  const std::vector<float> v(12, 1.f);
  const auto good = encode_npy(v.data(), {3, 4});
  for (std::size_t cut : {std::size_t(0), std::size_t(5), std::size_t(9), std::size_t(40), good.size() - 1}) {
    const std::vector<uint8_t> bad(good.begin(), good.begin() + cut);
    INFO("cut at " << cut << ": " << refusal(bad));
    CHECK(refusal(bad).rfind("npy: ", 0) == 0);
  }
  const std::vector<uint8_t> short_data(good.begin(), good.end() - 4);
  CHECK(refusal(short_data).find("truncated") != std::string::npos);
  std::vector<uint8_t> long_data = good;
  long_data.push_back(0);
  CHECK(refusal(long_data).find("after the data") != std::string::npos);
}

TEST_CASE("npy: wrong dtypes are refused, naming the dtype") {
  const std::vector<uint8_t> data(16, 0);
  for (const char* descr : {">f4", "<i4", "<f2", "|u1", "<c8", "O", "<U4"}) {
    const auto file = make_file(std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (4,), }", data);
    const std::string why = refusal(file);
    INFO(descr << ": " << why);
    CHECK(why.find("dtype '" + std::string(descr) + "' is not supported") != std::string::npos);
  }
}

TEST_CASE("npy: oversized shapes and headers are refused before allocating") {
  const std::vector<uint8_t> data(16, 0);
  const auto huge = make_file("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000, 100000000000), }", data);
  CHECK(refusal(huge).find("too large") != std::string::npos);
  const auto big = make_file("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }", data);
  NpyLimits small;
  small.max_elements = 1000;
  CHECK(refusal(big, small).find("too large") != std::string::npos);
  CHECK(refusal(big).find("truncated") != std::string::npos);  // within limits, but no data
  // A header length field pointing far beyond any sane header.
  std::vector<uint8_t> file = {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0xff, 0xff, 0xff, 0x7f};
  file.resize(64, ' ');
  CHECK(refusal(file).find("header of") != std::string::npos);
}

TEST_CASE("npy: malformed headers and magic are refused") {
  const std::vector<uint8_t> data(16, 0);
  const char* bad_dicts[] = {
      "{'descr': '<f4', 'shape': (4,), }",                                   // no fortran_order
      "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (4,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': 1}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4,) } trailing",
      "['descr', '<f4']",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1,4), }",
  };
  for (const char* dict : bad_dicts) {
    INFO(dict);
    CHECK(refusal(make_file(dict, data)).rfind("npy: ", 0) == 0);
  }
  std::vector<uint8_t> bad_magic = encode_npy(std::vector<float>(4, 0.f).data(), {4});
  bad_magic[1] = 'X';
  CHECK(refusal(bad_magic).find("bad magic") != std::string::npos);
}

TEST_CASE("npy: activations must be 2-D, non-empty and finite") {
  const std::vector<float> v = {1.f, 2.f, 3.f, 4.f};
  auto a = parse_npy(encode_npy(v.data(), {4}).data(), encode_npy(v.data(), {4}).size());
  CHECK_THROWS_WITH_AS(npy_activations(a), doctest::Contains("2-D"), std::invalid_argument);
  const std::vector<float> nan = {1.f, std::nanf(""), 3.f, 4.f};
  const auto f = encode_npy(nan.data(), {2, 2});
  a = parse_npy(f.data(), f.size());
  CHECK_THROWS_WITH_AS(npy_activations(a), doctest::Contains("NaN"), std::invalid_argument);
  const auto empty = encode_npy(v.data(), {0, 4});
  a = parse_npy(empty.data(), empty.size());
  CHECK_THROWS_WITH_AS(npy_activations(a), doctest::Contains("empty"), std::invalid_argument);
}

TEST_CASE("npy: files are read from disk; a missing file is refused") {
  const std::vector<float> v = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};
  const std::string path = "superpose_test_npy_roundtrip.npy";
  write_npy_file(path, v.data(), {3, 2});
  const NpyArray a = read_npy_file(path);
  std::remove(path.c_str());
  CHECK(a.data == v);
  CHECK_THROWS_WITH_AS(read_npy_file("/nonexistent/x.npy"), doctest::Contains("cannot open"), std::invalid_argument);
}

}  // namespace test_npy
