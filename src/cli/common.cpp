#include <chrono>
#include <cmath>
#include <cstdio>
#include <unistd.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "session/session.hpp"

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

Json number_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

std::string number_text(const Json& v, const char* format, const char* null_text) {
  if (v.is_null()) return null_text;
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v.get<double>());
  return buf;
}

double run_session(Session& session, int64_t chunk, bool progress) {
  const RunProgress start = session.progress();
  Progress line(start.total_steps, progress);
  const double t0 = now_seconds();
  for (bool done = start.done; !done;) {
    const Json answer = session.step(chunk);
    line.update(answer.at("step").get<long long>(), answer.at("loss_total").get<double>());
    done = answer.at("done").get<bool>();
  }
  const double seconds = now_seconds() - t0;
  line.finish();
  return seconds;
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
