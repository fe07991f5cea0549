// `superpose toy --save DIR / --load FILE` (issue 7): the toy model as a safetensors file
// (toy/toy_export.hpp). --load takes the model and its config from the file, so it refuses the
// toy flags alongside it; --save writes DIR/toy_model.safetensors (creating DIR).
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "session/toy_session.hpp"
#include "toy/toy_model.hpp"

namespace superpose::cli {

// The file of --load FILE, if given. A toy flag given alongside is a UsageError (exit 2).
std::optional<std::string> take_toy_load(Args& a);
// Puts the model of a saved file into the session (as the page's import does: its config and
// weights, at step 0); a bad file is an std::invalid_argument naming the path and the problem.
void load_toy(ToySession& session, const std::string& file);
// The folder of --save DIR, if given.
std::optional<std::string> take_toy_save(Args& a);
// Writes DIR/toy_model.safetensors and returns that path.
std::string save_toy(const ToyModel& model, const std::string& dir);

extern const char* const kToyIoHelp;

}  // namespace superpose::cli
