#include "core/schema.hpp"

namespace superpose {

std::string join_choices(const std::vector<std::string>& choices, const char* sep) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : sep) + c;
  return out;
}

std::string range_text(const Field& f) {
  if (!f.has_min && !f.has_max) return "";
  std::string out = f.min_open ? "(" : "[";
  out += f.has_min ? format_number(f.min) : "-inf";
  out += ", ";
  out += f.max_field ? std::string(f.max_field) : f.has_max ? format_number(f.max) : "inf";
  out += f.max_open ? ")" : "]";
  return out;
}

void check_value(double value, const Field& f) {
  if (!f.has_min && !f.has_max) return;
  require_in_range(f.name, value, f.has_min ? f.min : -INFINITY, f.has_max ? f.max : INFINITY,
                   f.min_open, f.max_open, nullptr, f.max_field);
}

void check_value(const std::string& value, const Field& f) {
  if (f.choices.empty()) return;
  for (const auto& c : f.choices)
    if (c == value) return;
  fail_config(std::string(f.name) + " must be one of " + join_choices(f.choices, ", ") +
              " (got \"" + value + "\")");
}

Json field_schema(const Field& f, const char* type, Json default_value) {
  auto text_or_null = [](const char* s) { return s ? Json(s) : Json(nullptr); };
  return Json{{"name", f.name},
              {"type", type},
              {"default", std::move(default_value)},
              {"min", f.has_min ? Json(f.min) : Json(nullptr)},
              {"max", f.has_max && !f.max_field ? Json(f.max) : Json(nullptr)},
              {"min_open", f.min_open},
              {"max_open", f.max_open},
              {"max_field", text_or_null(f.max_field)},
              {"choices", f.choices.empty() ? Json(nullptr) : Json(f.choices)},
              {"presets", f.choice_presets ? f.choice_presets() : Json(nullptr)},
              {"help", f.help},
              {"unit", text_or_null(f.unit_name)},
              {"flag", f.cli_flag ? Json(std::string("--") + f.cli_flag) : Json(nullptr)}};
}

Json object_field_schema(const Field& f, Json default_value, Json fields) {
  Json j = field_schema(f, "object", std::move(default_value));
  j["fields"] = std::move(fields);
  return j;
}

Json resolve_field_bounds(Json fields) {
  for (Json& f : fields) {
    if (f["max_field"].is_null()) continue;
    for (const Json& other : fields)
      if (other["name"] == f["max_field"]) f["max"] = other["max"];
  }
  return fields;
}

}  // namespace superpose
