// safetensors reader/writer: round trips, the non-F32 dtypes, and every malformed case of
// issue 7 refused with its message (never a crash: every prefix and byte flip of a valid file
// is either read or refused with std::invalid_argument).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "io/safetensors.hpp"

namespace test_safetensors {

using namespace superpose;

namespace {
// A file from a header text and data bytes, exactly as given (no padding, no checks).
std::vector<uint8_t> raw_file(const std::string& header, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> out(8);
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::vector<uint8_t> f32_bytes(std::initializer_list<float> values) {
  std::vector<uint8_t> out;
  for (float f : values) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  }
  return out;
}

// Reads and returns the error message ("" if it was accepted).
std::string refusal(const std::vector<uint8_t>& bytes, const SafetensorsLimits& limits = {}) {
  try {
    read_safetensors(bytes, limits);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TensorFile sample() {
  TensorFile f;
  f.tensors["W"] = Tensor({2, 3}, {1.f, -2.5f, 3e-8f, 0.f, -0.f, 1e30f});
  f.tensors["b"] = Tensor({3}, {0.25f, -1.f, 7.f});
  f.tensors["scalar"] = Tensor({}, {42.f});
  f.tensors["empty"] = Tensor({0, 4}, {});
  f.metadata["format"] = "superpose-test";
  f.metadata["config"] = R"({"n": 3})";
  return f;
}
}  // namespace

TEST_CASE("safetensors: write then read gives identical tensors and metadata") {
  const TensorFile in = sample();
  const std::vector<uint8_t> bytes = write_safetensors(in);
  // header size is the first 8 bytes, and header + size field end on an 8-byte boundary
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  CHECK((8 + n) % 8 == 0);
  CHECK(bytes[8] == '{');
  CHECK(bytes.size() == 8 + n + 4 * (6 + 3 + 1));

  const TensorFile out = read_safetensors(bytes);
  REQUIRE(out.tensors.size() == in.tensors.size());
  for (const auto& [name, t] : in.tensors) {
    REQUIRE(out.tensors.count(name));
    CHECK(out.tensors.at(name).shape == t.shape);
    CHECK((t.data.empty() || std::memcmp(out.tensors.at(name).data.data(), t.data.data(), 4 * t.data.size()) == 0));
  }
  CHECK(out.metadata == in.metadata);
  // writing what was read gives the same bytes
  CHECK(write_safetensors(out) == bytes);
}

TEST_CASE("safetensors: F64, F16 and BF16 are read as float32") {
  std::vector<uint8_t> data;
  // F64: 1.5, -0.1
  for (double d : {1.5, -0.1}) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    for (int i = 0; i < 8; ++i) data.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  }
  // F16: 1.0 (0x3c00), -2.0 (0xc000), smallest subnormal 2^-24 (0x0001), inf (0x7c00)
  for (uint16_t h : {0x3c00, 0xc000, 0x0001, 0x7c00})
    data.insert(data.end(), {static_cast<uint8_t>(h & 0xff), static_cast<uint8_t>(h >> 8)});
  // BF16: 1.0 (0x3f80), -3.0 (0xc040)
  for (uint16_t h : {0x3f80, 0xc040})
    data.insert(data.end(), {static_cast<uint8_t>(h & 0xff), static_cast<uint8_t>(h >> 8)});
  const std::string header = R"({"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},)"
                             R"("h":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]},)"
                             R"("z":{"dtype":"BF16","shape":[2],"data_offsets":[24,28]}}   )";
  const TensorFile f = read_safetensors(raw_file(header, data));
  CHECK(f.tensors.at("a").data == std::vector<float>{1.5f, static_cast<float>(-0.1)});
  const auto& h = f.tensors.at("h").data;
  CHECK(h[0] == 1.f);
  CHECK(h[1] == -2.f);
  CHECK(h[2] == std::ldexp(1.f, -24));
  CHECK(std::isinf(h[3]));
  CHECK(f.tensors.at("h").shape == std::vector<int64_t>{2, 2});
  CHECK(f.tensors.at("z").data == std::vector<float>{1.f, -3.f});
  CHECK_THROWS_WITH_AS(require_finite(f.tensors.at("h"), "h"),
                       doctest::Contains("tensor \"h\" has a non-finite value at index 3"),
                       std::invalid_argument);
}

