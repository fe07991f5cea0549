#include <chrono>
#include <cstdio>
#include <unistd.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"

namespace superpose::cli {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void rethrow_as_usage(const std::invalid_argument& e,
                      const std::vector<std::pair<std::string, std::string>>& flag_of_field) {
  const std::string message = e.what();
  std::size_t best = 0;
  std::string flag;
  for (const auto& [field, f] : flag_of_field)
    if (message.rfind(field + " ", 0) == 0 && field.size() > best) {
      best = field.size();
      flag = f;
    }
  throw UsageError(flag.empty() ? message : "--" + flag + ": " + message);
}

Progress::Progress(long long total_steps, bool enabled)
    : total_(total_steps), enabled_(enabled), start_(now_seconds()), last_(start_) {}

void Progress::update(long long step, double loss) {
  if (!enabled_) return;
  const double t = now_seconds();
  if (t - start_ < 1.0 || t - last_ < 0.5) return;
  last_ = t;
  const bool tty = isatty(STDERR_FILENO);
  std::fprintf(stderr, "%sstep %lld/%lld  loss %.5g  %.0f steps/s%s", tty ? "\r" : "", step, total_,
               loss, step / (t - start_), tty ? "   " : "\n");
  std::fflush(stderr);
  shown_ = true;
}

void Progress::finish() {
  if (shown_ && isatty(STDERR_FILENO)) std::fprintf(stderr, "\r%60s\r", "");
}

}  // namespace superpose::cli
