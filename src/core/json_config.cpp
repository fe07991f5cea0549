#include "core/json_config.hpp"

#include <cmath>

#include "core/check.hpp"

namespace superpose {

Json parse_json(const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for a number that overflows a double ("1e400").
    fail_config(std::string("config is not valid JSON: ") + e.what());
  }
}

namespace {
const Json& empty_object() {
  static const Json e = Json::object();
  return e;
}
}  // namespace

JsonConfigReader::JsonConfigReader(const Json& j) : j_(&j) {
  if (j.is_null()) j_ = &empty_object();
  else if (!j.is_object()) fail_config("config must be a JSON object");
}

bool JsonConfigReader::has(const char* key) const { return j_->contains(key); }

const Json* JsonConfigReader::get(const char* key) {
  seen_.insert(key);
  auto it = j_->find(key);
  return it == j_->end() ? nullptr : &*it;
}

void JsonConfigReader::read(const char* key, int64_t& out) {
  const Json* v = get(key);
  if (!v) return;
  if (v->is_number_integer()) {
    out = v->get<int64_t>();
  } else if (v->is_number_float() && std::isfinite(v->get<double>()) &&
             v->get<double>() == std::floor(v->get<double>()) && std::fabs(v->get<double>()) < 9e15) {
    out = static_cast<int64_t>(v->get<double>());
  } else {
    fail_config(std::string(key) + " must be an integer (got " + v->dump() + ")");
  }
}

void JsonConfigReader::read(const char* key, int& out) {
  int64_t wide = out;
  read(key, wide);
  if (wide < INT32_MIN || wide > INT32_MAX)
    fail_config(std::string(key) + " is out of range (got " + std::to_string(wide) + ")");
  out = static_cast<int>(wide);
}

void JsonConfigReader::read(const char* key, double& out) {
  const Json* v = get(key);
  if (!v) return;
  if (!v->is_number()) fail_config(std::string(key) + " must be a number (got " + v->dump() + ")");
  out = v->get<double>();
}

void JsonConfigReader::read(const char* key, bool& out) {
  const Json* v = get(key);
  if (!v) return;
  if (!v->is_boolean()) fail_config(std::string(key) + " must be true or false (got " + v->dump() + ")");
  out = v->get<bool>();
}

void JsonConfigReader::read(const char* key, std::string& out) {
  const Json* v = get(key);
  if (!v) return;
  if (!v->is_string()) fail_config(std::string(key) + " must be a string (got " + v->dump() + ")");
  out = v->get<std::string>();
}

void JsonConfigReader::read(const char* key, std::vector<double>& out) {
  const Json* v = get(key);
  if (!v) return;
  if (v->is_number()) {
    out = {v->get<double>()};
    return;
  }
  if (!v->is_array() || v->size() > 100000)
    fail_config(std::string(key) + " must be a number or an array of numbers");
  std::vector<double> values;
  for (const auto& e : *v) {
    if (!e.is_number()) fail_config(std::string(key) + " must contain only numbers (got " + e.dump() + ")");
    values.push_back(e.get<double>());
  }
  out = std::move(values);
}

void JsonConfigReader::read(const char* key, std::vector<std::string>& out) {
  const Json* v = get(key);
  if (!v) return;
  if (!v->is_array() || v->size() > 100000) fail_config(std::string(key) + " must be an array of strings");
  std::vector<std::string> values;
  for (const auto& e : *v) {
    if (!e.is_string()) fail_config(std::string(key) + " must contain only strings (got " + e.dump() + ")");
    values.push_back(e.get<std::string>());
  }
  out = std::move(values);
}

void JsonConfigReader::finish() const {
  for (auto it = j_->begin(); it != j_->end(); ++it)
    if (!seen_.count(it.key())) fail_config("unknown config key \"" + it.key() + "\"");
}

}  // namespace superpose
