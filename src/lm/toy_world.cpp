#include "lm/toy_world.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace superpose {

namespace {

// ---- the facts: the one table of the toy world -------------------------------------------
const std::vector<ToyCity> kCities = {
    {"california", Climate::hot},    {"egypt", Climate::hot},         {"dubai", Climate::hot},
    {"mexico", Climate::hot},        {"india", Climate::hot},         {"brazil", Climate::hot},
    {"alaska", Climate::cold},       {"siberia", Climate::cold},      {"greenland", Climate::cold},
    {"iceland", Climate::cold},      {"antarctica", Climate::cold},   {"oslo", Climate::cold},
    {"chicago", Climate::seasonal},  {"beijing", Climate::seasonal},  {"toronto", Climate::seasonal},
    {"moscow", Climate::seasonal},   {"berlin", Climate::seasonal},   {"seoul", Climate::seasonal},
};
const std::vector<std::string> kSeasons = {"summer", "winter"};
const std::vector<std::string> kHotClothing = {"hat", "shirt"};
const std::vector<std::string> kColdClothing = {"coat", "scarf"};
const std::vector<std::string> kAnimals = {"cat", "dog", "rabbit", "cow", "bird", "monkey"};
const std::vector<std::string> kFoods = {"fish", "meat", "carrots", "grass", "seeds", "bananas"};  // kAnimals[i] eats kFoods[i]
const std::vector<std::string> kNames = {"anna", "bob", "maria", "tom", "lucy", "sam"};
const std::vector<std::string> kObjects = {"ball", "car", "book", "cup"};
const std::vector<std::string> kColours = {"red", "blue", "green", "yellow"};
// kNameObjectColour[name][object]: index into kColours ("anna has a red ball").
const int kNameObjectColour[6][4] = {
    {0, 1, 2, 3},  // anna:  red ball, blue car, green book, yellow cup
    {1, 2, 3, 0},  // bob
    {2, 3, 0, 1},  // maria
    {3, 0, 1, 2},  // tom
    {1, 0, 3, 2},  // lucy
    {2, 1, 0, 3},  // sam
};
const std::vector<std::string> kNumbers = {"one", "two", "three", "four", "five",
                                           "six", "seven", "eight", "nine"};
const std::vector<std::string> kFunctionWords = {"the", "weather", "in", "is", "it", ".", "and",
                                                 "went", "to", "wore", "a", "eats", "has", "of"};

// ---- the sentence families -------------------------------------------------------------
// Templates: words, or one-letter slots C city, S season, T temperature, N name, K clothing,
// A animal, F its food, O object, X the colour of N's O.
struct Template {
  ToyFamily family;
  const char* text;
  int weight;  // relative, within its family
};
const std::vector<Template> kTemplates = {
    {ToyFamily::weather, "the weather in C is T .", 25},  // only for always-hot/-cold cities
    {ToyFamily::weather, "in S the weather in C is T .", 35},
    {ToyFamily::weather, "in C it is T in S .", 20},
    {ToyFamily::weather, "the weather in C is T in S .", 20},
    {ToyFamily::travel, "in S N went to C and wore a K .", 50},
    {ToyFamily::travel, "N went to C in S and wore a K .", 50},
    {ToyFamily::animals, "the A eats F .", 50},
    {ToyFamily::animals, "a A eats F .", 50},
    {ToyFamily::colours, "N has a X O .", 50},
    {ToyFamily::colours, "the O of N is X .", 50},
};
// Shares of sentences per family, percent, in ToyFamily order.
const int kFamilyShare[kToyFamilies] = {34, 16, 10, 12, 10, 18};
constexpr int kCountMin = 3, kRepeatMin = 3, kRepeatMax = 8;

const char* const kFamilyNames[kToyFamilies] = {"weather", "travel", "animals", "colours", "counting", "repeat"};

std::vector<std::string> build_vocabulary() {
  std::vector<std::string> v = kFunctionWords;
  for (const auto& s : kSeasons) v.push_back(s);
  v.push_back("hot");
  v.push_back("cold");
  for (const auto& c : kCities) v.push_back(c.name);
  for (const auto* list : {&kColdClothing, &kHotClothing, &kNames, &kColours, &kObjects, &kAnimals,
                           &kFoods, &kNumbers})
    for (const auto& w : *list) v.push_back(w);
  return v;
}

int index_in(const std::vector<std::string>& list, const std::string& w, const char* what) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i] == w) return static_cast<int>(i);
  throw std::invalid_argument(std::string("unknown ") + what + " \"" + w + "\"");
}

