#include "lm/lm_steering.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "lm/feature_dashboard.hpp"
#include "lm/lm_activations.hpp"

namespace superpose {

namespace {

// The mean over prompts of the hook's value at each prompt's last token: (D).
std::vector<double> last_token_mean(Transformer& model, const std::string& hook,
                                    const std::vector<std::vector<int32_t>>& prompts, const char* which) {
  const int D = sae_hook_dim(hook, model.config());
  std::vector<double> mean(static_cast<std::size_t>(D), 0.0);
  if (prompts.empty()) fail_config(std::string(which) + " holds no prompts (at least 1)");
  for (std::size_t p = 0; p < prompts.size(); ++p) {
    if (prompts[p].empty()) fail_config(std::string(which) + ": prompt " + std::to_string(p) + " is empty");
    const Mat X = prompt_activations(model, prompts[p], hook);  // (D, T)
    for (int d = 0; d < D; ++d) mean[d] += X(d, X.cols() - 1);
  }
  for (double& m : mean) m /= static_cast<double>(prompts.size());
  return mean;
}

void validate_steering(const Steering& s, const Transformer& model) {
  const int D = sae_hook_dim(s.vector.hook, model.config());
  if (static_cast<int>(s.vector.direction.size()) != D)
    fail_config("steering direction must have " + std::to_string(D) + " values for " + s.vector.hook + " (got " +
                std::to_string(s.vector.direction.size()) + ")");
  for (float v : s.vector.direction)
    if (!std::isfinite(v)) fail_config("steering direction holds a non-finite value");
  if (!std::isfinite(s.vector.scale)) fail_config("steering scale must be finite (got " + format_number(s.vector.scale) + ")");
  require_in_range("strength", s.strength, -1000, 1000);
  require_in_range("from", s.from, -1, 1000);
}

}  // namespace

SteeringVector latent_steering(const Sae& sae, const Transformer& model, const std::string& hook,
                               int latent, double max_activation) {
  const int D = sae_hook_dim(hook, model.config());
  if (sae.d() != D)
    fail_config("the SAE reads " + std::to_string(sae.d()) + " values per token but " + hook + " has " +
                std::to_string(D));
  require_in_range("latent", latent, 0, sae.n_latents() - 1, false, false, nullptr, "n_latents-1");
  require_in_range("max_activation", max_activation, 0, 1e30);
  SteeringVector v;
  v.hook = hook;
  const auto col = sae.W_dec().col(latent);
  v.direction.assign(col.data(), col.data() + D);
  v.scale = max_activation;
  return v;
}

SteeringVector mean_difference_steering(Transformer& model, const std::string& hook,
                                        const std::vector<std::vector<int32_t>>& prompts_a,
                                        const std::vector<std::vector<int32_t>>& prompts_b) {
  const std::vector<double> a = last_token_mean(model, hook, prompts_a, "prompt set A");
  const std::vector<double> b = last_token_mean(model, hook, prompts_b, "prompt set B");
  SteeringVector v;
  v.hook = hook;
  v.direction.resize(a.size());
  for (std::size_t d = 0; d < a.size(); ++d) v.direction[d] = static_cast<float>(a[d] - b[d]);
  v.scale = 1;
  return v;
}

std::vector<std::vector<int32_t>> read_prompt_list(
    const std::string& text, const std::string& key,
    const std::function<std::vector<int32_t>(const std::string&)>& encode) {
  if (text.size() > kMaxPromptListBytes)
    fail_config(key + " holds at most " + std::to_string(kMaxPromptListBytes) + " bytes (got " +
                std::to_string(text.size()) + ")");
  std::vector<std::vector<int32_t>> out;
  for (std::size_t at = 0; at <= text.size();) {
    std::size_t end = text.find(';', at);
    if (end == std::string::npos) end = text.size();
    const std::string one = text.substr(at, end - at);
    if (one.find_first_not_of(' ') != std::string::npos) {
      try {
        out.push_back(encode(one));
      } catch (const std::invalid_argument& e) {
        fail_config(key + ": " + e.what());
      }
    }
    at = end + 1;
  }
  if (out.empty()) fail_config(key + " holds no prompt (prompts separated by ;)");
  if (out.size() > kMaxPrompts)
    fail_config(key + " holds " + std::to_string(out.size()) + " prompts (at most " + std::to_string(kMaxPrompts) + ")");
  return out;
}

SteeringVector unit_steering(const Transformer& model, const std::string& hook,
                             std::vector<float> direction, double scale) {
  const int D = sae_hook_dim(hook, model.config());
  if (static_cast<int>(direction.size()) != D)
    fail_config("direction must have " + std::to_string(D) + " values for " + hook + " (got " +
                std::to_string(direction.size()) + ")");
  double norm2 = 0;
  for (float v : direction) norm2 += static_cast<double>(v) * v;
  if (!(norm2 > 0) || !std::isfinite(norm2)) fail_config("direction must be finite and non-zero");
  if (!std::isfinite(scale)) fail_config("scale must be finite (got " + format_number(scale) + ")");
  const double inv = 1.0 / std::sqrt(norm2);
  for (float& v : direction) v = static_cast<float>(v * inv);
  return SteeringVector{hook, std::move(direction), scale};
}

HookSpec steering_spec(const Steering& s, int prompt_length, int length, int context) {
  HookSpec spec;
  if (s.strength == 0) return spec;
  const int T = std::min(length, context), offset = length - T;  // window: [offset, length)
  HookEdit e;
  e.hook = s.vector.hook;
  e.op = HookOp::add;
  const int first = s.from < 0 ? prompt_length - 1 : s.from;
  const int last = s.from < 0 ? prompt_length - 1 : length - 1;
  for (int p = std::max(first, offset); p <= last && p < length; ++p) e.positions.push_back(p - offset);
  if (e.positions.empty()) return spec;
  const double k = s.strength * s.vector.scale;
  e.vector.resize(s.vector.direction.size());
  for (std::size_t d = 0; d < e.vector.size(); ++d) e.vector[d] = static_cast<float>(k * s.vector.direction[d]);
  spec.edits.push_back(std::move(e));
  return spec;
}

namespace {
// The next-token distribution after seq (its last `context` tokens), steered or clean.
std::vector<float> next_probs(Transformer& model, const std::vector<int32_t>& seq, int prompt_length,
                              const Steering* s, double temperature) {
  const int n = static_cast<int>(seq.size());
  if (!s) return next_token_probs(model, seq.data(), n, temperature);
  const HookSpec spec = steering_spec(*s, prompt_length, n, model.config().context);
  return next_token_probs(model, seq.data(), n, temperature, spec.empty() ? nullptr : &spec);
}
}  // namespace

std::vector<int32_t> steered_greedy(Transformer& model, const std::vector<int32_t>& prompt,
                                    const Steering* steering, int n_tokens) {
  require_in_range("tokens", n_tokens, 0, 1000);
  if (prompt.empty()) fail_config("the prompt is empty (at least 1 token)");
  if (steering) validate_steering(*steering, model);
  std::vector<int32_t> seq = prompt, out;
  for (int i = 0; i < n_tokens; ++i) {
    const std::vector<float> probs = next_probs(model, seq, static_cast<int>(prompt.size()), steering, 0.0);
    const int32_t next = static_cast<int32_t>(std::max_element(probs.begin(), probs.end()) - probs.begin());
    seq.push_back(next);
    out.push_back(next);
  }
  return out;
}

SteeringResult steer_lm(Transformer& model, const std::vector<int32_t>& prompt, const Steering& steering,
                        int top_k, int n_tokens) {
  require_in_range("top_k", top_k, 1, model.vocab_size(), false, false, nullptr, "vocab_size");
  require_in_range("tokens", n_tokens, 0, 1000);
  if (prompt.empty()) fail_config("the prompt is empty (at least 1 token)");
  validate_steering(steering, model);
  SteeringResult r;
  const int n = static_cast<int>(prompt.size());
  r.probs_before = next_probs(model, prompt, n, nullptr, 1.0);
  r.probs_after = next_probs(model, prompt, n, &steering, 1.0);
  r.top_before = top_tokens(r.probs_before, top_k);
  r.top_after = top_tokens(r.probs_after, top_k);
  r.text_before = steered_greedy(model, prompt, nullptr, n_tokens);
  r.text_after = steered_greedy(model, prompt, &steering, n_tokens);
  return r;
}

}  // namespace superpose
