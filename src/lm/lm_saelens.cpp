#include "lm/lm_saelens.hpp"

#include "core/check.hpp"
#include "lm/lm_activations.hpp"
#include "sae/saelens_sae.hpp"

namespace superpose {

std::string saelens_model_name(const LmConfig& m) {
  return "superpose-lm-" + std::to_string(m.n_layers) + "l-" + std::to_string(m.d_model) + "d-" +
         std::to_string(m.n_heads) + "h-" + std::to_string(m.context) + "t";
}

SaeLensSae lm_sae_to_saelens(const Sae& sae, const LmConfig& model, const std::string& hook) {
  const int D = sae_hook_dim(hook, model);
  if (D != sae.d())
    fail_config("the SAE reads " + std::to_string(sae.d()) + " values, hook \"" + hook + "\" has " +
                std::to_string(D));
  SaeLensSae s = sae_to_saelens(sae);
  if (!s.cfg.is_object()) s.cfg = Json::object();
  const std::string name = saelens_model_name(model);
  s.cfg["model_name"] = name;
  s.cfg["hook_name"] = hook;
  s.cfg["hook_head_index"] = nullptr;
  s.cfg["context_size"] = model.context;
  s.cfg["metadata"] = Json{{"model_name", name}, {"hook_name", hook}, {"hook_head_index", nullptr},
                           {"context_size", model.context}};
  return s;
}

std::string saelens_hook_name(const SaeLensSae& file) {
  const Json& c = file.cfg;
  if (!c.is_object()) return "";
  auto str = [](const Json& j, const char* key) -> std::string {
    if (!j.is_object() || !j.contains(key)) return "";
    const Json& v = j.at(key);
    if (v.is_null()) return "";
    if (!v.is_string()) fail_config(std::string("SAELens cfg.json: ") + key + " must be a string");
    return v.get<std::string>();
  };
  if (c.contains("metadata")) {
    std::string h = str(c.at("metadata"), "hook_name");
    if (!h.empty()) return h;
  }
  std::string h = str(c, "hook_name");
  if (!h.empty()) return h;
  return str(c, "hook_point");
}

LmSaeFile lm_sae_from_saelens(const SaeLensSae& file, const SaeConfig& base, const LmConfig& model) {
  LmSaeFile out;
  out.hook = saelens_hook_name(file);
  if (out.hook.empty())
    fail_config("SAELens cfg.json: no hook_name (neither metadata.hook_name nor hook_name): which "
                "hook of the model the SAE reads is unknown");
  int D = 0;
  try {
    D = sae_hook_dim(out.hook, model);
  } catch (const std::invalid_argument& e) {
    fail_config(std::string("SAELens cfg.json: hook_name: ") + e.what());
  }
  if (file.d_in != D)
    fail_config("SAELens cfg.json: d_in is " + std::to_string(file.d_in) + ", but hook \"" + out.hook +
                "\" of this model has " + std::to_string(D) + " values");
  out.sae = sae_from_saelens(file, base, D);
  return out;
}

}  // namespace superpose
