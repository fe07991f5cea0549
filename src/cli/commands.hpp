// The `superpose` subcommands. Each returns the process exit code: 0 ok, 1 runtime failure
// (e.g. divergence), 2 usage error (thrown as UsageError / std::invalid_argument, reported by
// main as one line).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/json_config.hpp"

namespace superpose {
class Session;
}

namespace superpose::cli {

int cmd_toy(int argc, char** argv);
int cmd_suppression(int argc, char** argv);  // issue 4
int cmd_steer(int argc, char** argv);   // issue 6
int cmd_ablate(int argc, char** argv);  // issue 6
int cmd_sae(int argc, char** argv);     // issue 5
int cmd_grok(int argc, char** argv);    // issue 10
int cmd_schema(int argc, char** argv);  // issue 13: every kind's config keys
int cmd_lm(int argc, char** argv);      // issue 15: train, sample, ablate a language model
int cmd_lm_sae(int argc, char** argv);  // issue 16: `lm sae`, an SAE on a saved model's hook
int cmd_lm_steer(int argc, char** argv);  // issue 16: `lm steer`, a saved model steered along an SAE latent

// Rethrows a config error (std::invalid_argument from validate()) as a UsageError naming the
// flag that sets the field the message starts with. flag_of_field: {field, flag} pairs.
[[noreturn]] void rethrow_as_usage(const std::invalid_argument& e,
                                   const std::vector<std::pair<std::string, std::string>>& flag_of_field);

// Prints a progress line to stderr while a long run trains (at most every half second, after
// the first second), and clears it at the end.
class Progress {
 public:
  explicit Progress(long long total_steps, bool enabled);
  void update(long long step, double loss);
  void finish();

 private:
  long long total_;
  bool enabled_, shown_ = false;
  double start_, last_;
};

double now_seconds();

// A finite number as JSON, and NaN or ±inf as null (a metric not defined for this run).
Json number_or_null(double v);
// A JSON number printed with printf's `format` (one double), or null_text for null.
std::string number_text(const Json& v, const char* format, const char* null_text);

// Steps a session (the page's experiment object, session/session.hpp) to the end of its run,
// `chunk` steps at a time, with the progress line on stderr when `progress`; returns the
// seconds it took. The commands that train drive the page's sessions this way.
double run_session(Session& session, int64_t chunk, bool progress);

}  // namespace superpose::cli
