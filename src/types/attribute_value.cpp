#include <bloop/types/attribute_value.hpp>
#include <bloop/exceptions.hpp>

#include "util/base64.hpp"

#include <algorithm>
#include <utility>

namespace bloop {

Binary::Binary(std::initializer_list<std::uint8_t> bytes) {
    bytes_.reserve(bytes.size());
    for (auto b : bytes) bytes_.push_back(static_cast<char>(b));
}

Binary Binary::from_base64(std::string_view text) {
    auto bytes = detail::base64_decode(text);
    if (!bytes)
        throw InvalidArgument("not valid base64: \"" + std::string(text.substr(0, 64)) + "\"");
    return Binary(std::move(*bytes));
}

std::string Binary::to_base64() const {
    std::string out;
    detail::base64_encode(out, bytes_);
    return out;
}

std::string_view to_string(AttributeType type) noexcept {
    static constexpr std::string_view kNames[] = {"S",  "N", "B", "SS",   "NS",
                                                  "BS", "M", "L", "BOOL", "NULL"};
    return kNames[static_cast<std::size_t>(type)];
}

AttributeValue AttributeValue::string(std::string value) {
    return make<AttributeType::S>(std::move(value));
}
AttributeValue AttributeValue::number(std::string text) {
    return make<AttributeType::N>(std::move(text));
}
AttributeValue AttributeValue::number(std::int64_t value) {
    return make<AttributeType::N>(std::to_string(value));
}
AttributeValue AttributeValue::binary(Binary value) {
    return make<AttributeType::B>(std::move(value));
}
AttributeValue AttributeValue::string_set(std::vector<std::string> values) {
    return make<AttributeType::SS>(std::move(values));
}
AttributeValue AttributeValue::number_set(std::vector<std::string> texts) {
    return make<AttributeType::NS>(std::move(texts));
}
AttributeValue AttributeValue::binary_set(std::vector<Binary> values) {
    return make<AttributeType::BS>(std::move(values));
}
AttributeValue AttributeValue::map(Map value) {
    return make<AttributeType::M>(std::move(value));
}
AttributeValue AttributeValue::list(List value) {
    return make<AttributeType::L>(std::move(value));
}
AttributeValue AttributeValue::boolean(bool value) {
    return make<AttributeType::BOOL>(value);
}

template <AttributeType T>
const auto& AttributeValue::get() const {
    constexpr auto index = static_cast<std::size_t>(T);
    if (value_.index() != index) {
        throw AttributeTypeMismatch("attribute value is " + std::string(to_string(type())) +
                                    ", not " + std::string(to_string(T)));
    }
    return std::get<index>(value_);
}

template <AttributeType T>
auto& AttributeValue::get() {
    return const_cast<std::variant_alternative_t<static_cast<std::size_t>(T), Storage>&>(
        std::as_const(*this).get<T>());
}

const std::string& AttributeValue::as_string() const {
    return get<AttributeType::S>();
}
std::string& AttributeValue::as_string() {
    return get<AttributeType::S>();
}
const std::string& AttributeValue::as_number() const {
    return get<AttributeType::N>();
}
std::string& AttributeValue::as_number() {
    return get<AttributeType::N>();
}
const Binary& AttributeValue::as_binary() const {
    return get<AttributeType::B>();
}
Binary& AttributeValue::as_binary() {
    return get<AttributeType::B>();
}
const std::vector<std::string>& AttributeValue::as_string_set() const {
    return get<AttributeType::SS>();
}
std::vector<std::string>& AttributeValue::as_string_set() {
    return get<AttributeType::SS>();
}
const std::vector<std::string>& AttributeValue::as_number_set() const {
    return get<AttributeType::NS>();
}
std::vector<std::string>& AttributeValue::as_number_set() {
    return get<AttributeType::NS>();
}
const std::vector<Binary>& AttributeValue::as_binary_set() const {
    return get<AttributeType::BS>();
}
std::vector<Binary>& AttributeValue::as_binary_set() {
    return get<AttributeType::BS>();
}
const AttributeValue::Map& AttributeValue::as_map() const {
    return get<AttributeType::M>();
}
AttributeValue::Map& AttributeValue::as_map() {
    return get<AttributeType::M>();
}
const AttributeValue::List& AttributeValue::as_list() const {
    return get<AttributeType::L>();
}
AttributeValue::List& AttributeValue::as_list() {
    return get<AttributeType::L>();
}
bool AttributeValue::as_bool() const {
    return get<AttributeType::BOOL>();
}

namespace {
template <class T>
bool same_elements(std::vector<T> a, std::vector<T> b) {
    if (a.size() != b.size()) return false;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}
}  // namespace

bool operator==(const AttributeValue& a, const AttributeValue& b) {
    if (a.type() != b.type()) return false;
    switch (a.type()) {
        case AttributeType::SS: return same_elements(a.as_string_set(), b.as_string_set());
        case AttributeType::NS: return same_elements(a.as_number_set(), b.as_number_set());
        case AttributeType::BS: return same_elements(a.as_binary_set(), b.as_binary_set());
        default: return a.value_ == b.value_;
    }
}

}  // namespace bloop
