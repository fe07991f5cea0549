#include "io/npy.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace superpose {

namespace {
[[noreturn]] void refuse(const std::string& why) { throw std::invalid_argument("npy: " + why); }

// A strict reader of the header dict: {'key': value, ...} with the three keys numpy writes.
class HeaderParser {
 public:
  explicit HeaderParser(const std::string& s) : s_(s) {}
  void parse(NpyArray& out, bool& fortran, std::size_t max_dims) {
    bool have_descr = false, have_order = false, have_shape = false;
    skip();
    expect('{');
    for (;;) {
      skip();
      if (peek() == '}') { ++i_; break; }
      const std::string key = quoted();
      skip();
      expect(':');
      skip();
      if (key == "descr") {
        if (have_descr) refuse("header repeats 'descr'");
        out.descr = quoted();
        have_descr = true;
      } else if (key == "fortran_order") {
        if (have_order) refuse("header repeats 'fortran_order'");
        if (s_.compare(i_, 4, "True") == 0) { fortran = true; i_ += 4; }
        else if (s_.compare(i_, 5, "False") == 0) { fortran = false; i_ += 5; }
        else refuse("fortran_order must be True or False");
        have_order = true;
      } else if (key == "shape") {
        if (have_shape) refuse("header repeats 'shape'");
        shape(out.shape, max_dims);
        have_shape = true;
      } else {
        refuse("unexpected header key '" + key + "'");
      }
      skip();
      if (peek() == ',') { ++i_; continue; }
      skip();
      expect('}');
      break;
    }
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    if (i_ != s_.size()) refuse("unexpected text after the header dict");
    if (!have_descr || !have_order || !have_shape)
      refuse("header lacks one of 'descr', 'fortran_order', 'shape'");
  }

