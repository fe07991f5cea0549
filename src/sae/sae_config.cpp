#include "sae/sae_config.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

SaeArch parse_sae_arch(const std::string& name) {
  for (std::size_t i = 0; i < kSaeArchNames.size(); ++i)
    if (name == kSaeArchNames[i]) return static_cast<SaeArch>(i);
  fail_config("arch must be one of " + join_choices(kSaeArchNames, ", ") + " (got \"" + name + "\")");
}

const char* sae_arch_name(SaeArch a) { return kSaeArchNames[static_cast<int>(a)].c_str(); }

bool sae_arch_uses_k(SaeArch a) {
  return a == SaeArch::topk || a == SaeArch::batchtopk || a == SaeArch::matryoshka;
}
bool sae_arch_uses_k(const std::string& name) { return sae_arch_uses_k(parse_sae_arch(name)); }

SaeArch SaeConfig::arch_kind() const { return parse_sae_arch(arch); }

std::vector<int> SaeConfig::matryoshka_widths() const {
  std::vector<int> w;
  if (prefixes.empty()) {
    for (int v : {n_latents / 16, n_latents / 4})
      if (v >= 1 && (w.empty() || v > w.back())) w.push_back(v);
  } else {
    for (double v : prefixes) w.push_back(static_cast<int>(v));
  }
  w.push_back(n_latents);
  return w;
}

SaeDataKind SaeConfig::data_kind() const { return choice_kind<SaeDataKind>(*this, data); }

void SaeConfig::validate() const {
  check_fields(*this);
  if (sae_arch_uses_k(arch_kind()))
    require_in_range("k", k, 1, n_latents, false, false, nullptr, "n_latents");
  if (prefixes.size() > 16) fail_config("prefixes may hold at most 16 widths (got " + std::to_string(prefixes.size()) + ")");
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (prefixes[i] != std::floor(prefixes[i]))
      fail_config("prefixes must hold integers (got " + format_number(prefixes[i]) + ")");
    if (i > 0 && !(prefixes[i] > prefixes[i - 1]))
      fail_config("prefixes must be increasing (got " + format_number(prefixes[i - 1]) + " then " +
                  format_number(prefixes[i]) + ")");
  }
  if (orthogonal && true_features > input_dim)
    fail_config("orthogonal directions need true_features ≤ input_dim=" +
                std::to_string(input_dim) + " (got " + std::to_string(true_features) + ")");
  if (data_kind() == SaeDataKind::toy) {
    require_in_range("true_features", true_features, 1, 512);
    require_in_range("input_dim", input_dim, 1, true_features, false, false, nullptr,
                     "true_features");
  }
  if (data_kind() == SaeDataKind::hierarchical) {
    hierarchy_shape();
    // The overlap readout and its optimisation cost F² d per pass (hierarchical_data.cpp).
    const double cost = double(true_features) * true_features * input_dim;
    if (cost > double(1 << 30))
      fail_config("true_features² × input_dim = " + format_number(cost) + " is too slow for the "
                  "hierarchical directions' overlap (limit 2^30, e.g. 2048 features in 256 dims)");
  }
  if (data_kind() == SaeDataKind::npy && npy_path.empty())
    fail_config("npy_path must name a .npy file when data is npy");
  optimizer_config().validate();
  // The pre-activations of a batch (L × B floats) and the weights must fit a browser tab.
  require_fits_browser("n_latents × batch_size", double(n_latents) * batch_size, kBrowserTabFloats);
  // W_enc and W_dec, their gradients and Adam's two moments: 8 copies.
  require_fits_browser("n_latents × input_dim", double(n_latents) * input_dim, kBrowserTabFloats / 4, 8);
  require_fits_browser("true_features × input_dim", double(true_features) * input_dim,
                       kBrowserTabFloats / 4);
}

double SaeConfig::l1_at(int64_t t) const {
  if (l1_warmup_steps <= 0 || t >= l1_warmup_steps) return l1;
  return l1 * static_cast<double>(t + 1) / static_cast<double>(l1_warmup_steps);
}

