// `superpose`: the native command-line front end. One subcommand per experiment; each lives in
// its own cmd_*.cpp. Usage errors print one line and exit 2.
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/check.hpp"

namespace {
struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* summary;
};
const Command kCommands[] = {
    {"toy", superpose::cli::cmd_toy, "train toy models of superposition (Elhage et al. 2022)"},
    {"suppression", superpose::cli::cmd_suppression, "feature suppression: a = 1 − c/2, the scale and gated fixes"},
    {"steer", superpose::cli::cmd_steer, "steer a toy model's hidden state along an SAE latent, feature or unit"},
    {"sae", superpose::cli::cmd_sae, "train sparse autoencoders (ReLU, Gated, JumpReLU, TopK, BatchTopK) on known features"},
    {"ablate", superpose::cli::cmd_ablate, "ablate SAE latents or hidden units: loss change per output feature"},
    {"grok", superpose::cli::cmd_grok, "grokking modular addition: memorise, then generalise (Gromov MLP, residual stream)"},
    {"lm", superpose::cli::cmd_lm, "a tiny transformer language model: train, sample, ablate heads and MLPs"},
    {"schema", superpose::cli::cmd_schema, "the config keys of every experiment kind: type, default, range, flag"},
};

void usage(FILE* out) {
  std::fprintf(out, "usage: superpose <command> [--flags]   (superpose <command> --help)\n\ncommands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      return c.run(argc, argv);
    } catch (const superpose::cli::UsageError& e) {
      std::fprintf(stderr, "superpose %s: %s\n", c.name, e.what());
      return 2;
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "superpose %s: %s\n", c.name, e.what());
      return 2;
    } catch (const superpose::Diverged& e) {
      std::fprintf(stderr, "superpose %s: %s\n", c.name, e.what());
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "superpose %s: error: %s\n", c.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "superpose: unknown command '%s' (try: superpose --help)\n", argv[1]);
  return 2;
}
