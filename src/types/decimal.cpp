#include <bloop/types/decimal.hpp>
#include <bloop/exceptions.hpp>

#include <algorithm>
#include <limits>
#include <ostream>

namespace bloop {
namespace {

[[noreturn]] void invalid(std::string_view text, const std::string& why) {
    throw InvalidNumber("\"" + std::string(text.substr(0, 80)) +
                        "\" is not a DynamoDB number: " + why);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string strip_leading_zeros(std::string digits) {
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) return "0";
    digits.erase(0, first);
    return digits;
}

// Magnitude of the integer part (digits truncated toward zero), or nullopt when it exceeds `limit`.
bool integer_part(const std::string& coefficient, int exponent, std::uint64_t limit,
                  std::uint64_t& out) {
    std::string digits = coefficient;
    if (exponent >= 0) {
        if (digits != "0") digits.append(static_cast<std::size_t>(std::min(exponent, 40)), '0');
    } else {
        const auto drop = static_cast<std::size_t>(-static_cast<std::int64_t>(exponent));
        digits = drop >= digits.size() ? "0" : digits.substr(0, digits.size() - drop);
    }
    out = 0;
    for (const char c : digits) {
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (out > (limit - d) / 10) return false;
        out = out * 10 + d;
    }
    return true;
}

}  // namespace

Decimal::Decimal(std::int64_t value) : negative_(value < 0) {
    // Magnitude through uint64 so INT64_MIN is exact.
    const std::uint64_t magnitude =
        value < 0 ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
    coefficient_ = std::to_string(magnitude);
}

Decimal::Decimal(std::uint64_t value) : coefficient_(std::to_string(value)) {}

Decimal::Decimal(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative_ = text[i++] == '-';
    const std::string_view rest = text.substr(i);
    std::string lowered(rest);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(c | 0x20); });
    if (lowered == "nan" || lowered == "snan" || lowered == "inf" || lowered == "infinity") {
        invalid(text, "NaN and infinity cannot be stored");
    }
    std::string digits;
    int fraction_digits = 0;
    bool seen_point = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (is_digit(c)) {
            digits.push_back(c);
            if (seen_point) ++fraction_digits;
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (digits.empty()) invalid(text, "no digits");
    std::int64_t exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exponent_negative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            exponent_negative = text[i++] == '-';
        if (i == text.size()) invalid(text, "no exponent digits");
        for (; i < text.size() && is_digit(text[i]); ++i) {
            exponent = std::min<std::int64_t>(exponent * 10 + (text[i] - '0'), 1'000'000'000);
        }
        if (exponent_negative) exponent = -exponent;
    }
    if (i != text.size()) invalid(text, "unexpected character '" + std::string(1, text[i]) + "'");
    coefficient_ = strip_leading_zeros(std::move(digits));
    exponent -= fraction_digits;
    if (coefficient_.size() > static_cast<std::size_t>(max_digits)) {
        invalid(text, std::to_string(coefficient_.size()) +
                          " significant digits; DynamoDB keeps at most 38");
    }
    if (!is_zero()) {
        const std::int64_t adjusted = exponent + static_cast<std::int64_t>(coefficient_.size()) - 1;
        if (adjusted > max_adjusted_exponent) {
            invalid(text, "overflow: magnitude above 9.9999999999999999999999999999999999999E+125");
        }
        if (adjusted < min_adjusted_exponent) invalid(text, "underflow: magnitude below 1E-130");
    } else {
        exponent = std::clamp<std::int64_t>(exponent, -200, 200);
    }
    exponent_ = static_cast<int>(exponent);
}

std::string Decimal::to_string() const {
    std::string out = negative_ ? "-" : "";
    const auto n = static_cast<int>(coefficient_.size());
    const int adjusted = exponent_ + n - 1;
    if (exponent_ <= 0 && adjusted >= -6) {
        if (exponent_ == 0) return out + coefficient_;
        const int point = n + exponent_;  // digits before the point
        if (point > 0) {
            out.append(coefficient_, 0, static_cast<std::size_t>(point));
            out.push_back('.');
            out.append(coefficient_, static_cast<std::size_t>(point));
        } else {
            out += "0.";
            out.append(static_cast<std::size_t>(-point), '0');
            out += coefficient_;
        }
        return out;
    }
    out.push_back(coefficient_[0]);
    if (n > 1) {
        out.push_back('.');
        out.append(coefficient_, 1);
    }
    out += adjusted >= 0 ? "E+" : "E-";
    out += std::to_string(adjusted >= 0 ? adjusted : -adjusted);
    return out;
}

std::int64_t Decimal::to_int64() const {
    std::uint64_t magnitude = 0;
    const std::uint64_t limit =
        negative_ ? static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1
                  : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!integer_part(coefficient_, exponent_, limit, magnitude)) {
        throw InvalidNumber(to_string() + " is out of the range of a 64-bit signed integer");
    }
    return negative_ ? static_cast<std::int64_t>(~magnitude + 1)
                     : static_cast<std::int64_t>(magnitude);
}

std::uint64_t Decimal::to_uint64() const {
    std::uint64_t magnitude = 0;
    if (!integer_part(coefficient_, exponent_, std::numeric_limits<std::uint64_t>::max(),
                      magnitude) ||
        (negative_ && magnitude != 0)) {
        throw InvalidNumber(to_string() + " is out of the range of a 64-bit unsigned integer");
    }
    return magnitude;
}

namespace {
// Compares magnitudes of two non-zero decimals.
std::strong_ordering compare_magnitude(const std::string& ca, int ea, const std::string& cb,
                                       int eb) {
    const int adjusted_a = ea + static_cast<int>(ca.size()) - 1;
    const int adjusted_b = eb + static_cast<int>(cb.size()) - 1;
    if (adjusted_a != adjusted_b) return adjusted_a <=> adjusted_b;
    const std::size_t n = std::max(ca.size(), cb.size());
    for (std::size_t i = 0; i < n; ++i) {
        const char da = i < ca.size() ? ca[i] : '0';
        const char db = i < cb.size() ? cb[i] : '0';
        if (da != db) return da <=> db;
    }
    return std::strong_ordering::equal;
}
}  // namespace

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    if (a.is_zero() && b.is_zero()) return std::strong_ordering::equal;
    const bool a_negative = a.negative_ && !a.is_zero();
    const bool b_negative = b.negative_ && !b.is_zero();
    if (a_negative != b_negative)
        return a_negative ? std::strong_ordering::less : std::strong_ordering::greater;
    if (a.is_zero()) return b_negative ? std::strong_ordering::greater : std::strong_ordering::less;
    if (b.is_zero()) return a_negative ? std::strong_ordering::less : std::strong_ordering::greater;
    const auto magnitude =
        compare_magnitude(a.coefficient_, a.exponent_, b.coefficient_, b.exponent_);
    return a_negative ? 0 <=> magnitude : magnitude;
}

bool operator==(const Decimal& a, const Decimal& b) noexcept {
    return (a <=> b) == 0;
}

bool Decimal::identical(const Decimal& other) const noexcept {
    return negative_ == other.negative_ && coefficient_ == other.coefficient_ &&
           exponent_ == other.exponent_;
}

std::ostream& operator<<(std::ostream& out, const Decimal& d) {
    return out << d.to_string();
}

}  // namespace bloop
