#include "lm/tokenizer.hpp"

#include <algorithm>
#include <stdexcept>

#include "lm/utf8.hpp"

namespace superpose {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Levenshtein distance (insertions, deletions, substitutions of bytes), for typo suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string Tokenizer::closest_word(const std::string& w) const {
  // A typo: one edit in a word of up to 5 letters, two in a longer one, none in a word of 1 or 2
  // (so a different short word is not offered as if it were meant); the vocabulary's first
  // among equals.
  if (kind_ != TokenizerKind::word || w.size() > 64) return "";
  const std::size_t limit = w.size() <= 2 ? 0 : w.size() <= 5 ? 1 : 2;
  if (limit == 0) return "";
  std::size_t best = limit + 1;
  std::string found;
  for (const std::string& p : pieces_) {
    if (p.size() + limit < w.size() || w.size() + limit < p.size()) continue;
    const std::size_t d = edit_distance(w, p);
    if (d < best) {
      best = d;
      found = p;
    }
  }
  return found;
}

Tokenizer Tokenizer::words(std::vector<std::string> words, std::string name) {
  if (words.empty()) throw std::invalid_argument("the vocabulary of " + name + " is empty");
  Tokenizer t;
  t.kind_ = TokenizerKind::word;
  t.name_ = std::move(name);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.empty()) throw std::invalid_argument("word " + std::to_string(i) + " of the vocabulary is empty");
    for (char c : w)
      if (is_space(c) || lower(c) != c)
        throw std::invalid_argument("vocabulary word \"" + w + "\" has whitespace or upper case");
    if (!t.index_.emplace(w, static_cast<int32_t>(i)).second)
      throw std::invalid_argument("vocabulary word \"" + w + "\" appears twice");
  }
  t.pieces_ = std::move(words);
  return t;
}

Tokenizer Tokenizer::bytes() {
  Tokenizer t;
  t.kind_ = TokenizerKind::byte;
  t.name_ = "bytes";
  t.pieces_.reserve(256);
  for (int b = 0; b < 256; ++b) t.pieces_.emplace_back(1, static_cast<char>(b));
  return t;
}

void Tokenizer::check_id(int32_t id) const {
  if (id < 0 || id >= vocab_size())
    throw std::invalid_argument("token id " + std::to_string(id) + " is outside [0, " +
                                std::to_string(vocab_size()) + ")");
}

const std::string& Tokenizer::piece(int32_t id) const {
  check_id(id);
  return pieces_[static_cast<std::size_t>(id)];
}

std::string Tokenizer::display(int32_t id) const {
  const std::string& p = piece(id);
  if (kind_ == TokenizerKind::word) return p;
  const auto b = static_cast<unsigned char>(p[0]);
  if (b == ' ') return "\u2423";  // ␣
  if (b == '\n') return "\\n";
  if (b == '\t') return "\\t";
  if (b == '\r') return "\\r";
  if (b > 0x20 && b < 0x7F) return p;
  static const char hex[] = "0123456789ABCDEF";
  return std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
}

int32_t Tokenizer::id_of(std::string_view piece) const {
  if (kind_ == TokenizerKind::byte)
    return piece.size() == 1 ? static_cast<int32_t>(static_cast<unsigned char>(piece[0])) : -1;
  const auto it = index_.find(std::string(piece));
  return it == index_.end() ? -1 : it->second;
}

std::vector<int32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  if (kind_ == TokenizerKind::byte) {
    ids.reserve(text.size());
    for (char c : text) ids.push_back(static_cast<int32_t>(static_cast<unsigned char>(c)));
    return ids;
  }
  int word_number = 0;
  const auto push = [&](const std::string& w) {
    ++word_number;
    const int32_t id = id_of(w);
    if (id < 0) {
      const std::string shown = to_valid_utf8(w.size() > 40 ? w.substr(0, 40) + "..." : w);
      const std::string near = closest_word(w);
      throw std::invalid_argument("unknown word \"" + shown + "\" (word " + std::to_string(word_number) +
                                  "): not in the " + std::to_string(vocab_size()) +
                                  "-word vocabulary of " + name_ +
                                  (near.empty() ? "" : " (did you mean \"" + near + "\"?)"));
    }
    ids.push_back(id);
  };
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    std::string w;
    while (i < text.size() && !is_space(text[i])) w += lower(text[i++]);
    if (w.empty()) break;
    if (w.size() > 1 && w.back() == '.' && id_of(w) < 0) {  // "hot." → hot .
      w.pop_back();
      push(w);
      push(".");
    } else {
      push(w);
    }
  }
  return ids;
}

std::string Tokenizer::decode(const int32_t* ids, std::size_t n) const {
  std::string text;
  for (std::size_t k = 0; k < n; ++k) {
    const std::string& p = piece(ids[k]);
    if (kind_ == TokenizerKind::word && k > 0) text += ' ';
    text += p;
  }
  return text;
}

}  // namespace superpose
