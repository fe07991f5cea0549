#include "io/safetensors.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

namespace superpose {

namespace {
using Json = nlohmann::json;

[[noreturn]] void bad(const std::string& message) {
  throw std::invalid_argument("safetensors: " + message);
}

struct DtypeInfo {
  const char* name;
  std::size_t size;
};
const DtypeInfo kReadable[] = {{"F32", 4}, {"F64", 8}, {"F16", 2}, {"BF16", 2}};
// Valid safetensors dtypes we deliberately do not read (named so the message can say so).
const char* const kKnownUnsupported[] = {"BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64",
                                         "U64", "F8_E4M3", "F8_E5M2", "C64"};

uint64_t load_u64_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
uint32_t load_u32_le(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint16_t load_u16_le(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }

float bits_to_float(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// IEEE 754 binary16 → binary32, exact (every half is a float).
float half_to_float(uint16_t h) {
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  float v;
  if (exponent == 0) v = std::ldexp(static_cast<float>(mantissa), -24);  // zero, subnormal
  else if (exponent == 31) v = mantissa ? std::numeric_limits<float>::quiet_NaN()
                                        : std::numeric_limits<float>::infinity();
  else v = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return (h & 0x8000) ? -v : v;
}

double u64_to_double(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

void decode(const std::string& dtype, const uint8_t* p, std::size_t count, float* out) {
  if (dtype == "F32") {
    for (std::size_t i = 0; i < count; ++i) out[i] = bits_to_float(load_u32_le(p + 4 * i));
  } else if (dtype == "F64") {
    for (std::size_t i = 0; i < count; ++i)
      out[i] = static_cast<float>(u64_to_double(load_u64_le(p + 8 * i)));
  } else if (dtype == "F16") {
    for (std::size_t i = 0; i < count; ++i) out[i] = half_to_float(load_u16_le(p + 2 * i));
  } else {  // BF16: the upper half of a float32
    for (std::size_t i = 0; i < count; ++i)
      out[i] = bits_to_float(uint32_t(load_u16_le(p + 2 * i)) << 16);
  }
}

// Thrown from the parser callback; caught in parse_header and turned into a message.
struct HeaderRefused {
  std::string message;
};

// Parses the header as JSON, refusing duplicate keys (nlohmann would silently keep the last)
// and nesting deeper than max_depth.
Json parse_header(const char* begin, const char* end, int max_depth) {
  std::vector<std::set<std::string>> keys;  // one set per open object
  int depth = 0;
  Json::parser_callback_t cb = [&](int, Json::parse_event_t event, Json& parsed) -> bool {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (++depth > max_depth)
          throw HeaderRefused{"header nests deeper than " + std::to_string(max_depth) + " levels"};
        if (event == Json::parse_event_t::object_start) keys.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        keys.pop_back();
        --depth;
        break;
      case Json::parse_event_t::array_end:
        --depth;
        break;
      case Json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second)
          throw HeaderRefused{"duplicate key \"" + parsed.get<std::string>() + "\" in the header"};
        break;
      default:
        break;
    }
    return true;
  };
  try {
    return Json::parse(begin, end, cb);
  } catch (const HeaderRefused& e) {
    bad(e.message);
  } catch (const Json::exception& e) {
    bad(std::string("header is not valid JSON: ") + e.what());
  }
}

// A JSON value as a non-negative integer (refuses floats, negatives, booleans).
uint64_t as_index(const Json& v, const std::string& what) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) bad(what + " is negative (" + v.dump() + ")");
  bad(what + " must be a non-negative integer (got " + v.dump() + ")");
}

struct Entry {
  std::string name, dtype;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0, count = 0;
};

Entry parse_entry(const std::string& name, const Json& v, uint64_t data_size,
                  const SafetensorsLimits& limits) {
  const std::string who = "tensor \"" + name + "\"";
  if (!v.is_object()) bad(who + ": entry must be an object with dtype, shape, data_offsets");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!v.contains(key)) bad(who + ": missing \"" + key + "\"");
  Entry e;
  e.name = name;

