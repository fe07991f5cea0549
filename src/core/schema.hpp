// One description per config: each field's JSON name, type, default, range or choices, help,
// unit and CLI flag, written once as a visitor over the struct's members, and the generic
// readers of that description: JSON in (type errors, unknown keys), JSON out, the per-field
// range and choice checks of validate(), and the schema the pages read (docs/wasm-api.md,
// "Schemas"). The CLI's flags and --help read the same description (cli/config_flags.hpp).
//
// A config opts in with one static template beside its members, e.g.
//   template <class C, class V> static void fields(C& c, V& v) {
//     v(c.n_features, Field("n_features", "number of features n").flag("features", "N").range(1, 512));
//     v(c.n_hidden, Field("n_hidden", "hidden dimensions m").flag("hidden", "M")
//                       .range_to(1, "n_features", c.n_features));
//   }
// C is the config or const config (the same table reads and writes); a field's default is its
// value in a default-constructed struct. A bound that is another field's value (range_to) is
// checked against that value and named in messages ("[1, n_features=5]") and in the schema.
// Deriving from SchemaConfig<C> gives a config from_json and to_json; choice_kind turns a choice
// field into its enum; seed_field, lr_field, ... are the fields several configs share.
// Not here: cross-field rules that are not a bound (counts that must match, memory limits,
// checks that hold for some architectures only): they stay in each validate() beside the table.
// Reference: tensorflow/playground src/state.ts (one table of every control); LBFGSpp Param.h.
#pragma once
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "core/check.hpp"
#include "core/json_config.hpp"

namespace superpose {

// Which ends of a range are open: closed [lo, hi], open_min (lo, hi], open_max [lo, hi), open.
enum class Bounds { closed, open_min, open_max, open };

struct Field {
  Field(const char* name, const char* help) : name(name), help(help) {}

  const char* name;                   // the JSON key
  const char* help;                   // one line: what the field means
  const char* unit_name = nullptr;    // e.g. "steps", "epochs"
  const char* cli_flag = nullptr;     // the CLI flag without "--" (nullptr: none)
  const char* cli_metavar = nullptr;  // the flag's value in --help ("N"); choices print themselves
  bool cli_custom = false;            // the command parses this flag itself (e.g. --data FILE.npy)
  bool has_min = false, has_max = false;
  double min = 0, max = 0;            // checked on every value (each element of a list)
  bool min_open = false, max_open = false;
  const char* max_field = nullptr;    // the upper bound is this field's value (max holds it)
  std::vector<std::string> choices;   // a string field's allowed values (each, for a list)
  // Choices that bring their own defaults of other fields: {choice: {key: value}} (sae's data
  // hierarchical). The schema exports them; a front end applies them to the keys not given.
  Json (*choice_presets)() = nullptr;

  Field& unit(const char* u) { unit_name = u; return *this; }
  Field& flag(const char* f, const char* metavar = nullptr) {
    cli_flag = f;
    cli_metavar = metavar;
    return *this;
  }
  // A flag the command parses itself (not from the field's type), with its --help metavar.
  Field& custom_flag(const char* f, const char* metavar) {
    flag(f, metavar);
    cli_custom = true;
    return *this;
  }
  Field& range(double lo, double hi, Bounds b = Bounds::closed) {
    has_min = has_max = true;
    min = lo;
    max = hi;
    min_open = b == Bounds::open_min || b == Bounds::open;
    max_open = b == Bounds::open_max || b == Bounds::open;
    return *this;
  }
  // [lo, hi_field]: the upper bound is another field's value (hi_value, from the same struct).
  Field& range_to(double lo, const char* hi_field, double hi_value, Bounds b = Bounds::closed) {
    range(lo, hi_value, b);
    max_field = hi_field;
    return *this;
  }
  Field& one_of(std::vector<std::string> values) { choices = std::move(values); return *this; }
  Field& presets(Json (*of_choices)()) { choice_presets = of_choices; return *this; }
};

// Every seed's upper bound: the seeded streams take 32-bit seeds (the page's hash states them).
constexpr double kMaxSeed = 4294967295.0;

// The fields several configs share, each fact written once: the seed's range, the learning
// rate's, a run's length in steps, a batch. help says what they mean in that config.
inline Field seed_field(const char* help = "seed of the initialisation and the data") {
  return Field("seed", help).flag("seed", "SEED").range(0, kMaxSeed);
}
inline Field lr_field(const char* help) {
  return Field("lr", help).flag("lr", "LR").range(0, 10, Bounds::open_min);
}
inline Field weight_decay_field(const char* help) {
  return Field("weight_decay", help).flag("weight-decay", "WD").range(0, 10);
}
inline Field steps_field(const char* help = "training steps; the schedule is laid over them",
                         double max = 1e8) {
  return Field("steps", help).flag("steps", "S").range(1, max).unit("steps");
}
inline Field batch_field(const char* help = "samples per step", double max = 65536) {
  return Field("batch_size", help).flag("batch", "B").range(1, max);
}

// "[1, 512]", "(0, 1]", "[1, n_features]", "≥ 0": the range as docs and --help write it.
std::string range_text(const Field& f);
// "relu, linear, abs" (sep ", ") or "relu|linear|abs" (sep "|").
std::string join_choices(const std::vector<std::string>& choices, const char* sep);

// The per-field checks of one value (validate()'s table half); messages name the field, the
// range and the value: "n_hidden must be in [1, n_features=5] (got 7)",
// "model must be one of relu, linear (got \"gelu\")".
void check_value(double value, const Field& f);
void check_value(const std::string& value, const Field& f);
inline void check_value(bool, const Field&) {}
template <class T, class = std::enable_if_t<std::is_integral_v<T>>>
void check_value(T value, const Field& f) { check_value(static_cast<double>(value), f); }
template <class T>
void check_value(const std::vector<T>& values, const Field& f) {
  for (const T& v : values) check_value(v, f);
}

// The schema's type name of a member: int, number, bool, string, numbers, strings.
template <class T> constexpr const char* schema_type() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_integral_v<T>) return "int";
  else if constexpr (std::is_floating_point_v<T>) return "number";
  else if constexpr (std::is_same_v<T, std::string>) return "string";
  else if constexpr (std::is_same_v<T, std::vector<double>>) return "numbers";
  else return "strings";
}

