// The out-of-line parts of the built-in TypeTraits.

#include <bloop/types/type_traits.hpp>

#include <charconv>
#include <cmath>

namespace bloop {
namespace detail {

std::string float_to_number(double v, bool is_float) {
    if (std::isnan(v) || std::isinf(v)) {
        throw InvalidNumber(std::string(std::isnan(v) ? "NaN" : "infinity") +
                            " cannot be stored in DynamoDB");
    }
    char buf[64];
    const auto result = is_float ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v))
                                 : std::to_chars(buf, buf + sizeof buf, v);
    // Through Decimal: the range check, and bloop's spelling ("1E+20", not "1e+20").
    return Decimal(std::string_view(buf, static_cast<std::size_t>(result.ptr - buf))).to_string();
}

double number_to_float(const std::string& text, bool is_float) {
    const Decimal exact(text);
    double value = 0;
    std::string shortest;
    if (is_float) {
        float f = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), f);
        if (r.ec != std::errc()) throw InvalidNumber(text + " cannot be held by a float");
        value = f;
        shortest = float_to_number(f, true);
    } else {
        const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
        if (r.ec != std::errc()) throw InvalidNumber(text + " cannot be held by a double");
        shortest = float_to_number(value, false);
    }
    if (Decimal(shortest) != exact) {
        throw InvalidNumber(text + " cannot be held exactly by a " +
                            (is_float ? "float" : "double") + " (it would read as " + shortest +
                            "); use bloop::Decimal");
    }
    return value;
}

}  // namespace detail

std::optional<AttributeValue> TypeTraits<AttributeValue>::dump(const AttributeValue& v) {
    switch (v.type()) {
        case AttributeType::S: return v.as_string().empty() ? std::nullopt : std::optional(v);
        case AttributeType::B: return v.as_binary().empty() ? std::nullopt : std::optional(v);
        case AttributeType::SS: return v.as_string_set().empty() ? std::nullopt : std::optional(v);
        case AttributeType::NS: return v.as_number_set().empty() ? std::nullopt : std::optional(v);
        case AttributeType::BS: return v.as_binary_set().empty() ? std::nullopt : std::optional(v);
        case AttributeType::M: return v.as_map().empty() ? std::nullopt : std::optional(v);
        case AttributeType::L: return v.as_list().empty() ? std::nullopt : std::optional(v);
        default: return v;
    }
}

}  // namespace bloop