  const Json& dtype = v["dtype"];
  if (!dtype.is_string()) bad(who + ": dtype must be a string");
  e.dtype = dtype.get<std::string>();
  std::size_t elem = 0;
  for (const auto& d : kReadable)
    if (e.dtype == d.name) elem = d.size;
  if (!elem) {
    const bool known = std::any_of(std::begin(kKnownUnsupported), std::end(kKnownUnsupported),
                                   [&](const char* k) { return e.dtype == k; });
    bad(who + ": " + (known ? "unsupported" : "unknown") + " dtype \"" + e.dtype +
        "\" (readable: F32, F64, F16, BF16)");
  }

  const Json& shape = v["shape"];
  if (!shape.is_array()) bad(who + ": shape must be an array");
  if (shape.size() > static_cast<std::size_t>(limits.max_rank))
    bad(who + ": rank " + std::to_string(shape.size()) + " exceeds " + std::to_string(limits.max_rank));
  uint64_t count = 1;
  for (const Json& d : shape) {
    const uint64_t dim = as_index(d, who + ": shape dimension");
    if (dim > static_cast<uint64_t>(limits.max_dim))
      bad(who + ": shape dimension " + std::to_string(dim) + " is too large (max " +
          std::to_string(limits.max_dim) + ")");
    e.shape.push_back(static_cast<int64_t>(dim));
    if (dim != 0 && count > std::numeric_limits<uint64_t>::max() / dim)
      bad(who + ": shape " + shape.dump() + " has too many elements");
    count *= dim;
  }
  e.count = count;

  const Json& offsets = v["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) bad(who + ": data_offsets must be [begin, end]");
  e.begin = as_index(offsets[0], who + ": data_offsets begin");
  e.end = as_index(offsets[1], who + ": data_offsets end");
  if (e.begin > e.end)
    bad(who + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
        "] end before they begin");
  if (e.end > data_size)
    bad(who + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
        "] lie outside the data section (" + std::to_string(data_size) + " bytes)");
  const uint64_t bytes = e.end - e.begin;
  if (count > std::numeric_limits<uint64_t>::max() / elem || count * elem != bytes)
    bad(who + ": shape " + shape_string(e.shape) + " of " + e.dtype + " needs " +
        (count > std::numeric_limits<uint64_t>::max() / elem ? std::string("more")
                                                             : std::to_string(count * elem)) +
        " bytes but data_offsets span " + std::to_string(bytes));
  return e;
}
}  // namespace

Tensor::Tensor(std::vector<int64_t> shape_, std::vector<float> data_)
    : shape(std::move(shape_)), data(std::move(data_)) {
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) throw std::invalid_argument("tensor shape " + shape_string(shape) + " has a negative dimension");
    count *= static_cast<uint64_t>(d);
  }
  if (count != data.size())
    throw std::invalid_argument("tensor shape " + shape_string(shape) + " needs " +
                                std::to_string(count) + " values (got " + std::to_string(data.size()) + ")");
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

TensorFile read_safetensors(const uint8_t* bytes, std::size_t size, const SafetensorsLimits& limits) {
  if (size < 8)
    bad("file too small (" + std::to_string(size) +
        " bytes): a safetensors file starts with an 8-byte header size");
  const uint64_t header_size = load_u64_le(bytes);
  if (header_size > limits.max_header_bytes)
    bad("header size " + std::to_string(header_size) + " exceeds the limit of " +
        std::to_string(limits.max_header_bytes) + " bytes");
  if (header_size > size - 8)
    bad("header size " + std::to_string(header_size) + " runs beyond the end of the file (" +
        std::to_string(size - 8) + " bytes after the size field)");
  if (header_size < 2) bad("header of " + std::to_string(header_size) + " bytes cannot hold a JSON object");
  const char* h = reinterpret_cast<const char*>(bytes + 8);
  if (h[0] != '{') bad("header must be a JSON object (it does not start with '{')");
  const Json header = parse_header(h, h + header_size, limits.max_depth);
  if (!header.is_object()) bad("header must be a JSON object");

  const uint8_t* data = bytes + 8 + header_size;
  const uint64_t data_size = size - 8 - header_size;

  TensorFile out;
  std::vector<Entry> entries;
  for (const auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) bad("__metadata__ must be an object of strings");
      for (const auto& [key, v] : value.items()) {
        if (!v.is_string()) bad("__metadata__ value of \"" + key + "\" must be a string (got " + v.dump() + ")");
        out.metadata[key] = v.get<std::string>();
      }
      continue;
    }
    // (the writer refuses an empty name too, so what is read can always be written back)
    if (name.empty()) bad("a tensor's name must not be empty");
    entries.push_back(parse_entry(name, value, data_size, limits));
  }

  // The tensors must tile the data section: sorted by offset, each begins where the last ended.
  std::vector<const Entry*> order;
  for (const Entry& e : entries) order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t covered = 0;
  const Entry* previous = nullptr;
  for (const Entry* e : order) {
    if (e->begin < covered)
      bad("tensors \"" + previous->name + "\" and \"" + e->name + "\" overlap (bytes [" +
          std::to_string(e->begin) + ", " + std::to_string(covered) + ") of the data section)");
    if (e->begin > covered)
      bad("bytes [" + std::to_string(covered) + ", " + std::to_string(e->begin) +
          ") of the data section belong to no tensor");
    covered = e->end;
    if (e->end > e->begin) previous = e;
    else if (!previous) previous = e;
  }
  if (covered != data_size)
    bad("the data section has " + std::to_string(data_size) + " bytes but the tensors cover " +
        std::to_string(covered) + " (truncated or trailing data)");

  for (const Entry& e : entries) {
    Tensor t;
    t.shape = e.shape;
    t.data.resize(static_cast<std::size_t>(e.count));
    decode(e.dtype, data + e.begin, t.data.size(), t.data.data());
    out.tensors.emplace(e.name, std::move(t));
  }
  return out;
}