// One field of a schema as JSON: {name, type, default, min, max, min_open, max_open, max_field,
// choices, presets, help, unit, flag} (absent facts are null).
Json field_schema(const Field& f, const char* type, Json default_value);
// A nested config as one field: type "object", its default, and its own fields.
Json object_field_schema(const Field& f, Json default_value, Json fields);

namespace schema_visitors {
struct Read {
  JsonConfigReader& r;
  template <class T> void operator()(T& member, const Field& f) { r.read(f.name, member); }
};
struct Write {
  Json& j;
  template <class T> void operator()(const T& member, const Field& f) { j[f.name] = member; }
};
struct Check {
  template <class T> void operator()(const T& member, const Field& f) { check_value(member, f); }
};
// Finds the choice field whose member is `target` (by address) and its value's position.
struct ChoiceIndex {
  const std::string* target;
  int index = -1;
  template <class T> void operator()(const T& member, const Field& f) {
    if constexpr (std::is_same_v<T, std::string>) {
      if (&member != target) return;
      check_value(member, f);  // a value outside the choices: the field's own message
      for (std::size_t i = 0; i < f.choices.size(); ++i)
        if (f.choices[i] == member) index = static_cast<int>(i);
    }
  }
};
struct Describe {
  Json& fields;
  template <class T> void operator()(const T& member, const Field& f) {
    fields.push_back(field_schema(f, schema_type<T>(), Json(member)));
  }
};
}  // namespace schema_visitors

// A visitor that hands v each field as adapt(Field&) leaves it, and leaves out those for which
// adapt answers false: a table that takes another's fields with its own defaults, bounds or
// flags (kind steer's SAE: five of SaeConfig's fields, steps at most 100000).
template <class V, class F> struct AdaptFields {
  V& v;
  F adapt;
  template <class T> void operator()(T& member, const Field& f) {
    Field g = f;
    if (adapt(g)) v(member, g);
  }
};
template <class V, class F> AdaptFields<V, F> adapt_fields(V& v, F adapt) {
  return AdaptFields<V, F>{v, std::move(adapt)};
}
// Every field but the named ones (SaeConfig without arch: the sae session trains several).
template <class V> auto skip_fields(V& v, std::vector<std::string> names) {
  return adapt_fields(v, [names = std::move(names)](Field& f) {
    for (const auto& n : names)
      if (n == f.name) return false;
    return true;
  });
}

// Reads the keys the table names from r into c (leaves the others to r's owner).
template <class C> void read_fields(C& c, JsonConfigReader& r) {
  schema_visitors::Read v{r};
  C::fields(c, v);
}

// A config from JSON: the table's keys (type errors name the key), unknown keys refused, then
// c.validate(). Absent keys keep the defaults of `c`.
template <class C> C config_from_json(const Json& j, C c = C()) {
  JsonConfigReader r(j);
  read_fields(c, r);
  r.finish();
  c.validate();
  return c;
}

// Every field of the table, by name.
template <class C> Json fields_to_json(const C& c) {
  Json j = Json::object();
  schema_visitors::Write v{j};
  C::fields(c, v);
  return j;
}

// The table's per-field range and choice checks (the first failing field throws).
template <class C> void check_fields(const C& c) {
  schema_visitors::Check v;
  C::fields(c, v);
}

// A choice field's value as its enum E, whose values are listed in the order of the field's
// choices (fields() is the one place the names are written): choice_kind<ToyModelKind>(*this,
// model). A value outside the choices throws the field's message ("model must be one of ...").
template <class E, class C> E choice_kind(const C& c, const std::string& member) {
  schema_visitors::ChoiceIndex v{&member};
  C::fields(c, v);
  if (v.index < 0) fail_config("internal: not a choice field of this config");
  return static_cast<E>(v.index);
}

// What every config with a fields() table has: from_json (the table's keys, unknown keys
// refused, then validate()) and to_json (every field by name). A config derives from
// SchemaConfig<itself> and may hide to_json with its own.
template <class C> struct SchemaConfig {
  static C from_json(const Json& j) { return config_from_json<C>(j); }  // validates
  Json to_json() const { return fields_to_json(static_cast<const C&>(*this)); }
};

// A copy of c after c.validate() (a member initialiser that must not see a bad config).
template <class C> C validated(const C& c) {
  c.validate();
  return c;
}

// The table as a JSON array of field_schema()s, defaults taken from `defaults`. A bound that is
// another field's value reports that field's own static bound as min/max (the page's slider range).
Json resolve_field_bounds(Json fields);
template <class C> Json fields_schema(const C& defaults = C()) {
  Json fields = Json::array();
  schema_visitors::Describe v{fields};
  C::fields(defaults, v);
  return resolve_field_bounds(std::move(fields));
}

}  // namespace superpose
