// libFuzzer target: a user's text file as a language-model corpus (src/lm/text_corpus.hpp) and
// the same bytes as a prompt for the toy world's word tokenizer (src/lm/tokenizer.hpp).
// The first byte picks the context (1..128), the rest is the file.
// Contract checked: a refused file is a std::invalid_argument whose message starts with
// `text file "fuzz"` (or names context), never another exception, a crash or UB; an accepted
// file splits into train + held-out that decode back to the file's bytes, the held-out part
// holds a window, and a batch of windows can be drawn from both; the word tokenizer either
// encodes (and its decode encodes to the same ids) or refuses an unknown word in valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.hpp"
#include "lm/text_corpus.hpp"
#include "lm/tokenizer.hpp"
#include "lm/utf8.hpp"

namespace {
[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_text_corpus: %s: %s\n", what, detail.c_str());
  std::abort();
}

const superpose::Tokenizer& words() {
  // A small vocabulary is enough: the tokenizer's code does not depend on which words.
  static const superpose::Tokenizer t =
      superpose::Tokenizer::words({"the", "weather", "in", "is", "hot", "cold", "."}, "the fuzz vocabulary");
  return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace superpose;
  if (size == 0) return 0;
  const int context = 1 + data[0] % 128;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const Corpus c = make_text_corpus(bytes, context, "fuzz");
    c.check();
    if (c.decode(c.train) + c.decode(c.heldout) != bytes) finding("split", "train + held-out != the file");
    if (int64_t(c.heldout.size()) < context + 1) finding("split", "held-out shorter than one window");
    Rng rng(size);
    std::vector<int32_t> x(std::size_t(2 * context)), y(x.size());
    c.sample_batch(rng, 2, context, x.data(), y.data(), Split::train);
    c.sample_batch(rng, 2, context, x.data(), y.data(), Split::heldout);
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).rfind("text file \"fuzz\" ", 0) != 0) finding("make_text_corpus", e.what());
  } catch (const std::exception& e) {
    finding("make_text_corpus", e.what());
  }
  try {
    const std::vector<int32_t> ids = words().encode(bytes);
    if (words().encode(words().decode(ids)) != ids) finding("word tokenizer", "decode does not encode back");
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    if (m.rfind("unknown word \"", 0) != 0) finding("word tokenizer", m);
    if (count_invalid_utf8(m) != 0) finding("word tokenizer", "the message is not valid UTF-8");
  } catch (const std::exception& e) {
    finding("word tokenizer", e.what());
  }
  return 0;
}