std::vector<uint8_t> write_safetensors(const TensorFile& file) {
  Json header = Json::object();
  uint64_t offset = 0;
  for (const auto& [name, t] : file.tensors) {
    if (name.empty() || name == "__metadata__")
      throw std::invalid_argument("safetensors: invalid tensor name \"" + name + "\"");
    uint64_t count = 1;
    for (int64_t d : t.shape) {
      if (d < 0) throw std::invalid_argument("safetensors: tensor \"" + name + "\" has a negative dimension");
      count *= static_cast<uint64_t>(d);
    }
    if (count != t.data.size())
      throw std::invalid_argument("safetensors: tensor \"" + name + "\" has shape " +
                                  shape_string(t.shape) + " but " + std::to_string(t.data.size()) + " values");
    header[name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + 4 * count}}};
    offset += 4 * count;
  }
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  std::string text = header.dump();
  while ((8 + text.size()) % 8) text.push_back(' ');

  std::vector<uint8_t> out(8 + text.size() + offset);
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* p = out.data() + 8 + text.size();
  for (const auto& [name, t] : file.tensors)
    for (float f : t.data) {
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      for (int i = 0; i < 4; ++i) *p++ = static_cast<uint8_t>(bits >> (8 * i));
    }
  return out;
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot open " + path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw std::invalid_argument("cannot read " + path);
  in.seekg(0);
  std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
    throw std::invalid_argument("cannot read " + path);
  return bytes;
}

void write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::invalid_argument("cannot write " + path);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::invalid_argument("cannot write " + path);
}

TensorFile load_safetensors(const std::string& path, const SafetensorsLimits& limits) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  try {
    return read_safetensors(bytes, limits);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
}

void save_safetensors(const std::string& path, const TensorFile& file) {
  write_file_bytes(path, write_safetensors(file));
}

const Tensor& expect_tensor(const TensorFile& file, const std::string& name,
                            const std::vector<int64_t>& shape, const std::string& what) {
  auto it = file.tensors.find(name);
  if (it == file.tensors.end()) {
    std::string have;
    for (const auto& [n, t] : file.tensors) have += (have.empty() ? "" : ", ") + n;
    throw std::invalid_argument(what + ": missing tensor \"" + name + "\" (the file has: " +
                                (have.empty() ? "none" : have) + ")");
  }
  if (it->second.shape != shape)
    throw std::invalid_argument(what + ": tensor \"" + name + "\" has shape " +
                                shape_string(it->second.shape) + ", expected " + shape_string(shape));
  return it->second;
}

void require_finite(const Tensor& t, const std::string& name) {
  for (std::size_t i = 0; i < t.data.size(); ++i)
    if (!std::isfinite(t.data[i]))
      throw std::invalid_argument("tensor \"" + name + "\" has a non-finite value at index " +
                                  std::to_string(i));
}

}  // namespace superpose