int city_index(const std::string& city) {
  for (std::size_t i = 0; i < kCities.size(); ++i)
    if (city == kCities[i].name) return static_cast<int>(i);
  throw std::invalid_argument("unknown city \"" + city + "\"");
}

bool is_hot(Climate c, int season) {  // season: 0 summer, 1 winter
  return c == Climate::hot || (c == Climate::seasonal && season == 0);
}

enum Slot : int32_t { kCity = -1, kSeason = -2, kTemp = -3, kName = -4, kClothing = -5, kAnimal = -6,
                      kFood = -7, kObject = -8, kColour = -9 };

// Everything generation needs, resolved to ids once.
struct World {
  Tokenizer tokenizer = toy_tokenizer();
  std::vector<uint32_t> word_bits;  // (vocab,) the labels a word carries wherever it appears
  std::vector<int32_t> city, season, name, animal, food, object, colour, number, hot_clothing,
      cold_clothing, pool;           // ids of each word list; pool: the repeat family's words
  int32_t hot, cold, period;
  struct Parsed {
    ToyFamily family;
    std::vector<int32_t> slots;  // word ids or Slot codes
    int weight;
    bool has_season;
  };
  std::vector<Parsed> templates;

  std::vector<int32_t> ids(const std::vector<std::string>& words) const {
    std::vector<int32_t> out;
    for (const auto& w : words) out.push_back(tokenizer.id_of(w));
    return out;
  }

  World() {
    for (const auto& c : kCities) city.push_back(tokenizer.id_of(c.name));
    season = ids(kSeasons);
    name = ids(kNames);
    animal = ids(kAnimals);
    food = ids(kFoods);
    object = ids(kObjects);
    colour = ids(kColours);
    number = ids(kNumbers);
    hot_clothing = ids(kHotClothing);
    cold_clothing = ids(kColdClothing);
    hot = tokenizer.id_of("hot");
    cold = tokenizer.id_of("cold");
    period = tokenizer.id_of(".");
    for (const auto* list : {&name, &animal, &food, &colour, &object, &number})
      pool.insert(pool.end(), list->begin(), list->end());

    word_bits.assign(static_cast<std::size_t>(tokenizer.vocab_size()), 0u);
    const auto mark = [&](const std::vector<int32_t>& list, int bit) {
      for (int32_t id : list) word_bits[static_cast<std::size_t>(id)] |= 1u << bit;
    };
    for (std::size_t i = 0; i < kCities.size(); ++i) {
      uint32_t& b = word_bits[static_cast<std::size_t>(city[i])];
      b |= 1u << toy_label::city;
      b |= 1u << (kCities[i].climate == Climate::hot    ? toy_label::hot_city
                  : kCities[i].climate == Climate::cold ? toy_label::cold_city
                                                        : toy_label::seasonal_city);
    }
    mark(season, toy_label::season);
    mark({hot, cold}, toy_label::temperature);
    mark(hot_clothing, toy_label::clothing);
    mark(cold_clothing, toy_label::clothing);
    mark(name, toy_label::name);
    mark(animal, toy_label::animal);
    mark(food, toy_label::food);
    mark(colour, toy_label::colour);
    mark(object, toy_label::object);
    mark(number, toy_label::number);
    mark({period}, toy_label::sentence_end);

    for (const auto& t : kTemplates) {
      Parsed p{t.family, {}, t.weight, false};
      std::string text = t.text, w;
      text += ' ';
      for (char ch : text) {
        if (ch != ' ') {
          w += ch;
          continue;
        }
        static const std::string codes = "CSTNKAFOX";
        static const int32_t slot_of[] = {kCity, kSeason, kTemp, kName, kClothing,
                                          kAnimal, kFood, kObject, kColour};
        const auto k = w.size() == 1 ? codes.find(w[0]) : std::string::npos;
        const int32_t id = k != std::string::npos ? slot_of[k] : tokenizer.id_of(w);
        if (k == std::string::npos && id < 0)
          throw std::logic_error("toy world template word \"" + w + "\" is not in the vocabulary");
        p.slots.push_back(id);
        p.has_season = p.has_season || p.slots.back() == kSeason;
        w.clear();
      }
      templates.push_back(std::move(p));
    }
  }
};

const World& world() {
  static const World w;
  return w;
}

template <class T> const T& pick(Rng& rng, const std::vector<T>& v) {
  return v[rng.below(static_cast<uint32_t>(v.size()))];
}

