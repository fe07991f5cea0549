#include "cli/toy_flags.hpp"

#include "cli/commands.hpp"
#include "cli/config_flags.hpp"

namespace superpose::cli {

std::string toy_flags_help() { return flags_help<ToyConfig>(); }

const std::vector<std::pair<std::string, std::string>>& toy_flag_of_field() {
  static const auto kFlagOfField = [] {
    auto pairs = flag_of_field<ToyConfig>();
    pairs.emplace_back("n_instances × n_features", "batch");  // the memory bounds
    return pairs;
  }();
  return kFlagOfField;
}

ToyConfig toy_config_from_flags(Args& a) {
  return config_from_flag_json<ToyConfig>(flags_to_json<ToyConfig>(a), {}, toy_flag_of_field());
}

}  // namespace superpose::cli