TEST_CASE("safetensors: malformed files are refused with a message") {
  const std::vector<uint8_t> w = f32_bytes({1, 2, 3, 4});
  auto one = [&](const std::string& entry) { return raw_file("{\"W\":" + entry + "}", w); };

  SUBCASE("truncated header size") {
    CHECK(refusal({1, 0, 0}) == "safetensors: file too small (3 bytes): a safetensors file starts with an 8-byte header size");
  }
  SUBCASE("header size beyond the file") {
    std::vector<uint8_t> b = one(R"({"dtype":"F32","shape":[4],"data_offsets":[0,16]})");
    b[0] = 0xff;
    b[1] = 0x7f;  // 32767 bytes of header in a ~70-byte file
    CHECK(refusal(b).find("header size 32767 runs beyond the end of the file") != std::string::npos);
    b[7] = 0xff;  // ~2^64: must not wrap around
    CHECK(refusal(b).find("exceeds the limit of 104857600 bytes") != std::string::npos);
  }
  SUBCASE("an empty tensor name (found by fuzz_safetensors: the writer refuses it)") {
    CHECK(refusal(raw_file(R"({"":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", w)) ==
          "safetensors: a tensor's name must not be empty");
  }
  SUBCASE("truncated header text") {
    std::vector<uint8_t> b = one(R"({"dtype":"F32","shape":[4],"data_offsets":[0,16]})");
    b.resize(30);
    CHECK(refusal(b).find("runs beyond the end of the file") != std::string::npos);
  }
  SUBCASE("header over the cap") {
    SafetensorsLimits small;
    small.max_header_bytes = 16;
    CHECK(refusal(one(R"({"dtype":"F32","shape":[4],"data_offsets":[0,16]})"), small)
              .find("exceeds the limit of 16 bytes") != std::string::npos);
  }
  SUBCASE("header not JSON, not an object") {
    CHECK(refusal(raw_file("{\"W\": [", w)).find("header is not valid JSON") != std::string::npos);
    CHECK(refusal(raw_file("[1, 2]", w)).find("header must be a JSON object") != std::string::npos);
    CHECK(refusal(raw_file("{}", {})) == "");  // an empty file is fine
  }
  SUBCASE("duplicate tensor names") {
    const std::string e = R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    CHECK(refusal(raw_file("{\"W\":" + e + ",\"W\":" + e + "}", f32_bytes({1, 2}))) ==
          "safetensors: duplicate key \"W\" in the header");
  }
  SUBCASE("overlapping offsets") {
    const std::string h = R"({"A":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},)"
                          R"("B":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})";
    CHECK(refusal(raw_file(h, w)) ==
          "safetensors: tensors \"A\" and \"B\" overlap (bytes [8, 12) of the data section)");
  }
  SUBCASE("offsets out of range, reversed, holes, trailing bytes") {
    CHECK(refusal(one(R"({"dtype":"F32","shape":[5],"data_offsets":[0,20]})")) ==
          "safetensors: tensor \"W\": data_offsets [0, 20] lie outside the data section (16 bytes)");
    CHECK(refusal(one(R"({"dtype":"F32","shape":[4],"data_offsets":[18446744073709551615,16]})"))
              .find("end before they begin") != std::string::npos);
    CHECK(refusal(one(R"({"dtype":"F32","shape":[3],"data_offsets":[4,16]})")) ==
          "safetensors: bytes [0, 4) of the data section belong to no tensor");
    CHECK(refusal(one(R"({"dtype":"F32","shape":[3],"data_offsets":[0,12]})"))
              .find("the data section has 16 bytes but the tensors cover 12") != std::string::npos);
    CHECK(refusal(one(R"({"dtype":"F32","shape":[4],"data_offsets":[0,-16]})")) ==
          "safetensors: tensor \"W\": data_offsets end is negative (-16)");
    CHECK(refusal(one(R"({"dtype":"F32","shape":[4],"data_offsets":[0]})")) ==
          "safetensors: tensor \"W\": data_offsets must be [begin, end]");
  }
  SUBCASE("unknown and unsupported dtypes") {
    CHECK(refusal(one(R"({"dtype":"F33","shape":[4],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": unknown dtype \"F33\" (readable: F32, F64, F16, BF16)");
    CHECK(refusal(one(R"({"dtype":"I32","shape":[4],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": unsupported dtype \"I32\" (readable: F32, F64, F16, BF16)");
    CHECK(refusal(one(R"({"dtype":7,"shape":[4],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": dtype must be a string");
  }
  SUBCASE("shape does not match the byte length") {
    CHECK(refusal(one(R"({"dtype":"F32","shape":[2,3],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": shape [2, 3] of F32 needs 24 bytes but data_offsets span 16");
    CHECK(refusal(one(R"({"dtype":"F64","shape":[4],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": shape [4] of F64 needs 32 bytes but data_offsets span 16");
  }
  SUBCASE("huge, negative and non-integer dimensions") {
    CHECK(refusal(one(R"({"dtype":"F32","shape":[4294967296,0],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": shape dimension 4294967296 is too large (max 2147483648)");
    // each dimension allowed, the product overflows 64 bits
    CHECK(refusal(one(R"({"dtype":"F32","shape":[2147483648,2147483648,2147483648],"data_offsets":[0,16]})"))
              .find("has too many elements") != std::string::npos);
    // product fits in 64 bits, product × 4 does not
    CHECK(refusal(one(R"({"dtype":"F32","shape":[2147483648,2147483648,2],"data_offsets":[0,16]})"))
              .find("needs more bytes but data_offsets span 16") != std::string::npos);
    CHECK(refusal(one(R"({"dtype":"F32","shape":[-4],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": shape dimension is negative (-4)");
    CHECK(refusal(one(R"({"dtype":"F32","shape":[4.0],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": shape dimension must be a non-negative integer (got 4.0)");
    CHECK(refusal(one(R"({"dtype":"F32","shape":[1,1,1,1,1,1,1,1,4],"data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": rank 9 exceeds 8");
  }
  SUBCASE("missing fields, bad metadata, deep nesting") {
    CHECK(refusal(one(R"({"dtype":"F32","data_offsets":[0,16]})")) ==
          "safetensors: tensor \"W\": missing \"shape\"");
    CHECK(refusal(one("3")) ==
          "safetensors: tensor \"W\": entry must be an object with dtype, shape, data_offsets");
    CHECK(refusal(raw_file(R"({"__metadata__":{"a":1}})", {})) ==
          "safetensors: __metadata__ value of \"a\" must be a string (got 1)");
    std::string deep = "{\"x\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
    CHECK(refusal(raw_file(deep, {})) == "safetensors: header nests deeper than 16 levels");
  }
}

TEST_CASE("safetensors: every prefix and every byte flip of a valid file is read or refused") {
  const std::vector<uint8_t> good = write_safetensors(sample());
  int refused = 0;
  for (std::size_t n = 0; n < good.size(); ++n) {
    std::vector<uint8_t> prefix(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK_THROWS_AS(read_safetensors(prefix), std::invalid_argument);
  }
  for (std::size_t i = 0; i < good.size(); ++i)
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::vector<uint8_t> b = good;
      b[i] ^= flip;
      try {
        read_safetensors(b);
      } catch (const std::invalid_argument&) {
        ++refused;
      }
    }
  CHECK(refused > 0);
}

TEST_CASE("safetensors: the writer refuses what it cannot write; expect_tensor names the problem") {
  TensorFile f;
  f.tensors["__metadata__"] = Tensor({1}, {1.f});
  CHECK_THROWS_WITH_AS(write_safetensors(f), doctest::Contains("invalid tensor name \"__metadata__\""),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Tensor({2, 2}, {1.f}), "tensor shape [2, 2] needs 4 values (got 1)",
                       std::invalid_argument);
  const TensorFile s = sample();
  CHECK(expect_tensor(s, "W", {2, 3}, "toy model").data.size() == 6);
  CHECK_THROWS_WITH_AS(expect_tensor(s, "W", {3, 2}, "toy model"),
                       "toy model: tensor \"W\" has shape [2, 3], expected [3, 2]", std::invalid_argument);
  CHECK_THROWS_WITH_AS(expect_tensor(s, "W2", {3, 2}, "toy model"),
                       "toy model: missing tensor \"W2\" (the file has: W, b, empty, scalar)",
                       std::invalid_argument);
}

}  // namespace test_safetensors
