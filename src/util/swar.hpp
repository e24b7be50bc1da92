#pragma once
// Eight bytes at a time: tests over a 64-bit word that let byte loops skip plain runs (strings
// of ASCII with nothing to escape), falling back to byte-by-byte where a word has a hit.

#include <cstdint>
#include <cstring>

namespace bloop::detail::swar {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

/// The 8 bytes at `p` (any alignment).
[[nodiscard]] inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

/// Whether any byte of `w` is 0x80 or above.
[[nodiscard]] constexpr bool any_non_ascii(std::uint64_t w) noexcept {
    return (w & kHighBits) != 0;
}

/// Whether any byte of `w` equals `b`.
[[nodiscard]] constexpr bool any_equal(std::uint64_t w, unsigned char b) noexcept {
    const std::uint64_t x = w ^ (kOnes * b);
    return ((x - kOnes) & ~x & kHighBits) != 0;
}

/// Whether any byte of `w` is below `n` (n <= 0x80).
[[nodiscard]] constexpr bool any_below(std::uint64_t w, unsigned char n) noexcept {
    return ((w - kOnes * n) & ~w & kHighBits) != 0;
}

}  // namespace bloop::detail::swar
