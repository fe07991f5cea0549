// The language model's data (src/lm: corpus, toy_world, tokenizer, text_corpus, utf8):
//   - the toy world: vocabulary, facts, probes, determinism in the seed, and an independent
//     parser of the generated text that checks every sentence against the facts and every
//     token's ground-truth labels against what the sentence says;
//   - the tokenizers round-trip (word: corpus sentences; byte: all 256 values, UTF-8);
//   - text files: each refusal by name, the 90/10 split, and random bytes never crash;
//   - sample_batch: real windows (y = x shifted by one), deterministic, every start reachable.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "lm/corpus.hpp"
#include "lm/text_corpus.hpp"
#include "lm/tokenizer.hpp"
#include "lm/toy_world.hpp"
#include "lm/utf8.hpp"

namespace test_lm_data {

using namespace superpose;

namespace {

ToyWorldConfig small_world(int64_t seed = 0) {
  ToyWorldConfig c;
  c.data_seed = seed;
  c.train_tokens = 40000;
  c.heldout_tokens = 4000;
  return c;
}

// The default corpus, generated once for the cases that read it.
const Corpus& default_world() {
  static const Corpus c = make_toy_world(ToyWorldConfig{});
  return c;
}

template <class F> std::string error_of(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

bool in(const std::vector<std::string>& list, const std::string& w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// The word lists, written here again (not read from the generator) so the checks are independent.
const std::vector<std::string> kHot = {"california", "egypt", "dubai", "mexico", "india", "brazil"};
const std::vector<std::string> kCold = {"alaska", "siberia", "greenland", "iceland", "antarctica", "oslo"};
const std::vector<std::string> kSeasonal = {"chicago", "beijing", "toronto", "moscow", "berlin", "seoul"};
const std::vector<std::string> kAnimals = {"cat", "dog", "rabbit", "cow", "bird", "monkey"};
const std::vector<std::string> kFoods = {"fish", "meat", "carrots", "grass", "seeds", "bananas"};
const std::vector<std::string> kNames = {"anna", "bob", "maria", "tom", "lucy", "sam"};
const std::vector<std::string> kColours = {"red", "blue", "green", "yellow"};
const std::vector<std::string> kObjects = {"ball", "car", "book", "cup"};
const std::vector<std::string> kNumbers = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

bool is_city(const std::string& w) { return in(kHot, w) || in(kCold, w) || in(kSeasonal, w); }
std::string temperature_of(const std::string& city, const std::string& season) {
  if (in(kHot, city)) return "hot";
  if (in(kCold, city)) return "cold";
  return season == "summer" ? "hot" : "cold";
}

// A sentence of the stream: its words and where it starts.
struct Sentence {
  std::size_t begin;
  std::vector<std::string> w;  // without the "."
};

std::vector<Sentence> sentences_of(const Corpus& c, Split split) {
  std::vector<Sentence> out;
  const auto& ids = c.tokens(split);
  Sentence s{0, {}};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string& w = c.tokenizer.piece(ids[i]);
    if (w == ".") {
      out.push_back(s);
      s = Sentence{i + 1, {}};
    } else {
      s.w.push_back(w);
    }
  }
  CHECK(s.w.empty());  // the stream ends with a whole sentence
  return out;
}

// Matches words against a pattern of literal words and one-letter slots; fills `slots`.
bool match(const std::vector<std::string>& w, const std::string& pattern, std::map<char, std::string>& slots,
           std::map<char, std::size_t>& where) {
  std::vector<std::string> p;
  std::string cur;
  for (char ch : pattern + " ") {
    if (ch == ' ') {
      p.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (p.size() != w.size()) return false;
  slots.clear();
  where.clear();
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].size() == 1 && p[i][0] >= 'A' && p[i][0] <= 'Z') {
      slots[p[i][0]] = w[i];
      where[p[i][0]] = i;
    } else if (p[i] != w[i]) {
      return false;
    }
  }
  return true;
}

// What the independent parser found in a corpus.
struct Parsed {
  std::map<std::string, int> families;
  int weather_facts = 0, travel_facts = 0;
  std::set<std::string> weather_patterns;
};

// Checks every sentence of a split against the facts and every token's labels against the sentence.
Parsed check_split(const Corpus& c, Split split) {
  Parsed r;
  const auto& ids = c.tokens(split);
  const auto label = [&](std::size_t pos, int k) { return c.has_label(split, pos, k); };
  const std::vector<std::string> weather = {"the weather in C is T", "in S the weather in C is T",
                                            "in C it is T in S", "the weather in C is T in S"};
  const std::vector<std::string> travel = {"in S N went to C and wore a K", "N went to C in S and wore a K"};
  int bad = 0;
  for (const Sentence& s : sentences_of(c, split)) {
    std::map<char, std::string> v;
    std::map<char, std::size_t> at;
    std::string family;
    bool temperature_sentence = false;
    for (const auto& pat : weather)
      if (family.empty() && match(s.w, pat, v, at) && is_city(v['C'])) {
        family = "weather";
        r.weather_patterns.insert(pat);
        const bool has_season = v.count('S') > 0;
        if (!has_season && in(kSeasonal, v['C'])) ++bad;  // no season-free fact about a seasonal city
        if (has_season && v['S'] != "summer" && v['S'] != "winter") ++bad;
        if (v['T'] != temperature_of(v['C'], has_season ? v['S'] : "")) ++bad;
        ++r.weather_facts;
        temperature_sentence = true;
      }
    for (const auto& pat : travel)
      if (family.empty() && match(s.w, pat, v, at) && is_city(v['C']) && in(kNames, v['N'])) {
        family = "travel";
        const std::string t = temperature_of(v['C'], v['S']);
        const std::vector<std::string> fits = t == "hot" ? std::vector<std::string>{"hat", "shirt"}
                                                         : std::vector<std::string>{"coat", "scarf"};
        if (!in(fits, v['K'])) ++bad;
        v['T'] = t;
        ++r.travel_facts;
        temperature_sentence = true;
      }
    if (family.empty() && (match(s.w, "the A eats F", v, at) || match(s.w, "a A eats F", v, at))) {
      family = "animals";
      const auto a = std::find(kAnimals.begin(), kAnimals.end(), v['A']);
      if (a == kAnimals.end() || kFoods[std::size_t(a - kAnimals.begin())] != v['F']) ++bad;
    }
    if (family.empty() && (match(s.w, "N has a X O", v, at) || match(s.w, "the O of N is X", v, at))) {
      family = "colours";
      if (toy_colour(v['N'], v['O']) != v['X'] || !in(kColours, v['X'])) ++bad;
    }
    const auto number_of = [&](const std::string& w) {
      return int(std::find(kNumbers.begin(), kNumbers.end(), w) - kNumbers.begin()) + 1;  // 10: none
    };
    if (family.empty() && s.w.size() >= 3 && number_of(s.w[0]) <= 9) {
      bool consecutive = true;
      for (std::size_t i = 1; i < s.w.size(); ++i) consecutive = consecutive && number_of(s.w[i]) == number_of(s.w[0]) + int(i);
      if (consecutive) family = "counting";
    }
    const std::size_t half = s.w.size() / 2;
    if (family.empty() && s.w.size() % 2 == 0 && half >= 3 && half <= 8 &&
        std::equal(s.w.begin(), s.w.begin() + long(half), s.w.begin() + long(half))) {
      family = "repeat";
      for (const auto& w : s.w)
        if (!(in(kNames, w) || in(kAnimals, w) || in(kFoods, w) || in(kColours, w) || in(kObjects, w) || in(kNumbers, w)))
          ++bad;
    }
    if (family.empty()) {
      ++bad;
      std::string text;
      for (const auto& w : s.w) text += w + " ";
      FAIL_CHECK("a sentence of no family: " << text);
      continue;
    }
    ++r.families[family];

    // The labels of every token of the sentence, "." included.
    std::size_t fixed_at = s.w.size() + 1;
    if (temperature_sentence)
      fixed_at = in(kSeasonal, v['C']) ? std::max(at['C'], at['S']) : at['C'];
    for (std::size_t i = 0; i <= s.w.size(); ++i) {
      const std::size_t pos = s.begin + i;
      const std::string w = i < s.w.size() ? s.w[i] : ".";
      const bool second_copy = family == "repeat" && i >= half && i < s.w.size();
      const bool first_copy = family == "repeat" && i < half;
      const std::string next = pos + 1 < ids.size() ? c.tokenizer.piece(ids[pos + 1]) : "";
      const bool implied = temperature_sentence && i >= fixed_at;
      const bool ok =
          label(pos, toy_label::city) == is_city(w) && label(pos, toy_label::hot_city) == in(kHot, w) &&
          label(pos, toy_label::cold_city) == in(kCold, w) && label(pos, toy_label::seasonal_city) == in(kSeasonal, w) &&
          label(pos, toy_label::season) == (w == "summer" || w == "winter") &&
          label(pos, toy_label::temperature) == (w == "hot" || w == "cold") &&
          label(pos, toy_label::clothing) == (w == "hat" || w == "shirt" || w == "coat" || w == "scarf") &&
          label(pos, toy_label::name) == in(kNames, w) && label(pos, toy_label::animal) == in(kAnimals, w) &&
          label(pos, toy_label::food) == in(kFoods, w) && label(pos, toy_label::colour) == in(kColours, w) &&
          label(pos, toy_label::object) == in(kObjects, w) && label(pos, toy_label::number) == in(kNumbers, w) &&
          label(pos, toy_label::sentence_end) == (w == ".") &&
          label(pos, toy_label::counting) == (family == "counting" && w != ".") &&
          label(pos, toy_label::repeat_first) == first_copy && label(pos, toy_label::repeat_second) == second_copy &&
          label(pos, toy_label::predicts_hot) == (next == "hot" && implied && v['T'] == "hot") &&
          label(pos, toy_label::predicts_cold) == (next == "cold" && implied && v['T'] == "cold") &&
          label(pos, toy_label::implied_hot) == (implied && v['T'] == "hot") &&
          label(pos, toy_label::implied_cold) == (implied && v['T'] == "cold");
      if (!ok) {
        ++bad;
        if (bad < 5) FAIL_CHECK("labels at position " << pos << " (\"" << w << "\", " << family << ")");
      }
    }
  }
  CHECK(bad == 0);
  return r;
}

}  // namespace

TEST_CASE("lm data: the toy world's vocabulary, facts and labels table") {
  const auto& v = toy_vocabulary();
  CHECK(v.size() == 75);
  CHECK(std::set<std::string>(v.begin(), v.end()).size() == 75);
  const Tokenizer t = toy_tokenizer();
  CHECK(t.kind() == TokenizerKind::word);
  CHECK(t.vocab_size() == 75);
  for (std::size_t i = 0; i < v.size(); ++i) CHECK(t.id_of(v[i]) == int32_t(i));

  REQUIRE(toy_cities().size() == 18);
  std::map<Climate, int> per_climate;
  for (const auto& c : toy_cities()) ++per_climate[c.climate];
  CHECK(per_climate[Climate::hot] == 6);
  CHECK(per_climate[Climate::cold] == 6);
  CHECK(per_climate[Climate::seasonal] == 6);
  for (const auto& c : toy_cities()) {
    CHECK(t.id_of(c.name) >= 0);
    for (const char* s : {"summer", "winter"}) CHECK(toy_temperature(c.name, s) == temperature_of(c.name, s));
  }
  CHECK(toy_temperature("california", "winter") == "hot");
  CHECK(toy_temperature("oslo", "winter") == "cold");
  CHECK(toy_temperature("chicago", "summer") == "hot");
  CHECK(toy_temperature("chicago", "winter") == "cold");
  CHECK(error_of([] { toy_temperature("paris", "winter"); }) == "unknown city \"paris\"");
  CHECK(error_of([] { toy_temperature("oslo", "spring"); }) == "unknown season \"spring\"");
  CHECK(toy_food("cat") == "fish");
  CHECK(toy_colour("anna", "ball") == "red");
  CHECK(toy_clothing("cold") == std::vector<std::string>{"coat", "scarf"});

  // Every name × object has one colour, and the four objects of a name have four colours.
  for (const auto& n : kNames) {
    std::set<std::string> colours;
    for (const auto& o : kObjects) colours.insert(toy_colour(n, o));
    CHECK(colours.size() == 4);
  }

  const auto& labels = toy_labels();
  REQUIRE(labels.size() == std::size_t(toy_label::count));
  CHECK(labels.size() <= std::size_t(kMaxTokenLabels));
  CHECK(labels[toy_label::predicts_cold].name == "predicts_cold");
  CHECK(labels[toy_label::implied_hot].name == "implied_hot");
  CHECK(labels[toy_label::repeat_second].name == "repeat_second");
  std::set<std::string> names;
  for (const auto& l : labels) {
    names.insert(l.name);
    CHECK(!l.description.empty());
  }
  CHECK(names.size() == labels.size());
}

TEST_CASE("lm data: the temperature probe is every city × {winter, summer}, encodable, answered by the facts") {
  const auto probe = temperature_probe();
  REQUIRE(probe.size() == 36);
  const Tokenizer t = toy_tokenizer();
  std::set<std::string> prompts;
  int hot = 0;
  for (const auto& p : probe) {
    prompts.insert(p.prompt);
    CHECK(p.prompt == "in " + p.season + " the weather in " + p.city + " is");
    CHECK(p.expected == temperature_of(p.city, p.season));
    const auto ids = t.encode(p.prompt);
    CHECK(ids.size() == 7);
    CHECK(t.decode(ids) == p.prompt);
    CHECK(t.id_of(p.expected) >= 0);
    hot += p.expected == "hot";
  }
  CHECK(prompts.size() == 36);
  CHECK(hot == 18);  // 6 hot × 2 + 6 seasonal × summer
  CHECK(probe[0].prompt == "in winter the weather in california is");
  const auto oslo = std::find_if(probe.begin(), probe.end(), [](const ToyProbe& p) {
    return p.prompt == "in winter the weather in oslo is";
  });
  REQUIRE(oslo != probe.end());
  CHECK(oslo->expected == "cold");

  const ToyProbe c = california_probe();
  CHECK(c.prompt == "the weather in california is");
  CHECK(c.expected == "hot");
  CHECK(t.encode(c.prompt).size() == 5);

  // The prompts occur in the corpus, followed by their answer only.
  const Corpus& world = default_world();
  const auto& ids = world.train;
  for (const ToyProbe& p : {probe[0], *oslo, c}) {
    const auto pid = t.encode(p.prompt);
    std::map<std::string, int> next;
    for (auto it = std::search(ids.begin(), ids.end(), pid.begin(), pid.end()); it != ids.end();
         it = std::search(it + 1, ids.end(), pid.begin(), pid.end()))
      if (it + long(pid.size()) != ids.end()) ++next[t.piece(*(it + long(pid.size())))];
    CHECK(next.size() == 1);
    CHECK(next[p.expected] > 50);
  }
}

TEST_CASE("lm data: the toy world is deterministic in its seed") {
  const Corpus a = make_toy_world(small_world(0));
  const Corpus b = make_toy_world(small_world(0));
  const Corpus other = make_toy_world(small_world(1));
  CHECK(a.train == b.train);
  CHECK(a.heldout == b.heldout);
  CHECK(a.train_labels == b.train_labels);
  CHECK(a.heldout_labels == b.heldout_labels);
  CHECK(a.train != other.train);
  CHECK(a.heldout != other.heldout);
  // The held-out stream is other text, not a slice of the train stream.
  CHECK(std::search(a.train.begin(), a.train.end(), a.heldout.begin(), a.heldout.begin() + 200) == a.train.end());
  // Golden: the first words of seed 0 and a hash of both streams, the same natively and in wasm
  // (they change when the generator does: update them with care, never to make a platform pass).
  const std::vector<int32_t> head(a.train.begin(), a.train.begin() + 12);
  CHECK(a.tokenizer.decode(head) == "in winter the weather in siberia is cold . anna went to");
  const auto fnv1a = [](const std::vector<int32_t>& ids) {
    uint64_t h = 1469598103934665603ull;
    for (int32_t id : ids) h = (h ^ uint64_t(uint32_t(id))) * 1099511628211ull;
    return h;
  };
  CHECK(fnv1a(a.train) == 14401902707541919566ull);
  CHECK(fnv1a(a.heldout) == 3782042962928760646ull);
  CHECK(a.source == "toy world (data_seed 0)");

  CHECK(error_of([] {
          ToyWorldConfig c;
          c.train_tokens = 10;
          make_toy_world(c);
        }) == "train_tokens must be in [1000, 4000000] (got 10)");
  CHECK(error_of([] {
          ToyWorldConfig c;
          c.heldout_tokens = 2000000;
          make_toy_world(c);
        }) == "heldout_tokens must be in [1000, 1000000] (got 2000000)");
  CHECK(error_of([] {
          ToyWorldConfig c;
          c.data_seed = -1;
          make_toy_world(c);
        }).rfind("data_seed must be in [0, ", 0) == 0);
}

TEST_CASE("lm data: the default toy world: sizes, every word used, family shares") {
  ToyWorldStats stats;
  const Corpus c = make_toy_world(ToyWorldConfig{}, &stats);
  CHECK(c.vocab_size() == 75);
  CHECK(c.train.size() >= 300000);
  CHECK(c.train.size() < 300000 + 17);  // whole sentences: at most one over, ≤ 17 tokens
  CHECK(c.heldout.size() >= 30000);
  CHECK(c.heldout.size() < 30000 + 17);
  CHECK(c.train.back() == c.tokenizer.id_of("."));
  CHECK(c.heldout.back() == c.tokenizer.id_of("."));
  std::set<int32_t> used(c.train.begin(), c.train.end());
  CHECK(used.size() == 75);

  int64_t sentences = 0, tokens = 0;
  for (int f = 0; f < kToyFamilies; ++f) {
    sentences += stats.train_sentences[std::size_t(f)];
    tokens += stats.train_tokens[std::size_t(f)];
  }
  CHECK(tokens == int64_t(c.train.size()));
  CHECK(sentences == std::count(c.train.begin(), c.train.end(), c.tokenizer.id_of(".")));
  const double expected[kToyFamilies] = {0.34, 0.16, 0.10, 0.12, 0.10, 0.18};
  for (int f = 0; f < kToyFamilies; ++f) {
    INFO(toy_family_name(ToyFamily(f)) << ": " << stats.train_sentences[std::size_t(f)] << " of " << sentences);
    const double share = double(stats.train_sentences[std::size_t(f)]) / double(sentences);
    CHECK(share == doctest::Approx(expected[f]).epsilon(0.05));
    CHECK(stats.heldout_sentences[std::size_t(f)] > 0);
  }
}

TEST_CASE("lm data: every toy world sentence states the facts, and every token's labels say what it is") {
  const Corpus& c = default_world();
  for (Split split : {Split::train, Split::heldout}) {
    const Parsed p = check_split(c, split);
    for (const char* f : {"weather", "travel", "animals", "colours", "counting", "repeat"}) CHECK(p.families.at(f) > 0);
    CHECK(p.weather_patterns.size() == 4);  // more than one word order
    if (split == Split::train) {
      CHECK(p.weather_facts > 10000);
      CHECK(p.travel_facts > 4000);
    }
  }
  // Label counts agree with token counts.
  const auto count_of = [&](const std::string& w) {
    return int64_t(std::count(c.train.begin(), c.train.end(), c.tokenizer.id_of(w)));
  };
  // predicts_X: a token before X whose temperature the words so far fix (implied_X); the rest of
  // the X tokens follow a seasonal city whose season comes later ("chicago is | cold in winter").
  const auto fixed_before = [&](const std::string& w, int implied) {
    int64_t n = 0;
    for (std::size_t t = 0; t + 1 < c.train.size(); ++t)
      n += c.train[t + 1] == c.tokenizer.id_of(w) && c.has_label(Split::train, t, implied);
    return n;
  };
  CHECK(c.label_count(Split::train, toy_label::predicts_hot) == fixed_before("hot", toy_label::implied_hot));
  CHECK(c.label_count(Split::train, toy_label::predicts_cold) == fixed_before("cold", toy_label::implied_cold));
  CHECK(c.label_count(Split::train, toy_label::predicts_hot) < count_of("hot"));
  CHECK(c.label_count(Split::train, toy_label::predicts_cold) < count_of("cold"));
  CHECK(c.label_count(Split::train, toy_label::predicts_cold) > count_of("cold") / 2);
  CHECK(c.label_count(Split::train, toy_label::repeat_first) == c.label_count(Split::train, toy_label::repeat_second));
  CHECK(c.label_count(Split::train, toy_label::sentence_end) == count_of("."));
  CHECK(c.label_index("predicts_cold") == toy_label::predicts_cold);
  CHECK(c.label_index("no such label") == -1);
  CHECK_FALSE(c.has_label(Split::train, c.train.size(), toy_label::city));  // past the end: no label
}

TEST_CASE("lm data: labels of one sentence, spelled out") {
  // "in winter the weather in chicago is cold ." : a seasonal city, fixed at "chicago"
  // (the season came first); "is" predicts cold.
  const Corpus& c = default_world();
  const auto ids = c.encode("in winter the weather in chicago is cold .");
  const auto it = std::search(c.train.begin(), c.train.end(), ids.begin(), ids.end());
  REQUIRE(it != c.train.end());
  const std::size_t at = std::size_t(it - c.train.begin());
  const auto bits = [&](std::size_t i) { return c.train_labels[at + i]; };
  const auto bit = [](int k) { return 1u << k; };
  CHECK(bits(0) == 0u);                                                       // in
  CHECK(bits(1) == bit(toy_label::season));                                   // winter
  CHECK(bits(4) == 0u);                                                       // in
  CHECK(bits(5) == (bit(toy_label::city) | bit(toy_label::seasonal_city) | bit(toy_label::implied_cold)));
  CHECK(bits(6) == (bit(toy_label::predicts_cold) | bit(toy_label::implied_cold)));  // is
  CHECK(bits(7) == (bit(toy_label::temperature) | bit(toy_label::implied_cold)));    // cold
  CHECK(bits(8) == (bit(toy_label::sentence_end) | bit(toy_label::implied_cold)));   // .

  // "the weather in chicago is hot in summer ." : hot comes next at "is", but nothing fixes it
  // yet, so "is" carries no label (neither predicts_hot nor implied_hot).
  const auto ids2 = c.encode("the weather in chicago is hot in summer .");
  const auto it2 = std::search(c.train.begin(), c.train.end(), ids2.begin(), ids2.end());
  REQUIRE(it2 != c.train.end());
  const std::size_t at2 = std::size_t(it2 - c.train.begin());
  CHECK(c.train_labels[at2 + 4] == 0u);
  CHECK(c.train_labels[at2 + 7] == (bit(toy_label::season) | bit(toy_label::implied_hot)));
}

TEST_CASE("lm data: the word tokenizer round-trips corpus sentences and refuses unknown words by name") {
  const Corpus& c = default_world();
  const Tokenizer& t = c.tokenizer;
  // 2,000 sentences of the stream: decode → encode gives the ids back, encode → decode the text.
  std::size_t begin = 0;
  int checked = 0;
  for (std::size_t i = 0; i < c.train.size() && checked < 2000; ++i) {
    if (t.piece(c.train[i]) != ".") continue;
    const std::vector<int32_t> ids(c.train.begin() + long(begin), c.train.begin() + long(i) + 1);
    const std::string text = t.decode(ids);
    CHECK(t.encode(text) == ids);
    CHECK(t.decode(t.encode(text)) == text);
    begin = i + 1;
    ++checked;
  }
  CHECK(checked == 2000);

  CHECK(t.encode("The Weather in California is") == t.encode("the weather in california is"));
  CHECK(t.encode("  it is\thot.\n") == t.encode("it is hot ."));
  CHECK(t.encode("").empty());
  CHECK(t.encode(" \n\t ").empty());
  CHECK(t.decode(std::vector<int32_t>{}) == "");
  CHECK(error_of([&] { t.encode("the weather in paris is"); }) ==
        "unknown word \"paris\" (word 4): not in the 75-word vocabulary of the toy world");
  CHECK(error_of([&] { t.encode("hot hot.."); }) ==
        "unknown word \"hot.\" (word 2): not in the 75-word vocabulary of the toy world (did you mean \"hot\"?)");
  // A typo gets the word it most likely meant: one edit in a short word, two in a longer one;
  // a word further from every one of the vocabulary's, or of one or two letters, gets none.
  CHECK(error_of([&] { t.encode("the weather in califonia is"); }) ==
        "unknown word \"califonia\" (word 4): not in the 75-word vocabulary of the toy world (did you mean \"california\"?)");
  CHECK(t.closest_word("califronia") == "california");  // a transposition: two edits
  CHECK(t.closest_word("wether") == "weather");
  CHECK(t.closest_word("wintr") == "winter");
  CHECK(t.closest_word("paris") == "");
  CHECK(t.closest_word("q") == "");
  CHECK(t.closest_word("calfrnia") == "california");  // two insertions
  CHECK(t.closest_word("calfrn") == "");  // four edits
  CHECK(Tokenizer::bytes().closest_word("hot") == "");
  const std::string long_word(300, 'z');
  const std::string e = error_of([&] { t.encode(long_word); });
  CHECK(e.size() < 120);  // the word is shortened in the message
  CHECK(contains(e, "unknown word \"zzzz"));
  CHECK(error_of([&] { t.decode(std::vector<int32_t>{3, 75}); }) == "token id 75 is outside [0, 75)");
  CHECK(error_of([&] { t.piece(-1); }) == "token id -1 is outside [0, 75)");
  CHECK(t.display(t.id_of("hot")) == "hot");

  CHECK(error_of([] { Tokenizer::words({"a", "a"}, "x"); }) == "vocabulary word \"a\" appears twice");
  CHECK(error_of([] { Tokenizer::words({"a b"}, "x"); }) == "vocabulary word \"a b\" has whitespace or upper case");
  CHECK(error_of([] { Tokenizer::words({}, "x"); }) == "the vocabulary of x is empty");
}

TEST_CASE("lm data: the byte tokenizer round-trips every byte string exactly") {
  const Tokenizer t = Tokenizer::bytes();
  CHECK(t.kind() == TokenizerKind::byte);
  CHECK(t.vocab_size() == 256);
  std::string all;
  for (int b = 0; b < 256; ++b) all += char(b);
  const auto ids = t.encode(all);
  REQUIRE(ids.size() == 256);
  for (int b = 0; b < 256; ++b) CHECK(ids[std::size_t(b)] == b);
  CHECK(t.decode(ids) == all);

  const std::string utf8 = "naïve café — 日本語 🙂\r\n";
  const auto u = t.encode(utf8);
  CHECK(u.size() == utf8.size());  // bytes, not characters
  CHECK(t.decode(u) == utf8);

  Rng rng(7);
  for (int k = 0; k < 200; ++k) {
    std::string s(rng.below(64), '\0');
    for (char& ch : s) ch = char(rng.below(256));
    CHECK(t.decode(t.encode(s)) == s);
  }
  CHECK(t.display('a') == "a");
  CHECK(t.display(' ') == "\u2423");
  CHECK(t.display('\n') == "\\n");
  CHECK(t.display(0) == "<0x00>");
  CHECK(t.display(0xE6) == "<0xE6>");
  for (int b = 0; b < 256; ++b) CHECK(count_invalid_utf8(t.display(b)) == 0);
  CHECK(t.id_of("a") == 'a');
  CHECK(t.id_of("ab") == -1);
  CHECK(error_of([&] { t.decode(std::vector<int32_t>{256}); }) == "token id 256 is outside [0, 256)");
}

TEST_CASE("lm data: UTF-8 validity matches an encoder over every code point") {
  // Encode each code point as UTF-8 by the textbook rule; valid ones must read as one sequence.
  const auto encode = [](uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
      s += char(cp);
    } else if (cp < 0x800) {
      s += char(0xC0 | (cp >> 6));
      s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += char(0xE0 | (cp >> 12));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    } else {
      s += char(0xF0 | (cp >> 18));
      s += char(0x80 | ((cp >> 12) & 0x3F));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    }
    return s;
  };
  int wrong = 0;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const std::string s = encode(cp);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    const std::size_t expect = surrogate ? 0 : s.size();
    if (utf8_sequence_length(s, 0) != expect) ++wrong;
    if (count_invalid_utf8(s) != (surrogate ? s.size() : 0)) ++wrong;
  }
  CHECK(wrong == 0);
  CHECK(count_invalid_utf8("\xC0\x80") == 2);          // overlong NUL
  CHECK(count_invalid_utf8("\xE0\x80\xAF") == 3);      // overlong "/"
  CHECK(count_invalid_utf8("\xF4\x90\x80\x80") == 4);  // above U+10FFFF
  CHECK(count_invalid_utf8("\xE6\x97") == 2);          // truncated
  CHECK(count_invalid_utf8("a\x80z") == 1);            // stray continuation
  CHECK(to_valid_utf8("a\x80z") == "a\xEF\xBF\xBDz");
  CHECK(to_valid_utf8("日本") == "日本");
}

