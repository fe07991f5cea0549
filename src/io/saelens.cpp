#include "io/saelens.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "io/safetensors.hpp"

namespace superpose {

namespace {
[[noreturn]] void bad_cfg(const std::string& m) { throw std::invalid_argument("SAELens cfg.json: " + m); }
[[noreturn]] void bad_weights(const std::string& m) { throw std::invalid_argument("SAELens weights: " + m); }

int read_dim(const Json& cfg, const char* key, int lo, int hi) {
  if (!cfg.contains(key)) bad_cfg(std::string("missing \"") + key + "\"");
  const Json& v = cfg[key];
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi)
    bad_cfg(std::string(key) + " must be an integer in [" + std::to_string(lo) + ", " +
            std::to_string(hi) + "] (got " + v.dump() + ")");
  return static_cast<int>(v.get<int64_t>());
}

// SAELens (d0, d1) row-major → Superpose (d1, d0): the transpose, as a column-major Mat.
Mat from_saelens(const Tensor& t) {
  const int rows = static_cast<int>(t.shape[0]), cols = static_cast<int>(t.shape[1]);
  return Eigen::Map<const RowMat>(t.data.data(), rows, cols).transpose();
}
Tensor to_saelens(const Mat& M) {  // Superpose (a, b) → SAELens (b, a) row-major
  Tensor t({M.cols(), M.rows()}, std::vector<float>(M.size()));
  RowMatMap(t.data.data(), M.cols(), M.rows()) = M.transpose();
  return t;
}
Vec vec(const Tensor& t) { return Eigen::Map<const Vec>(t.data.data(), static_cast<Eigen::Index>(t.numel())); }
Tensor tensor(const Vec& v) { return Tensor({v.size()}, std::vector<float>(v.data(), v.data() + v.size())); }
}  // namespace

void SaeLensSae::validate() const {
  if (architecture != "standard" && architecture != "jumprelu" && architecture != "topk")
    throw std::invalid_argument("SAELens: architecture \"" + architecture +
                                "\" is not supported (supported: standard, jumprelu, topk)");
  if (d_in < 1 || d_sae < 1) throw std::invalid_argument("SAELens: d_in and d_sae must be positive");
  if (architecture == "topk" && (k < 1 || k > d_sae))
    throw std::invalid_argument("SAELens: k must be in [1, d_sae=" + std::to_string(d_sae) + "] (got " + std::to_string(k) + ")");
  auto expect = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("SAELens: ") + what + " has the wrong size");
  };
  expect(W_enc.rows() == d_sae && W_enc.cols() == d_in, "W_enc");
  expect(W_dec.rows() == d_in && W_dec.cols() == d_sae, "W_dec");
  expect(b_enc.size() == d_sae, "b_enc");
  expect(b_dec.size() == d_in, "b_dec");
  expect(architecture == "jumprelu" ? threshold.size() == d_sae : threshold.size() == 0, "threshold");
}

