#include "engine/item_size.hpp"

#include <cctype>
#include <string>

namespace bloop::detail {
namespace {

// 1 + ceil(significant digits / 2): leading and trailing zeros, sign, point and exponent are free.
std::size_t number_size(const std::string& number) {
    std::string digits;
    for (const char c : number) {
        if (c == 'e' || c == 'E') break;
        if (std::isdigit(static_cast<unsigned char>(c)) != 0) digits += c;
    }
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) return 1;
    const auto last = digits.find_last_not_of('0');
    const std::size_t significant = last - first + 1;
    return 1 + (significant + 1) / 2;
}

}  // namespace

std::size_t value_size(const AttributeValue& value) {
    std::size_t size = 0;
    switch (value.type()) {
        case AttributeType::S: return value.as_string().size();
        case AttributeType::N: return number_size(value.as_number());
        case AttributeType::B: return value.as_binary().size();
        case AttributeType::BOOL:
        case AttributeType::NUL: return 1;
        case AttributeType::SS:
            for (const auto& s : value.as_string_set()) size += s.size();
            return size;
        case AttributeType::NS:
            for (const auto& n : value.as_number_set()) size += number_size(n);
            return size;
        case AttributeType::BS:
            for (const auto& b : value.as_binary_set()) size += b.size();
            return size;
        case AttributeType::L:
            size = 3;
            for (const auto& element : value.as_list()) size += 1 + value_size(element);
            return size;
        case AttributeType::M:
            size = 3;
            for (const auto& [name, element] : value.as_map())
                size += 1 + name.size() + value_size(element);
            return size;
    }
    return size;
}

std::size_t item_size(const Item& item) {
    std::size_t size = 0;
    for (const auto& [name, value] : item) size += name.size() + value_size(value);
    return size;
}

}  // namespace bloop::detail
