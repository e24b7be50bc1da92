#pragma once
/// \file
/// `bloop::Decimal`: an exact decimal number within DynamoDB's limits — at most 38 significant
/// digits, magnitude 1E-130 … 9.9999999999999999999999999999999999999E+125, or zero. Nothing passes
/// through `double`; trailing zeros are kept (`1.10` stays `1.10`), as bloop's Number does.

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace bloop {

/// An exact decimal: sign × coefficient × 10^exponent, coefficient of at most 38 digits.
class Decimal {
  public:
    /// The largest number of significant digits DynamoDB keeps.
    static constexpr int max_digits = 38;
    /// Adjusted-exponent range (the exponent of the leading digit) of non-zero values.
    static constexpr int min_adjusted_exponent = -130;
    /// The largest adjusted exponent DynamoDB accepts (1E+125 and up are refused).
    static constexpr int max_adjusted_exponent = 125;

    /// Zero.
    Decimal() = default;
    /// An integer, exactly.
    Decimal(std::int64_t value);  // NOLINT(google-explicit-constructor)
    /// An exact integer.
    Decimal(int value) : Decimal(static_cast<std::int64_t>(value)) {}  // NOLINT
    /// An unsigned integer, exactly.
    explicit Decimal(std::uint64_t value);
    /// Parses "12", "-0.50", "1E-130", "6.02e23", ".5". Throws InvalidNumber for anything else,
    /// for NaN/Infinity, more than 38 significant digits, or a magnitude outside DynamoDB's range.
    explicit Decimal(std::string_view text);

    /// Python's `str(Decimal)`: plain notation unless the exponent is positive or the number is
    /// smaller than 1E-6, then scientific ("1E+10", "1.5E-7"). This is what bloop sends.
    [[nodiscard]] std::string to_string() const;

    [[nodiscard]] bool is_zero() const noexcept { return coefficient_ == "0"; }
    [[nodiscard]] bool is_negative() const noexcept { return negative_; }
    /// The coefficient's digits, without leading zeros ("0" for zero).
    [[nodiscard]] const std::string& coefficient() const noexcept { return coefficient_; }
    /// The power of ten the coefficient is scaled by.
    [[nodiscard]] int exponent() const noexcept { return exponent_; }

    /// The integer part (truncated toward zero) as int64; throws InvalidNumber when out of range.
    [[nodiscard]] std::int64_t to_int64() const;
    /// The integer part (truncated toward zero) as uint64; throws InvalidNumber for negatives
    /// below -0 and values out of range.
    [[nodiscard]] std::uint64_t to_uint64() const;

    /// Numeric comparison: 1.10 == 1.1, -0 == 0.
    friend bool operator==(const Decimal& a, const Decimal& b) noexcept;
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;
    /// Same digits, exponent and sign (1.10 and 1.1 differ).
    [[nodiscard]] bool identical(const Decimal& other) const noexcept;

  private:
    bool negative_ = false;
    std::string coefficient_ = "0";
    int exponent_ = 0;
};

/// Writes `to_string()`.
std::ostream& operator<<(std::ostream& out, const Decimal& d);

/// `using namespace bloop::literals;` for `"1.10"_d`.
inline namespace literals {
/// `"6571.15"_d` is `Decimal("6571.15")`.
inline Decimal operator""_d(const char* text, std::size_t n) {
    return Decimal(std::string_view(text, n));
}
}  // namespace literals

}  // namespace bloop
