// The one field description per config (core/schema.hpp): every field of every config round-trips
// through JSON, every out-of-range or unknown value is refused with a message naming the field and
// its range, unknown keys are refused, and every session kind answers a schema whose defaults
// configure it. The CLI's side (flags, --help) is checked by tests/cli/schema.sh, the docs'
// tables against the schema by tests/docs/check_schema_docs.py.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/schema.hpp"
#include "grok/grok_config.hpp"
#include "interp/intervention_config.hpp"
#include "sae/sae_config.hpp"
#include "session/session.hpp"
#include "suppression/suppression_config.hpp"
#include "toy/toy_config.hpp"

namespace test_schema {

using namespace superpose;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

bool in_range(const Json& f, double v) {
  if (!f["min"].is_null() && (f["min_open"].get<bool>() ? v <= f["min"].get<double>() : v < f["min"].get<double>()))
    return false;
  return f["max"].is_null() || (f["max_open"].get<bool>() ? v < f["max"].get<double>() : v <= f["max"].get<double>());
}

// Values other than the default that the field's own range allows, most likely valid first.
std::vector<Json> other_values(const Json& f) {
  const std::string type = f["type"];
  const Json& def = f["default"];
  std::vector<Json> out;
  if (type == "bool") return {!def.get<bool>()};
  if (type == "string" || type == "strings") {
    if (f["choices"].is_null()) return {Json("x.npy"), Json("feature:1")};  // npy_path, direction
    for (const Json& c : f["choices"]) {
      const Json v = type == "strings" ? Json::array({c}) : c;
      if (v != def) out.push_back(v);
    }
    return out;
  }
  const bool integer = type == "int";
  const double lo = f["min"].is_null() ? -10.0 : f["min"].get<double>();
  const double hi = f["max"].is_null() ? lo + 20 : f["max"].get<double>();
  for (double v : {lo, lo + 1, lo + 0.25 * (hi - lo), 0.5 * (lo + hi), lo + 2, hi}) {
    if (integer) v = std::floor(v);
    if (!in_range(f, v)) continue;
    const Json value = type == "numbers" ? Json::array({v}) : integer ? Json(static_cast<int64_t>(v)) : Json(v);
    if (value != def) out.push_back(value);
  }
  return out;
}

std::string number(double v) { return format_number(v); }

const Json& field_named(const Json& fields, const std::string& name) {
  for (const Json& f : fields)
    if (f["name"] == name) return f;
  FAIL("no field " << name);
  static const Json none;
  return none;
}

// Values outside the field's own range, each with the message it must give.
std::vector<std::pair<Json, std::string>> out_of_range(const Json& fields, const Json& f) {
  std::vector<std::pair<Json, std::string>> out;
  const std::string type = f["type"], name = f["name"];
  auto wrap = [&](double v) {
    return type == "numbers" ? Json::array({v}) : type == "int" ? Json(static_cast<int64_t>(v)) : Json(v);
  };
  if (type == "string" || type == "strings") {
    if (f["choices"].is_null()) return out;
    std::string list;
    for (const Json& c : f["choices"]) list += (list.empty() ? "" : ", ") + c.get<std::string>();
    const Json bogus = type == "strings" ? Json::array({"bogus"}) : Json("bogus");
    out.emplace_back(bogus, name + " must be one of " + list + " (got \"bogus\")");
    return out;
  }
  if (type == "bool" || (f["min"].is_null() && f["max"].is_null())) return out;
  const double lo = f["min"].get<double>();
  const double hi = f["max_field"].is_string()
                        ? field_named(fields, f["max_field"])["default"].get<double>()
                        : f["max"].get<double>();
  const std::string range = std::string(f["min_open"].get<bool>() ? "(" : "[") + number(lo) + ", " +
                            (f["max_field"].is_string() ? f["max_field"].get<std::string>() + "=" : "") +
                            number(hi) + (f["max_open"].get<bool>() ? ")" : "]");
  const double below = f["min_open"].get<bool>() ? lo : lo - 1;
  const double above = f["max_open"].get<bool>() ? hi : hi + 1;
  for (double v : {below, above})
    out.emplace_back(wrap(v), name + " must be in " + range + " (got " + number(v) + ")");
  return out;
}

template <class C>
void check_config_table() {
  const Json fields = fields_schema<C>();
  std::set<std::string> names, flags;
  for (const Json& f : fields) {
    const std::string name = f["name"];
    CAPTURE(name);
    CHECK(names.insert(name).second);
    if (f["flag"].is_string()) CHECK(flags.insert(f["flag"].get<std::string>()).second);
    CHECK(f["help"].get<std::string>().size() > 3);
    // the default is what a default-constructed config writes
    const Json written = C().to_json();
    if (written.contains(name)) CHECK(written[name] == f["default"]);  // sae's npy_path: only when set

    // round trip: some other valid value is read, validated and written back as given
    bool round_tripped = false;
    for (const Json& value : other_values(f)) {
      // a cross-field rule the value needs (validate(): orthogonal directions need F ≤ d)
      Json j = name == "orthogonal" ? Json{{"true_features", 32}} : Json::object();
      j[name] = value;
      C c;
      if (!error_of([&] { c = C::from_json(j); }).empty()) continue;  // a cross-field rule
      CHECK(c.to_json()[name] == value);
      CHECK(C::from_json(c.to_json()).to_json() == c.to_json());
      round_tripped = true;
      break;
    }
    CHECK_MESSAGE(round_tripped, "no other valid value of " << name << " was accepted");

    // out of range: refused, naming the field, the range and the value
    for (const auto& [value, message] : out_of_range(fields, f)) {
      Json j = Json::object();
      j[name] = value;
      CHECK(error_of([&] { C::from_json(j); }) == message);
    }
  }
  CHECK(error_of([] { C::from_json(Json{{"bogus_key", 1}}); }) == "unknown config key \"bogus_key\"");
}
}  // namespace