// Writes sentences into one stream.
class Writer {
 public:
  Writer(const World& w, Rng& rng, std::vector<int32_t>& ids, std::vector<uint32_t>& bits)
      : w_(w), rng_(rng), ids_(ids), bits_(bits) {}

  void put(int32_t id, uint32_t extra = 0) {
    ids_.push_back(id);
    bits_.push_back(w_.word_bits[static_cast<std::size_t>(id)] | extra);
  }

  ToyFamily family() {
    uint32_t r = rng_.below(100);
    for (int f = 0; f < kToyFamilies; ++f) {
      if (r < static_cast<uint32_t>(kFamilyShare[f])) return static_cast<ToyFamily>(f);
      r -= static_cast<uint32_t>(kFamilyShare[f]);
    }
    return ToyFamily::repeat;
  }

  void sentence(ToyFamily f) {
    if (f == ToyFamily::counting) return counting();
    if (f == ToyFamily::repeat) return repeat();
    // The variables first, so every slot's fact is fixed before the words are written.
    const int c = static_cast<int>(rng_.below(static_cast<uint32_t>(w_.city.size())));
    const int s = static_cast<int>(rng_.below(2));
    const Climate climate = kCities[static_cast<std::size_t>(c)].climate;
    const bool hot = is_hot(climate, s);
    const int n = static_cast<int>(rng_.below(static_cast<uint32_t>(w_.name.size())));
    const int a = static_cast<int>(rng_.below(static_cast<uint32_t>(w_.animal.size())));
    const int o = static_cast<int>(rng_.below(static_cast<uint32_t>(w_.object.size())));
    const int32_t clothing = pick(rng_, hot ? w_.hot_clothing : w_.cold_clothing);
    const World::Parsed& t = choose_template(f, climate);

    const std::size_t begin = ids_.size();
    std::size_t city_at = 0, season_at = 0;
    bool has_temperature = false;
    for (int32_t slot : t.slots) {
      switch (slot) {
        case kCity: city_at = ids_.size(); put(w_.city[static_cast<std::size_t>(c)]); break;
        case kSeason: season_at = ids_.size(); put(w_.season[static_cast<std::size_t>(s)]); break;
        case kTemp: has_temperature = true; put(hot ? w_.hot : w_.cold); break;
        case kClothing: has_temperature = true; put(clothing); break;
        case kName: put(w_.name[static_cast<std::size_t>(n)]); break;
        case kAnimal: put(w_.animal[static_cast<std::size_t>(a)]); break;
        case kFood: put(w_.food[static_cast<std::size_t>(a)]); break;
        case kObject: put(w_.object[static_cast<std::size_t>(o)]); break;
        case kColour: put(w_.colour[static_cast<std::size_t>(kNameObjectColour[n][o])]); break;
        default: put(slot);
      }
    }
    if (!has_temperature) return;
    // implied_*: from the token that fixes the temperature to the ".".
    const std::size_t fixed_at = climate == Climate::seasonal ? std::max(city_at, season_at) : city_at;
    const uint32_t bit = 1u << (hot ? toy_label::implied_hot : toy_label::implied_cold);
    for (std::size_t i = std::max(fixed_at, begin); i < ids_.size(); ++i) bits_[i] |= bit;
  }

 private:
  const World::Parsed& choose_template(ToyFamily f, Climate climate) {
    // A template without a season states a season-free fact: only always-hot/-cold cities.
    const auto allowed = [&](const World::Parsed& t) {
      return t.family == f && (t.has_season || f != ToyFamily::weather || climate != Climate::seasonal);
    };
    uint32_t total = 0;
    for (const auto& t : w_.templates)
      if (allowed(t)) total += static_cast<uint32_t>(t.weight);
    uint32_t r = rng_.below(total);
    for (const auto& t : w_.templates) {
      if (!allowed(t)) continue;
      if (r < static_cast<uint32_t>(t.weight)) return t;
      r -= static_cast<uint32_t>(t.weight);
    }
    throw std::logic_error("toy world: no template chosen");
  }

  void counting() {  // first ∈ [1, 9 − kCountMin + 1], last ∈ [first + kCountMin − 1, 9]
    const int top = static_cast<int>(w_.number.size());
    const int first = 1 + static_cast<int>(rng_.below(static_cast<uint32_t>(top - kCountMin + 1)));
    const int last = first + kCountMin - 1 + static_cast<int>(rng_.below(static_cast<uint32_t>(top - first - kCountMin + 2)));
    for (int k = first; k <= last; ++k) put(w_.number[static_cast<std::size_t>(k - 1)], 1u << toy_label::counting);
    put(w_.period);
  }

