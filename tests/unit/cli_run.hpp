// Runs a `superpose` subcommand in-process for the test_cli_* cases: its command function with the
// arguments, stdout captured and parsed as JSON (the command must exit 0; a usage error throws).
// Native only: the CLI is the native front end (CMakeLists.txt: test_cli_* and superpose_cli).
#pragma once
#include <doctest/doctest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json_config.hpp"

namespace superpose::test {

inline Json run_cli(int (*command)(int, char**), std::vector<std::string> args) {
  args.insert(args.begin(), "superpose");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out;
  std::streambuf* const old = std::cout.rdbuf(out.rdbuf());
  int code = -1;
  try {
    code = command(static_cast<int>(argv.size()), argv.data());
  } catch (...) {
    std::cout.rdbuf(old);
    throw;
  }
  std::cout.rdbuf(old);
  REQUIRE(code == 0);
  return parse_json(out.str());
}

}  // namespace superpose::test