TEST_CASE_TEMPLATE("every config field round-trips JSON and refuses what is out of range", C,
                   ToyConfig, SuppressionConfig, GrokConfig, SaeConfig, InterventionConfig) {
  check_config_table<C>();
}

TEST_CASE("a bound that is another field names it: in the message, the schema and the range") {
  const Json fields = fields_schema<ToyConfig>();
  const Json& n_hidden = field_named(fields, "n_hidden");
  CHECK(n_hidden["max_field"] == "n_features");
  CHECK(n_hidden["max"] == 512);  // n_features's own bound: the page's slider range
  CHECK(error_of([] { ToyConfig::from_json(Json{{"n_features", 8}, {"n_hidden", 9}}); }) ==
        "n_hidden must be in [1, n_features=8] (got 9)");
  CHECK_NOTHROW(ToyConfig::from_json(Json{{"n_features", 8}, {"n_hidden", 8}}));
}

TEST_CASE("every session kind answers a schema whose defaults configure it") {
  for (const std::string& kind : session_kinds()) {
    CAPTURE(kind);
    const Json schema = session_schema(kind);
    CHECK(schema["kind"] == kind);
    REQUIRE(schema["fields"].is_array());
    REQUIRE(schema["fields"].size() > 3);
    Json config = Json::object();
    for (const Json& f : schema["fields"]) {
      for (const char* key : {"name", "type", "default", "min", "max", "min_open", "max_open",
                              "max_field", "choices", "presets", "help", "unit", "flag"})
        CHECK_MESSAGE(f.contains(key), f["name"] << " lacks " << key);
      config[f["name"].get<std::string>()] = f["default"];
    }
    // the schema's defaults are exactly what configure answers for an empty config
    const Json from_defaults = make_session(kind)->configure(config);
    const Json from_empty = make_session(kind)->configure(Json::object());
    for (const Json& f : schema["fields"]) {
      const std::string name = f["name"];
      REQUIRE_MESSAGE(from_empty.contains(name), kind << "." << name << " is read but not answered");
      if (f["default"] == Json::array()) continue;  // empty: derived from another key (sweep_l1: [l1])
      CHECK_MESSAGE(from_empty[name] == f["default"], kind << "." << name);
      CHECK(from_defaults[name] == from_empty[name]);
    }
    CHECK_THROWS_WITH_AS(make_session(kind)->configure(Json{{"bogus_key", 1}}),
                         doctest::Contains("bogus_key"), std::invalid_argument);
  }
  CHECK_THROWS_WITH_AS(session_schema("nope"), doctest::Contains("unknown experiment kind"),
                       std::invalid_argument);
}

// choice_kind reads a choice field's enum from the position of its value among the field's
// choices: every enum must list its values in that order. Each mapping is written out here by
// hand, so reordering an enum or a choice list fails.
TEST_CASE("a choice field's value is its enum: every choice, and an unknown one named") {
  ToyConfig toy;
  const std::vector<std::pair<std::string, ToyModelKind>> models = {
      {"relu", ToyModelKind::relu}, {"linear", ToyModelKind::linear},
      {"relu-hidden", ToyModelKind::relu_hidden}, {"abs", ToyModelKind::abs}};
  for (const auto& m : models) {
    toy.model = m.first;
    CHECK(toy.model_kind() == m.second);
  }
  const std::vector<std::pair<std::string, Correlation>> correlations = {
      {"none", Correlation::none}, {"correlated", Correlation::correlated},
      {"anticorrelated", Correlation::anticorrelated}};
  for (const auto& c : correlations) {
    toy.correlation = c.first;
    CHECK(toy.correlation_kind() == c.second);
  }
  GrokConfig grok;
  grok.model = "residual";
  CHECK(grok.model_kind() == GrokModelKind::residual);
  grok.model = "mlp";
  CHECK(grok.model_kind() == GrokModelKind::mlp);
  grok.loss = "ce";
  CHECK(grok.loss_kind() == GrokLossKind::ce);
  grok.loss = "mse";
  CHECK(grok.loss_kind() == GrokLossKind::mse);
  SuppressionConfig sup;
  const std::vector<std::pair<std::string, SuppressionFix>> fixes = {
      {"none", SuppressionFix::none}, {"scale", SuppressionFix::scale}, {"gated", SuppressionFix::gated}};
  for (const auto& f : fixes) {
    sup.fix = f.first;
    CHECK(sup.fix_kind() == f.second);
  }
  sup.magnitude = "uniform";
  CHECK(sup.magnitude_kind() == SuppressionMagnitude::uniform);
  sup.magnitude = "binary";
  CHECK(sup.magnitude_kind() == SuppressionMagnitude::binary);
  SaeConfig sae;
  const std::vector<std::pair<std::string, SaeDataKind>> data = {
      {"synthetic", SaeDataKind::synthetic}, {"toy", SaeDataKind::toy}, {"npy", SaeDataKind::npy},
      {"hierarchical", SaeDataKind::hierarchical}};
  for (const auto& d : data) {
    sae.data = d.first;
    CHECK(sae.data_kind() == d.second);
  }
  // A value outside the choices (a config changed after validate) throws the field's message.
  toy.model = "gelu";
  CHECK(error_of([&] { toy.model_kind(); }) ==
        "model must be one of relu, linear, relu-hidden, abs (got \"gelu\")");
  sup.fix = "both";
  CHECK(error_of([&] { sup.fix_kind(); }) == "fix must be one of none, scale, gated (got \"both\")");
}

}  // namespace test_schema
