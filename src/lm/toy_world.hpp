// The toy world language: a generated corpus of short lower-case sentences about a small world
// whose facts are known, so a language model trained on it can be checked against them and the
// features an SAE finds in it can be matched to ground truth (issues 15 and 16).
//
// The facts (one fixed table in toy_world.cpp; the seed draws sentences, never facts):
//   18 cities, each always hot, always cold, or seasonal (hot in summer, cold in winter):
//     hot:      california egypt dubai mexico india brazil
//     cold:     alaska siberia greenland iceland antarctica oslo
//     seasonal: chicago beijing toronto moscow berlin seoul
//   2 seasons (summer, winter); clothing by temperature: cold → coat | scarf, hot → hat | shirt;
//   6 animals and what each eats; 6 names × 4 objects, each with its colour; number words
//   one … nine.
// The sentence families, drawn independently in these shares (of sentences), each ending in ".":
//   weather  34%  the weather in C is T .         (C always hot or always cold)
//                 in S the weather in C is T .
//                 in C it is T in S .
//                 the weather in C is T in S .
//   travel   16%  in S N went to C and wore a K .  (K fits the temperature of C in S)
//                 N went to C in S and wore a K .
//   animals  10%  the A eats F .  /  a A eats F .
//   colours  12%  N has a X O .  /  the O of N is X .
//   counting 10%  consecutive number words, e.g. "three four five six ."  (3 to 9 words)
//   repeat   18%  a random span of 3–8 content words, then the same span again, then "."
//                 (what an induction head copies)
// 75 words. By default 300,000 train tokens and 30,000 held-out tokens (another Rng stream).
//
// Ground-truth labels of every token (bits of Corpus::train_labels; names as below):
//   city, hot_city, cold_city, seasonal_city, season, temperature (the word hot or cold),
//   clothing, name, animal, food, colour, object, number (a number word), sentence_end (".")
//       — what the token itself is, wherever it appears (also inside a repeated span);
//   counting       a number word of a counting sentence;
//   repeat_first   a token of the first copy of a repeated span;
//   repeat_second  a token of the second copy (predictable by copying the first);
//   predicts_hot   "the temperature being predicted is hot": the NEXT token is "hot" and the words
//                  so far fix it (the token also carries implied_hot), e.g. "is" in "the weather
//                  in california is", "is" in "in oslo it is"; not the "is" of "the weather in
//                  chicago is | hot in summer", where no prefix can tell;
//   predicts_cold  likewise for "cold" (issue 16's "the temperature being predicted is cold");
//   implied_hot    in a weather or travel sentence whose temperature is hot, every token from
//                  the first one at which the words so far determine that temperature (the city
//                  for an always-hot or always-cold city; the later of city and season for a
//                  seasonal one) to the sentence's "." inclusive;
//   implied_cold   likewise for cold.
// So predicts_X = (next token X) ∧ implied_X: in "the weather in chicago is cold in winter ." the
// "is" carries neither predicts_cold nor implied_cold; in "in winter the weather in chicago is
// cold ." it carries both.
//
// What it is not: natural language (no grammar beyond the templates), a source of facts that
// change with the seed, a tokenizer (lm/tokenizer.hpp) or the corpus interface (lm/corpus.hpp).
// Reference: the seed's steering example (GPT-2, "The weather in California is" → hot); the
// temperature probe and vocabulary size follow issue 15's PyTorch reference run.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "lm/corpus.hpp"
#include "lm/tokenizer.hpp"

namespace superpose {

struct ToyWorldConfig {
  int64_t data_seed = 0;        // draws the sentences (train: Rng stream 1, held-out: stream 2)
  int train_tokens = 300000;    // the train stream: whole sentences, the first ≥ this many tokens
  int heldout_tokens = 30000;   // the held-out stream, likewise

