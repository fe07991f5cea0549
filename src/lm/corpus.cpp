#include "lm/corpus.hpp"

#include <stdexcept>

namespace superpose {

int Corpus::label_index(std::string_view name) const {
  for (std::size_t k = 0; k < labels.size(); ++k)
    if (labels[k].name == name) return static_cast<int>(k);
  return -1;
}

bool Corpus::has_label(Split s, std::size_t position, int k) const {
  const auto& bits = label_bits(s);
  if (k < 0 || k >= static_cast<int>(labels.size()) || position >= bits.size()) return false;
  return (bits[position] >> k) & 1u;
}

int64_t Corpus::label_count(Split s, int k) const {
  if (k < 0 || k >= static_cast<int>(labels.size())) return 0;
  int64_t n = 0;
  for (uint32_t b : label_bits(s)) n += (b >> k) & 1u;
  return n;
}

void Corpus::sample_batch(Rng& rng, int batch, int context, int32_t* x, int32_t* y, Split split,
                          int64_t* starts) const {
  const std::vector<int32_t>& stream = tokens(split);
  const char* name = split == Split::train ? "train" : "held-out";
  if (batch < 1) throw std::invalid_argument("batch must be ≥ 1 (got " + std::to_string(batch) + ")");
  if (context < 1) throw std::invalid_argument("context must be ≥ 1 (got " + std::to_string(context) + ")");
  const int64_t n = static_cast<int64_t>(stream.size());
  if (n < int64_t(context) + 1)
    throw std::invalid_argument(std::string("the ") + name + " stream has " + std::to_string(n) +
                                " tokens, fewer than context + 1 = " + std::to_string(context + 1));
  const int64_t n_starts = n - context;  // i ∈ [0, N − T − 1]
  for (int b = 0; b < batch; ++b) {
    int64_t i;
    if (n_starts <= int64_t(UINT32_MAX)) {
      i = rng.below(static_cast<uint32_t>(n_starts));
    } else {  // streams over 4G tokens cannot arise (text files are ≤ 16 MiB); keep it exact anyway
      i = static_cast<int64_t>(rng.next_u64() % static_cast<uint64_t>(n_starts));
    }
    if (starts) starts[b] = i;
    const int32_t* src = stream.data() + i;
    int32_t* xb = x + static_cast<std::size_t>(b) * context;
    int32_t* yb = y + static_cast<std::size_t>(b) * context;
    for (int t = 0; t < context; ++t) {
      xb[t] = src[t];
      yb[t] = src[t + 1];
    }
  }
}

void Corpus::check() const {
  const int v = vocab_size();
  for (Split s : {Split::train, Split::heldout}) {
    const char* name = s == Split::train ? "train" : "heldout";
    for (int32_t id : tokens(s))
      if (id < 0 || id >= v)
        throw std::logic_error(std::string(name) + " holds token id " + std::to_string(id) +
                               " outside [0, " + std::to_string(v) + ")");
    const auto& bits = label_bits(s);
    if (labels.empty()) {
      if (!bits.empty()) throw std::logic_error(std::string(name) + " has label bits but no labels");
      continue;
    }
    if (bits.size() != tokens(s).size())
      throw std::logic_error(std::string(name) + "_labels has " + std::to_string(bits.size()) +
                             " entries for " + std::to_string(tokens(s).size()) + " tokens");
    const uint32_t allowed = labels.size() >= 32 ? ~0u : ((1u << labels.size()) - 1u);
    for (uint32_t b : bits)
      if (b & ~allowed) throw std::logic_error(std::string(name) + "_labels sets a bit above the last label");
  }
  if (static_cast<int>(labels.size()) > kMaxTokenLabels)
    throw std::logic_error("a corpus has at most 32 labels (got " + std::to_string(labels.size()) + ")");
}

}  // namespace superpose
