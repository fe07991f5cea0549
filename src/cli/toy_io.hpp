// `superpose toy --save DIR / --load FILE` (issue 7): the toy model as a safetensors file
// (toy/toy_export.hpp). --load takes the model and its config from the file, so it refuses the
// toy flags alongside it; --save writes DIR/toy_model.safetensors (creating DIR).
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "toy/toy_model.hpp"

namespace superpose::cli {

// The model of --load FILE (nullptr without --load). A toy flag given alongside is a UsageError;
// a bad file an std::invalid_argument naming the path and the problem (exit 2 either way).
std::unique_ptr<ToyModel> take_toy_load(Args& a);
// The folder of --save DIR, if given.
std::optional<std::string> take_toy_save(Args& a);
// Writes DIR/toy_model.safetensors and returns that path.
std::string save_toy(const ToyModel& model, const std::string& dir);

extern const char* const kToyIoHelp;

}  // namespace superpose::cli