TEST_CASE("lm data: a text file becomes a byte corpus, 90% train and the last 10% held out") {
  std::string text;
  for (int i = 0; text.size() < 1000; ++i) text += "line " + std::to_string(i) + ": naïve café\n";
  text.resize(1000);
  const Corpus c = make_text_corpus(text, 24, "notes.txt");
  CHECK(c.source == "notes.txt");
  CHECK(c.vocab_size() == 256);
  CHECK_FALSE(c.has_labels());
  CHECK(c.train_labels.empty());
  REQUIRE(c.train.size() == 900);
  REQUIRE(c.heldout.size() == 100);
  CHECK(c.decode(c.train) + c.decode(c.heldout) == text);
  CHECK(c.decode(c.heldout) == text.substr(900));

  // The boundary: 10 · (context + 1) bytes pass, one fewer is refused.
  CHECK(text_min_bytes(24) == 250);
  CHECK_NOTHROW(make_text_corpus(text.substr(0, 250), 24, "x"));
  const Corpus edge = make_text_corpus(text.substr(0, 250), 24, "x");
  CHECK(edge.heldout.size() == 25);  // exactly one window of context + 1
  CHECK(error_of([&] { make_text_corpus(text.substr(0, 249), 24, "x"); }) ==
        "text file \"x\" is too short for context 24: 249 bytes, at least 250 needed "
        "(10 · (context + 1): the held-out tenth must hold a window)");

  // Latin-1 prose (é as the single byte E9): a few percent non-UTF-8 bytes still pass.
  std::string latin1;
  while (latin1.size() < 2000) latin1 += "le caf\xE9 est ferm\xE9 aujourd'hui, mais demain il ouvre.\n";
  CHECK_NOTHROW(make_text_corpus(latin1, 24, "latin1.txt"));
}

