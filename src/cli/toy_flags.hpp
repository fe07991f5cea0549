// The toy model's flags, shared by `superpose toy` and every command that trains a toy model
// first (steer, ablate, ...): flag → ToyConfig, errors naming the flag (exit 2 via main). The
// flags, their help and their ranges come from ToyConfig::fields (cli/config_flags.hpp).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "cli/args.hpp"
#include "toy/toy_config.hpp"

namespace superpose::cli {

// Takes the toy flags from a (those given), validates, and rethrows a config error as a
// UsageError naming the flag.
ToyConfig toy_config_from_flags(Args& a);

// {field, flag} pairs of the toy config (for rethrow_as_usage).
const std::vector<std::pair<std::string, std::string>>& toy_flag_of_field();

// The help lines of the toy flags.
std::string toy_flags_help();

}  // namespace superpose::cli
