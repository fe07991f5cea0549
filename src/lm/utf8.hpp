// UTF-8 validity, byte by byte: how many bytes of a string are not part of a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), and a copy with
// each ill-formed byte replaced by U+FFFD, so a byte-level model's output can go into JSON.
// What it is not: a decoder to code points or a normaliser; the byte tokenizer never needs one.
// Reference: RFC 3629 §4 (the syntax of UTF-8 byte sequences); Unicode 15 §3.9, Table 3-7.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace superpose {

// Length of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0 when the byte at i
// does not start one (a stray continuation byte, a truncated or overlong sequence, ...).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// How many bytes of s are outside every well-formed sequence.
std::size_t count_invalid_utf8(std::string_view s);

// s with every byte outside a well-formed sequence replaced by U+FFFD (EF BF BD); valid UTF-8
// comes back unchanged.
std::string to_valid_utf8(std::string_view s);

}  // namespace superpose