  void repeat() {
    const int len = kRepeatMin + static_cast<int>(rng_.below(kRepeatMax - kRepeatMin + 1));
    int32_t span[kRepeatMax];
    for (int k = 0; k < len; ++k) span[k] = pick(rng_, w_.pool);
    for (int k = 0; k < len; ++k) put(span[k], 1u << toy_label::repeat_first);
    for (int k = 0; k < len; ++k) put(span[k], 1u << toy_label::repeat_second);
    put(w_.period);
  }

  const World& w_;
  Rng& rng_;
  std::vector<int32_t>& ids_;
  std::vector<uint32_t>& bits_;
};

// Whole sentences until the stream holds at least `min_tokens`; then predicts_* from each next
// token and the implied_* bits the sentences set (the temperature must be fixed by the words so far).
void generate(const World& w, Rng rng, int min_tokens, std::vector<int32_t>& ids, std::vector<uint32_t>& bits,
              int64_t* sentences, int64_t* tokens) {
  ids.reserve(static_cast<std::size_t>(min_tokens) + 2 * kRepeatMax + 1);
  bits.reserve(ids.capacity());
  Writer writer(w, rng, ids, bits);
  while (ids.size() < static_cast<std::size_t>(min_tokens)) {
    const ToyFamily f = writer.family();
    const std::size_t before = ids.size();
    writer.sentence(f);
    sentences[static_cast<int>(f)] += 1;
    if (tokens) tokens[static_cast<int>(f)] += static_cast<int64_t>(ids.size() - before);
  }
  for (std::size_t t = 0; t + 1 < ids.size(); ++t) {
    if (ids[t + 1] == w.hot && (bits[t] >> toy_label::implied_hot & 1u)) bits[t] |= 1u << toy_label::predicts_hot;
    if (ids[t + 1] == w.cold && (bits[t] >> toy_label::implied_cold & 1u)) bits[t] |= 1u << toy_label::predicts_cold;
  }
}

double log_size(std::size_t n) { return std::log(static_cast<double>(n)); }

// The entropy (nats) a slot adds to a sentence: the log of its choices; 0 for a word fixed by
// the template or a slot fixed by the facts (T, F, X).
double slot_entropy(int32_t slot) {
  switch (slot) {
    case kCity: return log_size(kCities.size());
    case kSeason: return log_size(kSeasons.size());
    case kName: return log_size(kNames.size());
    case kClothing: return log_size(kHotClothing.size());  // as many for cold (checked below)
    case kAnimal: return log_size(kAnimals.size());
    case kObject: return log_size(kObjects.size());
    default: return 0.0;
  }
}

}  // namespace

ToyEntropy toy_entropy() {
  static_assert(sizeof(kFamilyShare) / sizeof(kFamilyShare[0]) == kToyFamilies, "one share per family");
  if (kHotClothing.size() != kColdClothing.size()) throw std::logic_error("clothing lists differ in size");
  const World& w = world();
  double h = 0, tokens = 0;  // per sentence
  for (int f = 0; f < kToyFamilies; ++f) {
    const double p = kFamilyShare[f] / 100.0;
    h -= p * std::log(p);
    double hf = 0, lf = 0;
    const auto family = static_cast<ToyFamily>(f);
    if (family == ToyFamily::counting) {
      // first uniform over `firsts` values, then last uniform over the lengths left.
      const int top = static_cast<int>(kNumbers.size()), firsts = top - kCountMin + 1;
      for (int first = 1; first <= firsts; ++first) {
        const int lasts = top - first - kCountMin + 2;
        hf += (log_size(std::size_t(firsts)) + log_size(std::size_t(lasts))) / firsts;
        for (int last = first + kCountMin - 1; last <= top; ++last) lf += (last - first + 2.0) / (firsts * lasts);
      }
    } else if (family == ToyFamily::repeat) {
      const int lengths = kRepeatMax - kRepeatMin + 1;
      for (int len = kRepeatMin; len <= kRepeatMax; ++len) {
        hf += (log_size(std::size_t(lengths)) + len * log_size(w.pool.size())) / lengths;
        lf += (2.0 * len + 1) / lengths;
      }
    } else {
      // The template depends on the city's climate only (weather); average over the cities.
      for (const ToyCity& city : kCities) {
        double total = 0;
        std::vector<const World::Parsed*> allowed;
        for (const auto& t : w.templates)
          if (t.family == family && (t.has_season || family != ToyFamily::weather || city.climate != Climate::seasonal)) {
            allowed.push_back(&t);
            total += t.weight;
          }
        for (const World::Parsed* t : allowed) {
          const double pt = t->weight / total;
          double ht = -std::log(pt);
          for (int32_t slot : t->slots) ht += slot_entropy(slot);
          hf += pt * ht / kCities.size();
          lf += pt * t->slots.size() / kCities.size();
        }
      }
    }
    h += p * hf;
    tokens += p * lf;
  }
  return {h, tokens, h / tokens};
}

