// Reading a config struct from JSON: type checks and unknown-key detection, one field at a time.
// Ranges are not checked here: each config's validate() does that, so a config built in C++ and
// one read from JSON (CLI, page, file) go through the same range checks.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace superpose {

using Json = nlohmann::json;

// Parses text as JSON; a syntax error becomes std::invalid_argument with the position.
Json parse_json(const std::string& text);

class JsonConfigReader {
 public:
  // Throws std::invalid_argument unless j is an object (null counts as an empty object).
  explicit JsonConfigReader(const Json& j);
  bool has(const char* key) const;
  // Each reader leaves `out` unchanged when the key is absent and throws naming the key when the
  // value has the wrong type (an integer field given 2.5, a string given 3, ...).
  void read(const char* key, int64_t& out);
  void read(const char* key, int& out);
  void read(const char* key, double& out);
  void read(const char* key, bool& out);
  void read(const char* key, std::string& out);
  // A number, or an array of numbers.
  void read(const char* key, std::vector<double>& out);
  // An array of strings.
  void read(const char* key, std::vector<std::string>& out);
  // Throws naming the first key that no read() asked for.
  void finish() const;

 private:
  const Json* j_;
  std::set<std::string> seen_;
  const Json* get(const char* key);
};

}  // namespace superpose