TEST_CASE("lm data: text files refused by name: empty, binary, too big, too short") {
  CHECK(error_of([] { make_text_corpus("", 24, "empty.txt"); }) == "text file \"empty.txt\" is empty");

  std::string with_nul(500, 'a');
  with_nul[123] = '\0';
  CHECK(error_of([&] { make_text_corpus(with_nul, 24, "a.bin"); }) ==
        "text file \"a.bin\" looks binary: it has a NUL byte (at byte 123); give a text file");

  std::string noise(1000, 'a');  // 20% bytes ≥ 0x80 standing alone: not UTF-8
  for (std::size_t i = 0; i < noise.size(); i += 5) noise[i] = char(0x90);
  CHECK(error_of([&] { make_text_corpus(noise, 24, "noise"); }) ==
        "text file \"noise\" looks binary: 20% of its 1000 bytes are not text "
        "(invalid UTF-8 or control bytes; at most 10% allowed)");
  std::string controls(1000, 'a');
  for (std::size_t i = 0; i < controls.size(); i += 4) controls[i] = char(0x01);
  CHECK(contains(error_of([&] { make_text_corpus(controls, 24, "ctl"); }), "looks binary: 25% of its"));

  const std::string big(std::size_t(kTextMaxBytes) + 1, 'a');
  CHECK(error_of([&] { make_text_corpus(big, 24, "big.txt"); }) ==
        "text file \"big.txt\" is too big: 16777217 bytes (16.0 MiB); the limit is 16 MiB (16777216 bytes)");
  CHECK_NOTHROW(make_text_corpus(std::string_view(big).substr(0, std::size_t(kTextMaxBytes)), 24, "max.txt"));

  CHECK(contains(error_of([] { make_text_corpus("hello", 24, "short.txt"); }),
                 "text file \"short.txt\" is too short for context 24: 5 bytes, at least 250 needed"));
  CHECK(error_of([] { make_text_corpus("hello", 0, "x"); }) == "context must be ≥ 1 (got 0)");
  // A file name that is not UTF-8 still gives a valid UTF-8 message.
  CHECK(count_invalid_utf8(error_of([] { make_text_corpus("", 24, "bad\xFFname"); })) == 0);
}

