#include "cli/toy_flags.hpp"

#include "cli/commands.hpp"

namespace superpose::cli {

const char* const kToyFlagsHelp =
    R"(  --features N=5            number of features n
  --hidden M=2              hidden dimensions m, in [1, n]
  --instances K=1           models trained side by side
  --feature-prob P=0.05     feature probability; or P1,P2,... one value per instance
  --importance-decay R=1.0  importance of feature i is R^i
  --model relu|linear|relu-hidden|abs
  --correlation none|correlated|anticorrelated   (features in consecutive pairs)
  --steps S=10000  --batch B=1024  --lr LR=1e-3  --optimizer adam|adamw
  --weight-decay WD=0.01 (adamw)  --schedule constant|warmup|cosine  --warmup W=0
  --seed SEED=0
)";

const std::vector<std::pair<std::string, std::string>>& toy_flag_of_field() {
  static const std::vector<std::pair<std::string, std::string>> kFlagOfField = {
      {"n_features", "features"},   {"n_hidden", "hidden"},
      {"n_instances", "instances"}, {"feature_probability", "feature-prob"},
      {"importance_decay", "importance-decay"}, {"model", "model"},
      {"correlation", "correlation"}, {"batch_size", "batch"},
      {"steps", "steps"},           {"lr", "lr"},
      {"optimizer", "optimizer"},   {"weight_decay", "weight-decay"},
      {"schedule", "schedule"},     {"warmup_steps", "warmup"},
      {"seed", "seed"},             {"n_instances × n_features", "batch"},
  };
  return kFlagOfField;
}

ToyConfig toy_config_from_flags(Args& a) {
  Json j = Json::object();
  if (auto v = a.take("features")) j["n_features"] = parse_int("features", *v);
  if (auto v = a.take("hidden")) j["n_hidden"] = parse_int("hidden", *v);
  if (auto v = a.take("instances")) j["n_instances"] = parse_int("instances", *v);
  if (auto v = a.take("feature-prob")) j["feature_probability"] = parse_numbers("feature-prob", *v);
  if (auto v = a.take("importance-decay")) j["importance_decay"] = parse_number("importance-decay", *v);
  if (auto v = a.take("model"))
    j["model"] = parse_choice("model", *v, {"relu", "linear", "relu-hidden", "abs"});
  if (auto v = a.take("correlation"))
    j["correlation"] = parse_choice("correlation", *v, {"none", "correlated", "anticorrelated"});
  if (auto v = a.take("steps")) j["steps"] = parse_int("steps", *v);
  if (auto v = a.take("batch")) j["batch_size"] = parse_int("batch", *v);
  if (auto v = a.take("lr")) j["lr"] = parse_number("lr", *v);
  if (auto v = a.take("optimizer")) j["optimizer"] = parse_choice("optimizer", *v, {"adam", "adamw"});
  if (auto v = a.take("weight-decay")) j["weight_decay"] = parse_number("weight-decay", *v);
  if (auto v = a.take("schedule"))
    j["schedule"] = parse_choice("schedule", *v, {"constant", "warmup", "cosine"});
  if (auto v = a.take("warmup")) j["warmup_steps"] = parse_int("warmup", *v);
  if (auto v = a.take("seed")) j["seed"] = parse_int("seed", *v);
  // One feature probability given for several instances applies to all of them.
  try {
    return ToyConfig::from_json(j);
  } catch (const std::invalid_argument& e) {
    rethrow_as_usage(e, toy_flag_of_field());
  }
}

}  // namespace superpose::cli