 private:
  const std::string& s_;
  std::size_t i_ = 0;
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip() { while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_; }
  void expect(char c) {
    if (peek() != c) refuse(std::string("malformed header (expected '") + c + "')");
    ++i_;
  }
  std::string quoted() {
    const char q = peek();
    if (q != '\'' && q != '"') refuse("malformed header (expected a quoted string)");
    const std::size_t end = s_.find(q, i_ + 1);
    if (end == std::string::npos || end - i_ > 64) refuse("malformed header (bad string)");
    std::string v = s_.substr(i_ + 1, end - i_ - 1);
    i_ = end + 1;
    return v;
  }
  void shape(std::vector<int64_t>& dims, std::size_t max_dims) {
    expect('(');
    for (;;) {
      skip();
      if (peek() == ')') { ++i_; return; }
      if (!(peek() >= '0' && peek() <= '9')) refuse("shape entries must be non-negative integers");
      int64_t v = 0;
      int digits = 0;
      while (peek() >= '0' && peek() <= '9') {
        if (++digits > 15) refuse("shape entry is too large");
        v = v * 10 + (s_[i_++] - '0');
      }
      dims.push_back(v);
      if (dims.size() > max_dims) refuse("too many dimensions (limit " + std::to_string(max_dims) + ")");
      skip();
      if (peek() == ',') { ++i_; continue; }
      expect(')');
      return;
    }
  }
};

uint32_t read_le(const uint8_t* p, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
}  // namespace

std::size_t NpyArray::size() const {
  std::size_t n = 1;
  for (int64_t d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

NpyArray parse_npy(const uint8_t* bytes, std::size_t size, const NpyLimits& limits) {
  static const uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(bytes, kMagic, 6) != 0) refuse("not a .npy file (bad magic)");
  const int major = bytes[6];
  if (major < 1 || major > 3) refuse("unsupported format version " + std::to_string(major));
  const int len_bytes = major == 1 ? 2 : 4;
  const std::size_t prelude = 8 + len_bytes;
  if (size < prelude) refuse("file is truncated (header length missing)");
  const std::size_t header_len = read_le(bytes + 8, len_bytes);
  if (header_len > limits.max_header_bytes)
    refuse("header of " + std::to_string(header_len) + " bytes is too large (limit " +
           std::to_string(limits.max_header_bytes) + ")");
  if (header_len > size - prelude) refuse("file is truncated (header ends past the end of file)");
  const std::string header(reinterpret_cast<const char*>(bytes + prelude), header_len);
  for (unsigned char c : header)
    if (c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t' && c != '\r'))
      refuse("header contains non-ASCII bytes");

  NpyArray out;
  bool fortran = false;
  HeaderParser(header).parse(out, fortran, limits.max_dims);
  std::size_t itemsize = 0;
  if (out.descr == "<f4") itemsize = 4;
  else if (out.descr == "<f8") itemsize = 8;
  else refuse("dtype '" + out.descr + "' is not supported (only little-endian float32 '<f4' and float64 '<f8')");

  std::size_t count = 1;
  for (int64_t d : out.shape) {
    const std::size_t ud = static_cast<std::size_t>(d);
    if (ud != 0 && count > limits.max_elements / ud)
      refuse("shape is too large (more than " + std::to_string(limits.max_elements) + " elements)");
    count *= ud;
  }
  if (count > limits.max_elements)
    refuse("shape is too large (more than " + std::to_string(limits.max_elements) + " elements)");
  const std::size_t data_bytes = count * itemsize;
  const std::size_t available = size - prelude - header_len;
  if (available < data_bytes)
    refuse("file is truncated (shape needs " + std::to_string(data_bytes) + " data bytes, file has " +
           std::to_string(available) + ")");
  if (available > data_bytes)
    refuse("file has " + std::to_string(available - data_bytes) + " bytes after the data");

  const uint8_t* p = bytes + prelude + header_len;
  std::vector<float> raw(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (itemsize == 4) {
      uint32_t u = read_le(p + 4 * i, 4);
      std::memcpy(&raw[i], &u, 4);
    } else {
      uint64_t u = uint64_t(read_le(p + 8 * i, 4)) | (uint64_t(read_le(p + 8 * i + 4, 4)) << 32);
      double v;
      std::memcpy(&v, &u, 8);
      raw[i] = static_cast<float>(v);
    }
  }
  if (!fortran || out.shape.size() < 2) {
    out.data = std::move(raw);
  } else {
    // Column-major file: reorder into C order.
    const std::size_t nd = out.shape.size();
    out.data.resize(count);
    std::vector<std::size_t> idx(nd, 0);
    for (std::size_t f = 0; f < count; ++f) {  // f walks the Fortran order (first index fastest)
      std::size_t c = 0;
      for (std::size_t k = 0; k < nd; ++k) c = c * static_cast<std::size_t>(out.shape[k]) + idx[k];
      out.data[c] = raw[f];
      for (std::size_t k = 0; k < nd; ++k) {
        if (++idx[k] < static_cast<std::size_t>(out.shape[k])) break;
        idx[k] = 0;
      }
    }
  }
  return out;
}

NpyArray read_npy_file(const std::string& path, const NpyLimits& limits) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) refuse("cannot open '" + path + "'");
  const std::streamoff size = in.tellg();
  if (size < 0) refuse("cannot read '" + path + "'");
  const double cap = double(limits.max_elements) * 8 + double(limits.max_header_bytes) + 16;
  if (double(size) > cap)
    refuse("'" + path + "' is too large (" + std::to_string(size) + " bytes)");
  std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
  in.seekg(0);
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) refuse("cannot read '" + path + "'");
  return parse_npy(bytes.data(), bytes.size(), limits);
}

Mat npy_activations(const NpyArray& a) {
  if (a.shape.size() != 2)
    refuse("activations must be a 2-D array (samples, dims), got " + std::to_string(a.shape.size()) + "-D");
  const int64_t n = a.shape[0], d = a.shape[1];
  if (n < 1 || d < 1) refuse("activations array is empty");
  if (d > 4096) refuse("activations have " + std::to_string(d) + " dims (limit 4096)");
  for (float v : a.data)
    if (!std::isfinite(v)) refuse("activations contain NaN or infinite values");
  // C order (n, d) is column-major (d, n).
  return ConstMatMap(a.data.data(), d, n);
}

std::vector<uint8_t> encode_npy(const float* data, const std::vector<int64_t>& shape) {
  std::string dims;
  std::size_t count = 1;
  for (int64_t d : shape) {
    dims += std::to_string(d) + ",";
    count *= static_cast<std::size_t>(d);
  }
  if (shape.size() > 1) dims.pop_back();
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                              static_cast<uint8_t>(header.size() & 0xff),
                              static_cast<uint8_t>(header.size() >> 8)};
  out.insert(out.end(), header.begin(), header.end());
  for (std::size_t i = 0; i < count; ++i) {
    uint32_t u;
    std::memcpy(&u, data + i, 4);
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(u >> (8 * b)));
  }
  return out;
}

void write_npy_file(const std::string& path, const float* data, const std::vector<int64_t>& shape) {
  const std::vector<uint8_t> bytes = encode_npy(data, shape);
  std::ofstream out(path, std::ios::binary);
  if (!out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size()))
    throw std::runtime_error("npy: cannot write '" + path + "'");
}

}  // namespace superpose