TEST_CASE("lm data: random bytes as a text file give a corpus or a named refusal, never a crash") {
  Rng rng(2024);
  const char* const pieces[] = {"é", "日", "🙂", "\xE6\x97"};
  int accepted = 0, refused = 0;
  for (int k = 0; k < 1500; ++k) {
    const int context = 1 + int(rng.below(64));
    const std::size_t n = rng.below(4) == 0 ? rng.below(40) : rng.below(3000);
    const int texture = int(rng.below(4));  // 0: any byte, 1: ASCII text, 2: UTF-8 text, 3: text with rare noise
    std::string s;
    while (s.size() < n) {
      const uint32_t r = rng.below(1000);
      if (texture == 0) s += char(rng.below(256));
      else if (texture == 2 && r < 100) s += pieces[rng.below(4)];  // multi-byte sequences, whole or cut
      else if (texture == 3 && r < 20) s += char(rng.below(256));
      else s += char(0x20 + rng.below(95));
    }
    s.resize(n);
    try {
      const Corpus c = make_text_corpus(s, context, "fuzz");
      ++accepted;
      CHECK(c.train.size() + c.heldout.size() == n);
      CHECK(c.decode(c.train) + c.decode(c.heldout) == s);
      CHECK(int64_t(c.heldout.size()) >= context + 1);
      c.check();
      std::vector<int32_t> x(std::size_t(2 * context)), y(x.size());
      c.sample_batch(rng, 2, context, x.data(), y.data(), Split::heldout);
    } catch (const std::invalid_argument& e) {
      ++refused;
      CHECK(std::string(e.what()).rfind("text file \"fuzz\" ", 0) == 0);
    }
  }
  CHECK(accepted > 100);
  CHECK(refused > 100);

  // Random mixtures of vocabulary words and junk through the word tokenizer.
  const Tokenizer t = toy_tokenizer();
  for (int k = 0; k < 500; ++k) {
    std::string s;
    const int words = int(rng.below(12));
    for (int i = 0; i < words; ++i) {
      if (rng.below(8) == 0) {
        for (int j = 0, m = 1 + int(rng.below(6)); j < m; ++j) s += char(rng.below(256));
      } else {
        s += toy_vocabulary()[rng.below(75)];
      }
      s += rng.below(5) == 0 ? "\n" : " ";
    }
    try {
      const auto ids = t.encode(s);
      for (int32_t id : ids) CHECK((id >= 0 && id < 75));
      CHECK(t.encode(t.decode(ids)) == ids);
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).rfind("unknown word \"", 0) == 0);
      CHECK(count_invalid_utf8(e.what()) == 0);
    }
  }
}

