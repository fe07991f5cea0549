#include "cli/toy_io.hpp"

#include <filesystem>
#include <stdexcept>

#include "cli/toy_flags.hpp"
#include "toy/toy_export.hpp"

namespace superpose::cli {

const char* const kToyIoHelp =
    "  --save DIR                write the trained model to DIR/toy_model.safetensors\n"
    "  --load FILE               reload a saved model instead of training (no toy flags)\n";

std::optional<std::string> take_toy_load(Args& a) {
  const auto file = a.take("load");
  if (!file) return file;
  for (const auto& [field, flag] : toy_flag_of_field())
    if (a.take(flag))
      throw UsageError("--" + flag + " cannot be combined with --load (the file holds the model's config)");
  if (file->empty()) throw UsageError("--load needs a file");
  return file;
}

void load_toy(ToySession& session, const std::string& file) {
  try {
    session.import_safetensors(read_file_bytes(file));
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    throw std::invalid_argument(what.rfind(file, 0) == 0 ? what : file + ": " + what);
  }
}

std::optional<std::string> take_toy_save(Args& a) {
  auto dir = a.take("save");
  if (dir && dir->empty()) throw UsageError("--save needs a folder");
  return dir;
}

std::string save_toy(const ToyModel& model, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
  const std::string path = (std::filesystem::path(dir) / "toy_model.safetensors").string();
  save_safetensors(path, export_toy(model));
  return path;
}

}  // namespace superpose::cli
