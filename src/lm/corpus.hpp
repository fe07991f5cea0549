// What every data source gives the language model: a tokenizer (vocabulary: id → text piece,
// and how pieces join into text), a train token stream and a held-out token stream (int32 ids
// in [0, vocab_size)), per-token ground-truth labels where the source knows them (the toy world;
// none for a text file), and random training windows drawn from either stream.
//   window:  x = tokens[i, i+T),  y = tokens[i+1, i+T+1)   (y is x shifted by one: next tokens)
// Legend: T = context (tokens per window), B = batch (windows per batch), N = stream length.
// What it is not: a data loader with epochs or shuffling state (windows are drawn independently,
// uniformly over every start i ∈ [0, N − T − 1], from the caller's Rng, so a seed fixes the
// batches); the sources themselves (lm/toy_world.hpp, lm/text_corpus.hpp).
// Reference: karpathy/llm.c's DataLoader (x and y as one shifted buffer, B × T int32).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.hpp"
#include "lm/tokenizer.hpp"

namespace superpose {

enum class Split { train, heldout };

// One named binary ground-truth label of a token (lm/toy_world.hpp lists the toy world's).
struct TokenLabel {
  std::string name;         // snake_case key, e.g. "predicts_cold"
  std::string description;  // one line, what holds at a token carrying it
};

// At most this many labels: a token's labels are the bits of one uint32.
constexpr int kMaxTokenLabels = 32;

struct Corpus {
  std::string source;                 // "toy world (seed 0)", or the text file's name
  Tokenizer tokenizer = Tokenizer::bytes();
  std::vector<int32_t> train;         // (N_train,) token ids
  std::vector<int32_t> heldout;       // (N_heldout,) token ids, never trained on
  std::vector<TokenLabel> labels;     // (n_labels,) ≤ kMaxTokenLabels; empty: no ground truth
  std::vector<uint32_t> train_labels;    // (N_train,) bit k ⇔ labels[k] holds at that token; empty without labels
  std::vector<uint32_t> heldout_labels;  // (N_heldout,) likewise

  int vocab_size() const { return tokenizer.vocab_size(); }
  const std::vector<int32_t>& tokens(Split s) const { return s == Split::train ? train : heldout; }
  // (N,) bitmasks of the split; empty when the source has no labels.
  const std::vector<uint32_t>& label_bits(Split s) const {
    return s == Split::train ? train_labels : heldout_labels;
  }
  bool has_labels() const { return !labels.empty(); }
  // The index of a label by name, -1 when there is none.
  int label_index(std::string_view name) const;
  // Whether label k holds at token `position` of the split (false without labels).
  bool has_label(Split s, std::size_t position, int k) const;
  // How many tokens of the split carry label k.
  int64_t label_count(Split s, int k) const;

  std::vector<int32_t> encode(std::string_view text) const { return tokenizer.encode(text); }
  std::string decode(const std::vector<int32_t>& ids) const { return tokenizer.decode(ids); }

  // B windows of T tokens from the split, each start i uniform in [0, N − T − 1]:
  //   x: (B, T) row-major, x[b·T + t] = tokens[i_b + t]
  //   y: (B, T) row-major, y[b·T + t] = tokens[i_b + t + 1]
  //   starts: (B,) the i_b, when not null (to look up labels of a window).
  // Deterministic given the Rng's state; draws exactly B values from it. Throws
  // std::invalid_argument when batch < 1, context < 1, or the split has fewer than T + 1 tokens.
  void sample_batch(Rng& rng, int batch, int context, int32_t* x, int32_t* y,
                    Split split = Split::train, int64_t* starts = nullptr) const;

  // Internal consistency: every id in [0, vocab_size), label arrays as long as their streams
  // (or both empty), at most kMaxTokenLabels labels, no bit above the last label. Throws
  // std::logic_error naming what is wrong (the sources call it before handing a corpus out).
  void check() const;
};

}  // namespace superpose
