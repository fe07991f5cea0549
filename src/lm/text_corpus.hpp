// Any text file the user gives (its bytes, as the page's file drop or the CLI read them) as a
// language-model corpus: byte tokens (lm/tokenizer.hpp, vocabulary 256), the first 90% of the
// bytes to train on and the last 10% held out (one contiguous tail, so no training window
// overlaps a held-out one; a file whose style drifts is evaluated on its end).
// Refused with std::invalid_argument, each by name, never a crash:
//   empty     `text file "notes.txt" is empty`
//   too big   more than kTextMaxBytes (16 MiB)
//   binary    a NUL byte anywhere, or more than 10% of the bytes not text: outside well-formed
//             UTF-8 or a control character other than tab, newline, carriage return, form feed,
//             vertical tab and escape (Latin-1 prose, ~3% non-UTF-8 bytes, still passes)
//   too short fewer than 10·(context + 1) bytes: the held-out tenth must hold one window
//             of context + 1 tokens
// What it is not: a tokenizer (the bytes are the tokens), a file reader (the front ends read
// files), a text cleaner (CRLF, BOM and all other bytes are kept as they are).
// Reference: git's binary heuristic (a NUL byte in the first 8000 bytes, xdiff-interface.c
// buffer_is_binary), here over the whole file plus the share of non-text bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "lm/corpus.hpp"

namespace superpose {

constexpr int64_t kTextMaxBytes = int64_t(16) * 1024 * 1024;  // 16 MiB
constexpr double kTextMaxNonTextShare = 0.10;                 // binary above this share
constexpr int kTextHeldoutDivisor = 10;                       // held out: the last N / 10 bytes

// The fewest bytes a file needs for `context`: 10 · (context + 1).
int64_t text_min_bytes(int context);

// How many bytes of `bytes` are not text (invalid UTF-8, or a control byte other than
// \t \n \v \f \r and ESC).
std::size_t count_non_text_bytes(std::string_view bytes);

// The corpus of a text file: `name` is how messages and Corpus::source call it (the file name).
// Throws std::invalid_argument for the refusals above, and for context < 1.
Corpus make_text_corpus(std::string_view bytes, int context, const std::string& name = "text");

}  // namespace superpose