TEST_CASE("lm data: sample_batch draws real windows, y = x shifted by one, deterministically") {
  const Corpus& c = default_world();
  const int B = 64, T = 24;
  std::vector<int32_t> x(B * T), y(B * T), x2(B * T), y2(B * T);
  std::vector<int64_t> starts(B), starts2(B);
  Rng r1(5), r2(5), r3(6);
  c.sample_batch(r1, B, T, x.data(), y.data(), Split::train, starts.data());
  c.sample_batch(r2, B, T, x2.data(), y2.data(), Split::train, starts2.data());
  CHECK(x == x2);
  CHECK(y == y2);
  CHECK(starts == starts2);
  CHECK(r1.next_u64() == r2.next_u64());  // the same number of draws
  for (int b = 0; b < B; ++b) {
    const int64_t i = starts[std::size_t(b)];
    REQUIRE(i >= 0);
    REQUIRE(i + T + 1 <= int64_t(c.train.size()));
    for (int t = 0; t < T; ++t) {
      CHECK(x[std::size_t(b * T + t)] == c.train[std::size_t(i + t)]);
      CHECK(y[std::size_t(b * T + t)] == c.train[std::size_t(i + t + 1)]);
      if (t + 1 < T) CHECK(y[std::size_t(b * T + t)] == x[std::size_t(b * T + t + 1)]);
    }
  }
  c.sample_batch(r3, B, T, x2.data(), y2.data());
  CHECK(x != x2);

  // Held-out windows come from the held-out stream.
  Rng r4(5);
  c.sample_batch(r4, B, T, x.data(), y.data(), Split::heldout, starts.data());
  for (int b = 0; b < B; ++b) {
    const int64_t i = starts[std::size_t(b)];
    REQUIRE(i + T + 1 <= int64_t(c.heldout.size()));
    CHECK(std::equal(x.begin() + b * T, x.begin() + (b + 1) * T, c.heldout.begin() + i));
    CHECK(std::equal(y.begin() + b * T, y.begin() + (b + 1) * T, c.heldout.begin() + i + 1));
  }

  // Every start in [0, N − T − 1] is drawn, none beyond: a stream of T + 3 tokens has 3 starts.
  Corpus tiny;
  tiny.tokenizer = Tokenizer::bytes();
  for (int i = 0; i < T + 3; ++i) tiny.train.push_back(i);
  Rng r5(1);
  std::set<int64_t> seen;
  for (int k = 0; k < 50; ++k) {
    tiny.sample_batch(r5, B, T, x.data(), y.data(), Split::train, starts.data());
    seen.insert(starts.begin(), starts.end());
  }
  CHECK(seen == std::set<int64_t>{0, 1, 2});

  CHECK(error_of([&] { tiny.sample_batch(r5, 1, T, x.data(), y.data(), Split::heldout); }) ==
        "the held-out stream has 0 tokens, fewer than context + 1 = 25");
  CHECK(error_of([&] { tiny.sample_batch(r5, 0, T, x.data(), y.data()); }) == "batch must be ≥ 1 (got 0)");
  CHECK(error_of([&] { tiny.sample_batch(r5, 1, 0, x.data(), y.data()); }) == "context must be ≥ 1 (got 0)");
}

