// The language model's two tokenizers: text ⇄ token ids (int32 in [0, vocab_size)).
//  - word: a fixed vocabulary of words (the toy world's, lm/toy_world.hpp). encode() lower-cases
//    ASCII, splits on ASCII whitespace and reads a "." glued to the end of a word as its own
//    token ("is hot." → is hot .); a word outside the vocabulary is refused by name.
//    decode() joins words with one space, so decode(encode(s)) == s for every corpus sentence.
//  - byte: the 256 byte values, for any text file (lm/text_corpus.hpp). Byte-level rather than
//    character-level because the vocabulary is then fixed (no table to save beside a model, any
//    prompt is encodable, a file of CJK text cannot blow the vocabulary up) and decode(encode(s))
//    == s for every byte string, UTF-8 or not. The price is a 256-wide unembedding where an
//    English file would need ~100 characters.
// What it is not: BPE or any learned merge (GPT-2's tokenizer); a normaliser (no Unicode case
// folding, no NFC); a corpus (lm/corpus.hpp holds the streams).
// Reference: Radford et al. 2019 (GPT-2), §2.2 on byte-level input; karpathy/llm.c's
// tokenizer (id → piece table, decode by concatenation).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace superpose {

enum class TokenizerKind { word, byte };

class Tokenizer {
 public:
  // A word tokenizer over `words` (ids are their positions). `name` says whose vocabulary it is
  // in error messages ("the toy world"). Throws std::invalid_argument on an empty vocabulary,
  // an empty or duplicate word, or a word containing whitespace or upper case.
  static Tokenizer words(std::vector<std::string> words, std::string name);
  // The byte tokenizer: id b is the byte b, vocabulary 256.
  static Tokenizer bytes();

  TokenizerKind kind() const { return kind_; }
  const char* kind_name() const { return kind_ == TokenizerKind::word ? "word" : "byte"; }
  int vocab_size() const { return static_cast<int>(pieces_.size()); }
  // The text of one token: the word, or the one byte.
  const std::string& piece(int32_t id) const;
  // The token as a label can show it, always valid UTF-8: the word itself; for a byte, printable
  // ASCII as it is, "␣" for space, "\n" "\t" "\r" escaped, anything else "<0xHH>".
  std::string display(int32_t id) const;
  // The id of a word (word tokenizer) or of a one-byte string (byte); -1 when there is none.
  int32_t id_of(std::string_view piece) const;
  // The vocabulary's word a typo of `word` most likely meant: the closest by edit distance if
  // one edit away (a word of 3 to 5 letters) or two (a longer one), else "" (and "" for a byte
  // tokenizer).
  std::string closest_word(const std::string& word) const;

  // Text → ids. Word: throws std::invalid_argument `unknown word "paris" (word 5): not in the
  // 75-word vocabulary of the toy world`, ending `(did you mean "california"?)` for a word one or
  // two edits from one of the vocabulary's (closest_word). Byte: never throws. Empty text → no ids.
  std::vector<int32_t> encode(std::string_view text) const;
  // Ids → text: words joined by single spaces, bytes concatenated as they are (a byte model's
  // sample may be invalid UTF-8: to_valid_utf8 in lm/utf8.hpp before putting it in JSON).
  // Throws std::invalid_argument for an id outside [0, vocab_size).
  std::string decode(const int32_t* ids, std::size_t n) const;
  std::string decode(const std::vector<int32_t>& ids) const { return decode(ids.data(), ids.size()); }

 private:
  Tokenizer() = default;
  void check_id(int32_t id) const;

  TokenizerKind kind_ = TokenizerKind::byte;
  std::string name_;                                  // whose vocabulary, for messages
  std::vector<std::string> pieces_;                   // (vocab_size,) id → text
  std::unordered_map<std::string, int32_t> index_;    // text → id (word tokenizer)
};

}  // namespace superpose
