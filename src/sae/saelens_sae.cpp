#include "sae/saelens_sae.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sae/batchtopk_sae.hpp"
#include "sae/jumprelu_sae.hpp"

namespace superpose {

SaeLensSae sae_to_saelens(const Sae& sae) {
  SaeLensSae s;
  s.d_in = sae.d();
  s.d_sae = sae.n_latents();
  s.W_enc = sae.W_enc_t().transpose();  // (L, d)
  s.W_dec = sae.W_dec();                // (d, L)
  s.b_enc = sae.b_enc();
  s.b_dec = sae.b_dec();
  switch (sae.arch()) {
    case SaeArch::relu:
      s.architecture = "standard";
      break;
    case SaeArch::jumprelu:
      s.architecture = "jumprelu";
      s.threshold = static_cast<const JumpReluSae&>(sae).theta();
      break;
    case SaeArch::topk:
      s.architecture = "topk";
      s.k = sae.config().k;
      break;
    case SaeArch::batchtopk:
    case SaeArch::matryoshka: {  // MatryoshkaSae is a BatchTopKSae
      const float theta = static_cast<const BatchTopKSae&>(sae).inference_threshold();
      if (!(theta >= 0.f))
        throw std::invalid_argument(std::string("SAELens export: this ") + sae_arch_name(sae.arch()) +
                                    " SAE has no inference threshold yet (train it first)");
      s.architecture = "jumprelu";
      s.threshold = Vec::Constant(s.d_sae, std::max(theta, 1e-30f));
      break;
    }
    case SaeArch::gated:
      throw std::invalid_argument("SAELens export: the gated architecture is not supported (relu, jumprelu, topk, batchtopk, matryoshka are)");
  }
  s.cfg = Json{{"model_name", "superpose"}, {"hook_name", "toy.hidden"},
               {"metadata", {{"model_name", "superpose"}, {"hook_name", "toy.hidden"}}},
               {"superpose", sae.config().to_json()}};
  return s;
}

SaeConfig saelens_sae_config(const SaeLensSae& file, const SaeConfig& base) {
  SaeConfig c = base;
  c.arch = file.architecture == "standard" ? "relu" : file.architecture;
  c.n_latents = file.d_sae;
  if (file.architecture == "topk") c.k = file.k;
  else c.k = std::min(c.k, file.d_sae);
  c.aux_k = std::min(c.aux_k, file.d_sae);
  return c;
}

std::unique_ptr<Sae> sae_from_saelens(const SaeLensSae& file, const SaeConfig& base, int d) {
  file.validate();
  if (file.d_in != d)
    throw std::invalid_argument("SAELens: the SAE reads d_in=" + std::to_string(file.d_in) +
                                " dimensions but the data has " + std::to_string(d));
  const SaeConfig c = saelens_sae_config(file, base);
  auto sae = make_sae(c, d, file.b_dec);
  sae->W_enc_t() = file.W_enc.transpose();
  sae->b_enc() = file.b_enc;
  sae->W_dec() = file.W_dec;
  sae->b_dec() = file.b_dec;
  if (file.architecture == "jumprelu") {
    auto& j = static_cast<JumpReluSae&>(*sae);
    j.log_theta() = file.threshold.cwiseMax(1e-30f).array().log().matrix();
  }
  return sae;
}

}  // namespace superpose