  template <class C, class V> static void fields(C& c, V& v) {
    v(c.data_seed, Field("data_seed", "seed of the toy world's sentences (the facts are fixed)")
                       .flag("data-seed", "SEED").range(0, kMaxSeed));
    v(c.train_tokens, Field("train_tokens", "tokens of toy world text to train on")
                          .flag("train-tokens", "N").range(1000, 4000000).unit("tokens"));
    v(c.heldout_tokens, Field("heldout_tokens", "tokens of held-out toy world text (eval loss)")
                            .flag("heldout-tokens", "N").range(1000, 1000000).unit("tokens"));
  }
  void validate() const { check_fields(*this); }
};

enum class Climate { hot, cold, seasonal };

struct ToyCity {
  const char* name;
  Climate climate;
};

// The 18 cities in table order (hot, cold, seasonal; six each).
const std::vector<ToyCity>& toy_cities();
// The temperature word ("hot" or "cold") of a city in a season ("summer" or "winter").
// Throws std::invalid_argument naming an unknown city or season.
std::string toy_temperature(const std::string& city, const std::string& season);
// What an animal eats; the colour of a name's object. Throw std::invalid_argument if unknown.
std::string toy_food(const std::string& animal);
std::string toy_colour(const std::string& name, const std::string& object);
// The clothing words worn at a temperature ("hot" → hat, shirt; "cold" → coat, scarf).
std::vector<std::string> toy_clothing(const std::string& temperature);

// The 75 words, id = position.
const std::vector<std::string>& toy_vocabulary();
Tokenizer toy_tokenizer();

// The label indices of the toy world (bit k of a token's labels), in the order of toy_labels().
namespace toy_label {
enum : int {
  city, hot_city, cold_city, seasonal_city, season, temperature, clothing, name, animal, food,
  colour, object, number, sentence_end, counting, repeat_first, repeat_second, predicts_hot,
  predicts_cold, implied_hot, implied_cold, count
};
}
const std::vector<TokenLabel>& toy_labels();

// The sentence families, in the order of ToyWorldStats' arrays.
enum class ToyFamily { weather, travel, animals, colours, counting, repeat };
constexpr int kToyFamilies = 6;
const char* toy_family_name(ToyFamily f);

struct ToyWorldStats {
  std::array<int64_t, kToyFamilies> train_sentences{};  // per family, in the train stream
  std::array<int64_t, kToyFamilies> train_tokens{};     // tokens of those sentences
  std::array<int64_t, kToyFamilies> heldout_sentences{};
};

// The corpus of a config: toy_tokenizer(), train and held-out streams, toy_labels() for every
// token. Deterministic in config (the same ids and labels on every platform). Validates config.
Corpus make_toy_world(const ToyWorldConfig& config, ToyWorldStats* stats = nullptr);

// The generator's entropy: sentences are drawn independently, and each sentence's words are
// recoverable from its choices (family, template, city, season, ...), so its entropy is the sum
// of the logs of those choices. nats_per_token is the floor of the mean next-token
// cross-entropy for a model that sees every earlier token of the stream (a context-T window
// starts mid-sentence, so the reachable loss at T = 24 is a little higher): 1.072 nats.
struct ToyEntropy {
  double nats_per_sentence;   // 9.244
  double tokens_per_sentence; // 8.621, "." included
  double nats_per_token;      // their ratio, 1.072
};
ToyEntropy toy_entropy();

// One prompt of a probe and the next word the world's facts call for.
struct ToyProbe {
  std::string prompt;    // "in winter the weather in oslo is"
  std::string expected;  // "cold"
  std::string city, season;  // season empty when the prompt names none
};
// The temperature probe: "in S the weather in C is" → toy_temperature(C, S) for every city ×
// {winter, summer}, 36 prompts in city-table order, winter first.
std::vector<ToyProbe> temperature_probe();
// The seed's prompt: "the weather in california is" → "hot".
ToyProbe california_probe();

}  // namespace superpose
