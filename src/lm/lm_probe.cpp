#include "lm/lm_probe.hpp"

#include <algorithm>

#include "core/check.hpp"
#include "lm/sampler.hpp"
#include "lm/toy_world.hpp"

namespace superpose {

ProbeResult temperature_probe_result(Transformer& model, const Corpus& corpus) {
  if (corpus.tokenizer.kind() != TokenizerKind::word)
    fail_config("the temperature probe needs the toy world's words (data toy)");
  ProbeResult r;
  for (const ToyProbe& probe : temperature_probe()) {
    const std::vector<int32_t> ids = corpus.encode(probe.prompt);
    const std::vector<float> p = next_token_probs(model, ids.data(), static_cast<int>(ids.size()));
    const int32_t best = static_cast<int32_t>(std::max_element(p.begin(), p.end()) - p.begin());
    const int32_t expected = corpus.tokenizer.id_of(probe.expected);
    ProbeAnswer a{probe.prompt, probe.expected, corpus.tokenizer.piece(best), p[expected]};
    r.correct += best == expected;
    ++r.total;
    r.answers.push_back(std::move(a));
  }
  return r;
}

}  // namespace superpose