TEST_CASE("lm data: counting sentences count up and repeated spans repeat") {
  const Corpus& c = default_world();
  const Tokenizer& t = c.tokenizer;
  int counting = 0, repeats = 0;
  std::map<std::size_t, int> span_lengths;
  for (const Sentence& s : sentences_of(c, Split::train)) {
    const std::size_t pos = s.begin;
    if (c.has_label(Split::train, pos, toy_label::counting)) {
      ++counting;
      for (std::size_t i = 0; i < s.w.size(); ++i) {
        CHECK(c.has_label(Split::train, pos + i, toy_label::counting));
        if (i > 0) CHECK(t.id_of(s.w[i]) == t.id_of(s.w[i - 1]) + 1);  // number words are consecutive ids
      }
      CHECK(s.w.size() >= 3);
      CHECK(s.w.size() <= 9);
    }
    if (c.has_label(Split::train, pos, toy_label::repeat_first)) {
      ++repeats;
      const std::size_t half = s.w.size() / 2;
      ++span_lengths[half];
      for (std::size_t i = 0; i < half; ++i) CHECK(s.w[i] == s.w[half + i]);
      CHECK(c.has_label(Split::train, pos + half, toy_label::repeat_second));
      CHECK_FALSE(c.has_label(Split::train, pos + half, toy_label::repeat_first));
    }
  }
  CHECK(counting > 2000);
  CHECK(repeats > 4000);
  CHECK(span_lengths.size() == 6);  // spans of 3 to 8 words
  CHECK(span_lengths.begin()->first == 3);
  CHECK(span_lengths.rbegin()->first == 8);
}

