#include "lm/text_corpus.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "lm/utf8.hpp"

namespace superpose {

namespace {
bool is_control(unsigned char b) {
  if (b == 0x7F) return true;
  if (b >= 0x20) return false;
  return !(b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r' || b == 0x1B);
}

std::string quoted(const std::string& name) { return "\"" + to_valid_utf8(name) + "\""; }

std::string mib(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
  return buf;
}
}  // namespace

int64_t text_min_bytes(int context) { return int64_t(kTextHeldoutDivisor) * (int64_t(context) + 1); }

std::size_t count_non_text_bytes(std::string_view bytes) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80) {  // ASCII, the common case, without the call
      n += is_control(b);
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(bytes, i);
    if (len == 0) {
      ++n;
      ++i;
    } else {
      i += len;
    }
  }
  return n;
}

Corpus make_text_corpus(std::string_view bytes, int context, const std::string& name) {
  if (context < 1) throw std::invalid_argument("context must be ≥ 1 (got " + std::to_string(context) + ")");
  const std::string file = "text file " + quoted(name);
  const auto size = static_cast<int64_t>(bytes.size());
  if (size == 0) throw std::invalid_argument(file + " is empty");
  if (size > kTextMaxBytes)
    throw std::invalid_argument(file + " is too big: " + std::to_string(size) + " bytes (" + mib(size) +
                                "); the limit is 16 MiB (" + std::to_string(kTextMaxBytes) + " bytes)");
  const std::size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos)
    throw std::invalid_argument(file + " looks binary: it has a NUL byte (at byte " + std::to_string(nul) +
                                "); give a text file");
  const std::size_t non_text = count_non_text_bytes(bytes);
  if (double(non_text) > kTextMaxNonTextShare * double(size)) {
    const int percent = static_cast<int>(std::lround(100.0 * double(non_text) / double(size)));
    throw std::invalid_argument(file + " looks binary: " + std::to_string(percent) + "% of its " +
                                std::to_string(size) +
                                " bytes are not text (invalid UTF-8 or control bytes; at most 10% allowed)");
  }
  const int64_t needed = text_min_bytes(context);
  if (size < needed)
    throw std::invalid_argument(file + " is too short for context " + std::to_string(context) + ": " +
                                std::to_string(size) + " bytes, at least " + std::to_string(needed) +
                                " needed (10 · (context + 1): the held-out tenth must hold a window)");

  Corpus c;
  c.source = to_valid_utf8(name);
  c.tokenizer = Tokenizer::bytes();
  const std::size_t n_heldout = bytes.size() / kTextHeldoutDivisor;
  const std::size_t n_train = bytes.size() - n_heldout;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  c.train.assign(p, p + n_train);  // each byte b becomes the token id b
  c.heldout.assign(p + n_train, p + n_train + n_heldout);
  c.check();
  return c;
}

}  // namespace superpose
