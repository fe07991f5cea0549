#include "cli/interp_setup.hpp"

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/toy_flags.hpp"
#include "core/check.hpp"
#include "interp/perfect_sae.hpp"

namespace superpose::cli {

const char* const kInterpFlagsHelp =
    R"(  --sae perfect             the SAE: perfect = hand-built from the toy model's feature columns
  --instance K=0            which toy instance to intervene on
  --eval-batch B=4096       inputs for the statistics (max/mean activations) and the loss changes
)";

InterpSetup interp_setup_from_flags(Args& a) {
  InterpSetup s;
  s.toy = toy_config_from_flags(a);
  if (auto v = a.take("sae")) s.sae = parse_choice("sae", *v, {"perfect"});
  if (auto v = a.take("instance")) {
    const long long k = parse_int("instance", *v);
    if (k < 0 || k >= s.toy.n_instances)
      throw UsageError("--instance: instance must be in [0, n_instances-1=" +
                       std::to_string(s.toy.n_instances - 1) + "] (got " + *v + ")");
    s.instance = static_cast<int>(k);
  }
  if (auto v = a.take("eval-batch")) {
    const long long b = parse_int("eval-batch", *v);
    if (b < 1 || b > (1 << 20))
      throw UsageError("--eval-batch: eval_batch must be in [1, 1048576] (got " + *v + ")");
    s.eval_batch = static_cast<int>(b);
  }
  return s;
}

void train_and_prepare(InterpSetup& s) {
  s.model = std::make_unique<ToyModel>(s.toy);
  Progress progress(s.toy.steps, !s.json);
  for (int64_t done = 0; done < s.toy.steps;) {
    const int64_t chunk = std::min<int64_t>(200, s.toy.steps - done);
    s.model->train(chunk);
    done += chunk;
    double total = 0;
    for (float l : s.model->last_loss()) total += l;
    progress.update(done, total);
  }
  progress.finish();
  const SplitToyModel split = SplitToyModel::from(*s.model, s.instance);
  SaeView sae = perfect_sae(split);
  s.interventions = std::make_unique<Interventions>(*s.model, s.instance, std::move(sae),
                                                    static_cast<uint64_t>(s.toy.seed),
                                                    s.eval_batch, s.eval_batch);
}

Json InterpSetup::config_json() const {
  Json j;
  j["toy"] = toy.to_json();
  j["sae"] = Json{{"kind", sae}};
  j["instance"] = instance;
  j["eval_batch"] = eval_batch;
  return j;
}

}  // namespace superpose::cli