TEST_CASE("lm data: the toy world's entropy: the hand-written reference, and the corpus's own statistics") {
  // Golden numbers from tests/fixtures/toy_world_entropy.py (written from the description).
  const ToyEntropy e = toy_entropy();
  CHECK(e.nats_per_sentence == doctest::Approx(9.244282).epsilon(1e-6));
  CHECK(e.tokens_per_sentence == doctest::Approx(8.621111).epsilon(1e-6));
  CHECK(e.nats_per_token == doctest::Approx(1.072284).epsilon(1e-6));

  // The stream's mean sentence length agrees with the expectation (34,783 sentences: ±0.5%).
  const Corpus& c = default_world();
  const auto sentences = sentences_of(c, Split::train);
  CHECK(double(c.train.size()) / double(sentences.size()) == doctest::Approx(e.tokens_per_sentence).epsilon(0.005));

  // The plug-in entropy of the weather sentences (120 distinct strings, ~11,800 draws) agrees
  // with the reference's weather family, 4.7267 nats: the generator draws what the formula says.
  std::map<std::vector<std::string>, int> weather;
  int n = 0;
  for (const Sentence& s : sentences)
    if (in(s.w, "weather") || (s.w.size() == 7 && s.w[2] == "it")) {
      ++weather[s.w];
      ++n;
    }
  double h = 0;
  for (const auto& [words, k] : weather) h -= double(k) / n * std::log(double(k) / n);
  CHECK(weather.size() == 120);
  CHECK(n > 11000);
  h += double(weather.size() - 1) / (2.0 * n);  // Miller-Madow: the plug-in's bias, (K − 1) / 2n
  CHECK(h == doctest::Approx(4.726719).epsilon(0.003));  // ~3 standard errors
}

}  // namespace test_lm_data
