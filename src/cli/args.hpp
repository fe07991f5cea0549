// Command-line flags for the `superpose` subcommands: `--flag value` or `--flag=value`, and
// value parsers whose errors name the flag. A usage error ends the program with one line on
// stderr and exit code 2 (main.cpp).
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace superpose::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // argv[first..argc) are the subcommand's flags. `boolean_flags` take no value.
  Args(int argc, char** argv, int first, std::vector<std::string> boolean_flags);
  // The value of --name, if given (and marks it used).
  std::optional<std::string> take(const std::string& name);
  // Whether the boolean --name was given.
  bool take_flag(const std::string& name);
  // Throws UsageError naming the first flag that no take() asked for.
  void finish() const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> used_;
};

// --help: prints the parts of the command's help text in order and answers true (the command
// then returns 0): `if (take_help(args, {kHelp, flags_help<C>()})) return 0;`.
bool take_help(Args& a, const std::vector<std::string>& parts);

long long parse_int(const std::string& flag, const std::string& text);
double parse_number(const std::string& flag, const std::string& text);
std::vector<double> parse_numbers(const std::string& flag, const std::string& text);  // a,b,c
std::string parse_choice(const std::string& flag, const std::string& text,
                         const std::vector<std::string>& allowed);

}  // namespace superpose::cli