OptimizerConfig SaeConfig::optimizer_config() const {
  OptimizerConfig o;
  o.kind = "adam";
  o.lr = lr;
  o.schedule.kind = schedule;
  o.schedule.warmup_steps = std::min(warmup_steps, steps);
  o.schedule.total_steps = steps;
  o.schedule.min_lr_fraction = min_lr_fraction;
  return o;
}

std::vector<double> SaeConfig::feature_probabilities() const {
  std::vector<double> p(true_features);
  double sum = 0;
  for (int i = 0; i < true_features; ++i) sum += p[i] = std::pow(i + 1.0, -power_law);
  for (double& q : p) q = std::min(1.0, q * active / sum);
  // Scale the unclamped ones so that Σ p_i = active; clamping at 1 moves the excess to the
  // rest, so repeat until nothing new clamps (at most F rounds, usually one or two).
  for (int round = 0; round < true_features; ++round) {
    double clamped = 0, free_sum = 0;
    for (double q : p) (q >= 1.0 ? clamped : free_sum) += q >= 1.0 ? 1.0 : q;
    if (free_sum <= 0) break;
    const double scale = (active - clamped) / free_sum;
    bool changed = false;
    for (double& q : p)
      if (q < 1.0) {
        q *= scale;
        if (q >= 1.0) { q = 1.0; changed = true; }
      }
    if (!changed) break;
  }
  return p;
}

std::vector<double> SaeConfig::zipf_probabilities() const {
  const int F = true_features;
  std::vector<double> p(F, zipf_max);
  if (F == 1) return p;
  const double last = std::pow(double(F), -zipf_exponent);
  for (int i = 0; i < F; ++i)
    p[i] = zipf_min + (zipf_max - zipf_min) * (std::pow(i + 1.0, -zipf_exponent) - last) / (1.0 - last);
  return p;
}

std::vector<int> SaeConfig::hierarchy_shape() const {
  const auto bad = [&] {
    fail_config("hierarchy must be R,B,DEPTH: roots in [0, true_features], branching in [1, 64], "
                "depth in [0, 16], or 0,0,0 for none (got \"" + hierarchy + "\")");
  };
  std::vector<int> v;
  std::size_t at = 0;
  while (at <= hierarchy.size()) {
    const std::size_t comma = std::min(hierarchy.find(',', at), hierarchy.size());
    const std::string part = hierarchy.substr(at, comma - at);
    if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos) bad();
    v.push_back(std::stoi(part));
    at = comma + 1;
  }
  if (v.size() != 3) bad();
  if (v[0] == 0 && v[1] == 0 && v[2] == 0) return v;
  if (v[0] < 0 || v[0] > true_features || v[1] < 1 || v[1] > 64 || v[2] < 0 || v[2] > 16) bad();
  return v;
}

Json sae_data_presets() {
  static const Json presets = [] {
    SaeConfig h;
    h.data = "hierarchical";
    h.true_features = 1024;
    h.input_dim = 128;
    h.hierarchy = "32,4,3";
    h.n_latents = 256;
    h.k = 8;
    h.l1 = 1;
    h.steps = 2000;
    h.batch_size = 512;
    const Json defaults = SaeConfig().to_json(), mine = h.to_json();
    Json differ = Json::object();
    for (const auto& item : mine.items())
      if (item.key() != "data" && defaults.at(item.key()) != item.value()) differ[item.key()] = item.value();
    return Json{{"hierarchical", differ}};
  }();
  return presets;
}

Json with_data_preset(Json config) {
  const auto data = config.find("data");
  if (data == config.end() || !data->is_string()) return config;
  const Json& presets = sae_data_presets();
  const auto preset = presets.find(data->get<std::string>());
  if (preset == presets.end()) return config;
  for (const auto& item : preset->items())
    if (!config.contains(item.key())) config[item.key()] = item.value();
  return config;
}

Json SaeConfig::to_json() const {
  Json j = fields_to_json(*this);
  if (npy_path.empty()) j.erase("npy_path");
  return j;
}

}  // namespace superpose
