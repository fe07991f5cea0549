// `superpose steer`: add a direction to a trained toy model's hidden state and print its outputs
// before and after (issue 6): h' = h + strength · direction · scale (interp/steering.hpp).
#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_flags.hpp"
#include "cli/interp_setup.hpp"

namespace superpose::cli {

namespace {
// The usage and the command's own flags; --strength and --input are the steer session's fields.
std::string steer_help_head() {
  return "usage: superpose steer [toy and SAE flags] --latent I | --direction feature:I | --direction unit:J\n"
         "                       --strength S [--input " + join_choices(kSteeringInputNames, "|") +
         "] [--seed 0] [--json]\n" R"(Train a toy model (then its SAE), steer its hidden state along a direction, show the outputs.
  --latent I                SAE latent I's decoder column, scaled by its max activation on the data
  --direction latent:I|feature:I|unit:J   feature: the toy model's column W_i; unit: hidden unit e_j
                            (scaled by max |h_j| on the data)
)";
}
const char* kSteerHelpTail = "  --json                    print {config, input, before, after, switched_on, ...}\n";
constexpr float kOn = 0.1f;  // an output counts as "on" above this
}  // namespace

int cmd_steer(int argc, char** argv) {
  Args args(argc, argv, 2, {"json", "help"});
  if (take_interp_help(args, steer_help_head(), {"strength", "input"}, kSteerHelpTail)) return 0;
  InterpSetup s = interp_setup_from_flags(args);
  s.json = args.take_flag("json");
  const auto latent = args.take("latent");
  const auto direction = args.take("direction");
  if (latent && direction) throw UsageError("give --latent or --direction, not both");
  if (!latent && !direction) throw UsageError("--latent I or --direction feature:I|unit:J is required");
  SteerTarget target;
  try {
    target = latent ? SteerTarget{SteerKind::latent, static_cast<int>(parse_int("latent", *latent))}
                    : parse_steer_target(*direction);
    if (latent && target.index < 0) throw UsageError("--latent must be ≥ 0 (got " + *latent + ")");
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--direction: ") + e.what());
  }
  const InterventionConfig defaults;  // the steer session's: strength, input
  double strength = defaults.strength;
  if (auto v = args.take("strength")) strength = parse_number("strength", *v);
  std::string input = defaults.input;
  if (auto v = args.take("input")) input = parse_choice("input", *v, kSteeringInputNames);
  InterventionConfig given = defaults;  // the page's bounds: --strength in the steer session's range
  given.strength = strength;
  given.input = input;
  try {
    check_fields(given);
  } catch (const std::invalid_argument& e) {
    rethrow_as_usage(e, flag_of_field<InterventionConfig>());
  }
  args.finish();

  // Range errors that need the model's shape (index ≥ n_latents, ...) are usage errors too, but
  // are only known after training: check the shapes first.
  const int rows = target.kind == SteerKind::unit      ? s.toy().n_hidden
                   : target.kind == SteerKind::latent ? s.n_latents()
                                                      : s.toy().n_features;
  const char* flag = latent ? "--latent" : "--direction";
  if (target.index >= rows)
    throw UsageError(std::string(flag) + ": " + to_string(target) + " is out of range (" +
                     (target.kind == SteerKind::unit ? "n_hidden" : target.kind == SteerKind::latent ? "n_latents" : "n_features") +
                     "=" + std::to_string(rows) + ")");

  train_and_prepare(s);
  const Interventions& iv = s.interventions();
  const Vec x = iv.input(input);
  const SteerResult r = iv.steer(target, strength, x);
  const Vec v = iv.steering_vector(target);
  std::vector<int> on, off;
  for (int i = 0; i < r.before.size(); ++i) {
    if (r.after[i] > kOn && !(r.before[i] > kOn)) on.push_back(i);
    if (!(r.after[i] > kOn) && r.before[i] > kOn) off.push_back(i);
  }
  int matched = -1;
  if (target.kind == SteerKind::latent) matched = iv.match().feature[target.index];
  if (target.kind == SteerKind::feature) matched = target.index;

  if (s.json) {
    Json out;
    Json config = s.config_json();
    config["direction"] = to_string(target);
    config["strength"] = strength;
    config["input"] = input;
    out["config"] = std::move(config);
    auto vec = [](const Vec& a) { return std::vector<float>(a.data(), a.data() + a.size()); };
    out["input"] = vec(x);
    out["before"] = vec(r.before);
    out["after"] = vec(r.after);
    out["h_before"] = vec(r.h_before);
    out["h_after"] = vec(r.h_after);
    out["steering_vector"] = vec(v);
    out["switched_on"] = on;
    out["switched_off"] = off;
    out["matched_feature"] = matched;
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("steering toy instance %d (%s model, n=%d, m=%d) along %s, strength %g, %s input\n",
              s.instance(), s.toy().model.c_str(), s.toy().n_features, s.toy().n_hidden,
              to_string(target).c_str(), strength, input.c_str());
  if (matched >= 0) std::printf("the direction matches true feature %d\n", matched);
  std::printf("\n%-8s %-8s %-9s %-9s\n", "feature", "input", "before", "after");
  for (int i = 0; i < r.before.size(); ++i)
    std::printf("%-8d %-8.3f %-9.4f %-9.4f%s\n", i, x[i], r.before[i], r.after[i],
                r.after[i] > kOn && !(r.before[i] > kOn) ? "  switched on" :
                !(r.after[i] > kOn) && r.before[i] > kOn ? "  switched off" : "");
  std::printf("\n(on: output > %g)\n", kOn);
  return 0;
}

}  // namespace superpose::cli