SaeLensSae read_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights) {
  SaeLensSae s;
  try {
    s.cfg = Json::parse(cfg_json);
  } catch (const Json::exception& e) {
    bad_cfg(std::string("not valid JSON: ") + e.what());
  }
  if (!s.cfg.is_object()) bad_cfg("must be a JSON object");
  const Json& cfg = s.cfg;
  s.d_in = read_dim(cfg, "d_in", 1, 1 << 20);
  s.d_sae = read_dim(cfg, "d_sae", 1, 1 << 24);
  if (cfg.contains("architecture")) {  // SAELens before 5.x had no key: standard
    if (!cfg["architecture"].is_string()) bad_cfg("architecture must be a string");
    s.architecture = cfg["architecture"].get<std::string>();
  }
  if (s.architecture != "standard" && s.architecture != "jumprelu" && s.architecture != "topk")
    bad_cfg("architecture \"" + s.architecture + "\" is not supported (supported: standard, jumprelu, topk)");
  if (s.architecture == "topk") s.k = read_dim(cfg, "k", 1, s.d_sae);
  bool apply_b_dec = true;
  if (cfg.contains("apply_b_dec_to_input")) {
    if (!cfg["apply_b_dec_to_input"].is_boolean()) bad_cfg("apply_b_dec_to_input must be true or false");
    apply_b_dec = cfg["apply_b_dec_to_input"].get<bool>();
  }
  if (cfg.contains("normalize_activations") && !cfg["normalize_activations"].is_null() &&
      cfg["normalize_activations"] != "none")
    bad_cfg("normalize_activations " + cfg["normalize_activations"].dump() +
            " is not supported (only \"none\": fold the scaling into the weights first)");
  if (cfg.contains("reshape_activations") && cfg["reshape_activations"] != "none")
    bad_cfg("reshape_activations " + cfg["reshape_activations"].dump() + " is not supported (only \"none\")");

  TensorFile f;
  try {
    f = read_safetensors(weights);
  } catch (const std::invalid_argument& e) {
    bad_weights(e.what());
  }
  const int64_t d = s.d_in, L = s.d_sae;
  const char* who = "SAELens weights";
  const Tensor& W_enc = expect_tensor(f, "W_enc", {d, L}, who);
  const Tensor& W_dec = expect_tensor(f, "W_dec", {L, d}, who);
  const Tensor& b_enc = expect_tensor(f, "b_enc", {L}, who);
  const Tensor& b_dec = expect_tensor(f, "b_dec", {d}, who);
  std::vector<std::string> used = {"W_enc", "W_dec", "b_enc", "b_dec"};
  Tensor threshold;
  if (s.architecture == "jumprelu") {
    if (f.tensors.count("threshold")) {
      threshold = expect_tensor(f, "threshold", {L}, who);
      used.push_back("threshold");
    } else if (f.tensors.count("log_threshold")) {  // a training checkpoint
      threshold = expect_tensor(f, "log_threshold", {L}, who);
      for (float& v : threshold.data) v = std::exp(v);
      used.push_back("log_threshold");
    } else {
      expect_tensor(f, "threshold", {L}, who);  // throws: missing
    }
  }
  if (f.tensors.count("scaling_factor")) {  // older SAELens: f ⊙ scaling_factor before decoding
    const Tensor& sf = expect_tensor(f, "scaling_factor", {L}, who);
    for (float v : sf.data)
      if (v != 1.f) bad_weights("scaling_factor other than all ones is not supported (fold it into W_dec)");
    used.push_back("scaling_factor");
  }
  for (const auto& [name, t] : f.tensors)
    if (std::find(used.begin(), used.end(), name) == used.end())
      bad_weights("unexpected tensor \"" + name + "\" for architecture " + s.architecture);
  for (const std::string& name : used) {
    try {
      require_finite(f.tensors.at(name), name);
    } catch (const std::invalid_argument& e) {
      bad_weights(e.what());
    }
  }

  s.W_enc = from_saelens(W_enc);  // (L, d)
  s.W_dec = from_saelens(W_dec);  // (d, L)
  s.b_enc = vec(b_enc);
  s.b_dec = vec(b_dec);
  if (s.architecture == "jumprelu") s.threshold = vec(threshold);
  if (!apply_b_dec) {
    // z = W_enc x + b_enc = W_enc (x − b_dec) + (b_enc + W_enc b_dec)
    s.b_enc += s.W_enc * s.b_dec;
    s.cfg["apply_b_dec_to_input"] = true;
  }
  s.validate();
  return s;
}

std::pair<std::string, std::vector<uint8_t>> write_saelens(const SaeLensSae& s) {
  s.validate();
  Json cfg = s.cfg.is_object() ? s.cfg : Json::object();
  cfg["d_in"] = s.d_in;
  cfg["d_sae"] = s.d_sae;
  cfg["architecture"] = s.architecture;
  cfg["dtype"] = "float32";
  if (!cfg.contains("device")) cfg["device"] = "cpu";
  cfg["apply_b_dec_to_input"] = true;
  cfg["normalize_activations"] = "none";
  cfg["reshape_activations"] = "none";
  if (s.architecture == "topk") cfg["k"] = s.k;
  else cfg.erase("k");
  // Where the SAE reads: SAELens < 6 keeps model_name and hook_name at the top level, 6.x under
  // metadata (lm/lm_saelens.hpp writes a language model's hook there); a file that says nothing
  // (a toy model's hidden layer) gets placeholders in both places. "meta": an older Superpose's.
  if (!cfg.contains("hook_name") && !cfg.contains("metadata") && !cfg.contains("meta")) {
    cfg["model_name"] = "superpose";
    cfg["hook_name"] = "toy.hidden";
    cfg["metadata"] = {{"model_name", "superpose"}, {"hook_name", "toy.hidden"}};
  }

  TensorFile f;
  f.tensors["W_enc"] = to_saelens(s.W_enc);  // (d_in, d_sae)
  f.tensors["W_dec"] = to_saelens(s.W_dec);  // (d_sae, d_in)
  f.tensors["b_enc"] = tensor(s.b_enc);
  f.tensors["b_dec"] = tensor(s.b_dec);
  if (s.architecture == "jumprelu") f.tensors["threshold"] = tensor(s.threshold);
  return {cfg.dump(2) + "\n", write_safetensors(f)};
}

SaeLensSae load_saelens_dir(const std::string& dir) {
  const std::filesystem::path p(dir);
  const std::vector<uint8_t> cfg = read_file_bytes((p / "cfg.json").string());
  const std::vector<uint8_t> weights = read_file_bytes((p / "sae_weights.safetensors").string());
  try {
    return read_saelens(std::string(cfg.begin(), cfg.end()), weights);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(dir + ": " + e.what());
  }
}

void save_saelens_dir(const std::string& dir, const SaeLensSae& sae) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::invalid_argument("cannot create " + dir + ": " + ec.message());
  const auto [cfg, weights] = write_saelens(sae);
  const std::filesystem::path p(dir);
  write_file_bytes((p / "cfg.json").string(), std::vector<uint8_t>(cfg.begin(), cfg.end()));
  write_file_bytes((p / "sae_weights.safetensors").string(), weights);
}

}  // namespace superpose