const std::vector<ToyCity>& toy_cities() { return kCities; }

std::string toy_temperature(const std::string& city, const std::string& season) {
  const int c = city_index(city);
  const int s = index_in(kSeasons, season, "season");
  return is_hot(kCities[static_cast<std::size_t>(c)].climate, s) ? "hot" : "cold";
}

std::string toy_food(const std::string& animal) {
  return kFoods[static_cast<std::size_t>(index_in(kAnimals, animal, "animal"))];
}

std::string toy_colour(const std::string& name, const std::string& object) {
  const int n = index_in(kNames, name, "name"), o = index_in(kObjects, object, "object");
  return kColours[static_cast<std::size_t>(kNameObjectColour[n][o])];
}

std::vector<std::string> toy_clothing(const std::string& temperature) {
  if (temperature == "hot") return kHotClothing;
  if (temperature == "cold") return kColdClothing;
  throw std::invalid_argument("unknown temperature \"" + temperature + "\" (hot or cold)");
}

const std::vector<std::string>& toy_vocabulary() {
  static const std::vector<std::string> v = build_vocabulary();
  return v;
}

Tokenizer toy_tokenizer() { return Tokenizer::words(toy_vocabulary(), "the toy world"); }

const std::vector<TokenLabel>& toy_labels() {
  static const std::vector<TokenLabel> labels = {
      {"city", "a city"},
      {"hot_city", "a city that is always hot"},
      {"cold_city", "a city that is always cold"},
      {"seasonal_city", "a city hot in summer and cold in winter"},
      {"season", "summer or winter"},
      {"temperature", "the word hot or cold"},
      {"clothing", "coat, scarf, hat or shirt"},
      {"name", "a person's name"},
      {"animal", "an animal"},
      {"food", "what an animal eats"},
      {"colour", "a colour"},
      {"object", "ball, car, book or cup"},
      {"number", "a number word"},
      {"sentence_end", "the \".\" ending a sentence"},
      {"counting", "a number word of a counting sentence"},
      {"repeat_first", "in the first copy of a repeated span"},
      {"repeat_second", "in the second copy of a repeated span (copyable by induction)"},
      {"predicts_hot", "the temperature being predicted is hot (the next token is \"hot\", fixed by the words so far)"},
      {"predicts_cold", "the temperature being predicted is cold (the next token is \"cold\", fixed by the words so far)"},
      {"implied_hot", "the sentence so far fixes its temperature as hot"},
      {"implied_cold", "the sentence so far fixes its temperature as cold"},
  };
  static_assert(toy_label::count <= kMaxTokenLabels, "a token's labels are one uint32");
  return labels;
}

const char* toy_family_name(ToyFamily f) { return kFamilyNames[static_cast<int>(f)]; }

Corpus make_toy_world(const ToyWorldConfig& config, ToyWorldStats* stats) {
  config.validate();
  const World& w = world();
  Corpus c;
  c.source = "toy world (data_seed " + std::to_string(config.data_seed) + ")";
  c.tokenizer = w.tokenizer;
  c.labels = toy_labels();
  ToyWorldStats local;
  ToyWorldStats& s = stats ? *stats : local;
  s = ToyWorldStats{};
  const auto seed = static_cast<uint64_t>(config.data_seed);
  generate(w, Rng(seed, 1), config.train_tokens, c.train, c.train_labels, s.train_sentences.data(),
           s.train_tokens.data());
  generate(w, Rng(seed, 2), config.heldout_tokens, c.heldout, c.heldout_labels,
           s.heldout_sentences.data(), nullptr);
  c.check();
  return c;
}

std::vector<ToyProbe> temperature_probe() {
  std::vector<ToyProbe> probe;
  for (const auto& city : kCities)
    for (const char* season : {"winter", "summer"})
      probe.push_back({std::string("in ") + season + " the weather in " + city.name + " is",
                       toy_temperature(city.name, season), city.name, season});
  return probe;
}

ToyProbe california_probe() { return {"the weather in california is", "hot", "california", ""}; }

}  // namespace superpose
