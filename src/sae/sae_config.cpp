#include "sae/sae_config.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "core/memory_limit.hpp"

namespace superpose {

namespace {
// Memory bound: the pre-activations of a batch (L × B floats, a few copies) and the weights
// must fit a browser tab.
constexpr double kMaxFloats = 16.0 * 1024 * 1024;
}  // namespace

SaeArch parse_sae_arch(const std::string& name) {
  if (name == "relu") return SaeArch::relu;
  if (name == "gated") return SaeArch::gated;
  if (name == "jumprelu") return SaeArch::jumprelu;
  if (name == "topk") return SaeArch::topk;
  if (name == "batchtopk") return SaeArch::batchtopk;
  fail_config("arch must be one of relu, gated, jumprelu, topk, batchtopk (got \"" + name + "\")");
}

const char* sae_arch_name(SaeArch a) {
  switch (a) {
    case SaeArch::relu: return "relu";
    case SaeArch::gated: return "gated";
    case SaeArch::jumprelu: return "jumprelu";
    case SaeArch::topk: return "topk";
    case SaeArch::batchtopk: return "batchtopk";
  }
  return "?";
}

SaeArch SaeConfig::arch_kind() const { return parse_sae_arch(arch); }

SaeDataKind SaeConfig::data_kind() const {
  if (data == "synthetic") return SaeDataKind::synthetic;
  if (data == "toy") return SaeDataKind::toy;
  if (data == "npy") return SaeDataKind::npy;
  fail_config("data must be one of synthetic, toy, npy (got \"" + data + "\")");
}

void SaeConfig::validate() const {
  arch_kind();
  data_kind();
  require_in_range("n_latents", n_latents, 1, 16384);
  require_in_range("l1", l1, 0, 100);
  if (arch_kind() == SaeArch::topk || arch_kind() == SaeArch::batchtopk)
    require_in_range("k", k, 1, n_latents, false, false, nullptr, "n_latents");
  else
    require_in_range("k", k, 1, 16384);
  if (decoder_norm != "unit" && decoder_norm != "weighted")
    fail_config("decoder_norm must be one of unit, weighted (got \"" + decoder_norm + "\")");
  if (init != "tied" && init != "random")
    fail_config("init must be one of tied, random (got \"" + init + "\")");
  require_in_range("jump_bandwidth", jump_bandwidth, 0, 10, true);
  require_in_range("jump_theta_init", jump_theta_init, 0, 100, true);
  require_in_range("aux_k_coefficient", aux_k_coefficient, 0, 10);
  require_in_range("aux_k", aux_k, 1, 16384);  // used as min(aux_k, dead latents)
  require_in_range("input_dim", input_dim, 1, 4096);
  require_in_range("true_features", true_features, 1, 65536);
  require_in_range("active", active, 0, true_features, true, false, nullptr, "true_features");
  require_in_range("power_law", power_law, 0, 5);
  require_in_range("group_size", group_size, 1, true_features, false, false, nullptr,
                   "true_features");
  if (orthogonal && true_features > input_dim)
    fail_config("orthogonal directions need true_features ≤ input_dim=" +
                std::to_string(input_dim) + " (got " + std::to_string(true_features) + ")");
  if (data_kind() == SaeDataKind::toy) {
    require_in_range("true_features", true_features, 1, 512);
    require_in_range("input_dim", input_dim, 1, true_features, false, false, nullptr,
                     "true_features");
  }
  if (data_kind() == SaeDataKind::npy && npy_path.empty())
    fail_config("npy_path must name a .npy file when data is npy");
  require_in_range("toy_steps", static_cast<double>(toy_steps), 0, 1e6);
  require_in_range("batch_size", batch_size, 1, 65536);
  require_in_range("steps", static_cast<double>(steps), 1, 1e8);
  require_in_range("l1_warmup_steps", static_cast<double>(l1_warmup_steps), 0, 1e8);
  require_in_range("dead_window", static_cast<double>(dead_window), 1, 1e8);
  require_in_range("resample_every", static_cast<double>(resample_every), 1, 1e8);
  require_in_range("seed", static_cast<double>(seed), 0, 4294967295.0);
  optimizer_config().validate();
  require_fits_browser("n_latents × batch_size", double(n_latents) * batch_size, kMaxFloats);
  // W_enc and W_dec, their gradients and Adam's two moments: 8 copies.
  require_fits_browser("n_latents × input_dim", double(n_latents) * input_dim, kMaxFloats / 4, 8);
  require_fits_browser("true_features × input_dim", double(true_features) * input_dim,
                       kMaxFloats / 4);
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

void SaeConfig::read(JsonConfigReader& r) {
  r.read("arch", arch);
  r.read("n_latents", n_latents);
  r.read("l1", l1);
  r.read("k", k);
  r.read("decoder_norm", decoder_norm);
  r.read("jump_bandwidth", jump_bandwidth);
  r.read("jump_theta_init", jump_theta_init);
  r.read("aux_k_coefficient", aux_k_coefficient);
  r.read("aux_k", aux_k);
  r.read("init", init);
  r.read("data", data);
  r.read("npy_path", npy_path);
  r.read("input_dim", input_dim);
  r.read("true_features", true_features);
  r.read("active", active);
  r.read("power_law", power_law);
  r.read("group_size", group_size);
  r.read("orthogonal", orthogonal);
  r.read("toy_steps", toy_steps);
  r.read("batch_size", batch_size);
  r.read("lr", lr);
  r.read("steps", steps);
  r.read("schedule", schedule);
  r.read("warmup_steps", warmup_steps);
  r.read("min_lr_fraction", min_lr_fraction);
  r.read("l1_warmup_steps", l1_warmup_steps);
  r.read("resample", resample);
  r.read("dead_window", dead_window);
  r.read("resample_every", resample_every);
  r.read("seed", seed);
}

SaeConfig SaeConfig::from_json(const Json& j) {
  SaeConfig c;
  JsonConfigReader r(j);
  c.read(r);
  r.finish();
  c.validate();
  return c;
}

Json SaeConfig::to_json() const {
  Json j{{"arch", arch},
         {"n_latents", n_latents},
         {"l1", l1},
         {"k", k},
         {"decoder_norm", decoder_norm},
         {"jump_bandwidth", jump_bandwidth},
         {"jump_theta_init", jump_theta_init},
         {"aux_k_coefficient", aux_k_coefficient},
         {"aux_k", aux_k},
         {"init", init},
         {"data", data},
         {"input_dim", input_dim},
         {"true_features", true_features},
         {"active", active},
         {"power_law", power_law},
         {"group_size", group_size},
         {"orthogonal", orthogonal},
         {"toy_steps", toy_steps},
         {"batch_size", batch_size},
         {"lr", lr},
         {"steps", steps},
         {"schedule", schedule},
         {"warmup_steps", warmup_steps},
         {"min_lr_fraction", min_lr_fraction},
         {"l1_warmup_steps", l1_warmup_steps},
         {"resample", resample},
         {"dead_window", dead_window},
         {"resample_every", resample_every},
         {"seed", seed}};
  if (!npy_path.empty()) j["npy_path"] = npy_path;
  return j;
}

}  // namespace superpose
