// DynamoDB's AttributeValue wire format: {"S":"x"}, {"N":"1"}, {"B":"<base64>"}, {"SS":[..]},
// {"NS":[..]}, {"BS":[..]}, {"M":{..}}, {"L":[..]}, {"BOOL":true}, {"NULL":true}.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "json/text.hpp"
#include "util/base64.hpp"

#include <ostream>

namespace bloop::json {
namespace {

void write_binary(std::string& out, const Binary& b) {
    out.push_back('"');
    bloop::detail::base64_encode(out, b.bytes());
    out.push_back('"');
}

template <class T, class F>
void write_array(std::string& out, const std::vector<T>& values, F&& write_one) {
    out.push_back('[');
    bool first = true;
    for (const auto& v : values) {
        if (!first) out.push_back(',');
        first = false;
        write_one(out, v);
    }
    out.push_back(']');
}

[[noreturn]] void bad_attribute(const std::string& why) {
    throw InvalidJson("not a DynamoDB attribute value: " + why);
}

std::string take_string(Value& v, std::string_view tag) {
    if (!v.is_string()) bad_attribute(std::string(tag) + " must hold a string");
    return std::move(v.as_string());
}

std::string take_number(Value& v) {
    std::string text = take_string(v, "N");
    if (text.empty()) bad_attribute("N must hold a number, got \"\"");
    return text;
}

Binary take_binary(Value& v, std::string_view tag) {
    std::string text = take_string(v, tag);
    auto bytes = bloop::detail::base64_decode(text);
    if (!bytes)
        bad_attribute(std::string(tag) + " holds invalid base64 \"" + text.substr(0, 40) + "\"");
    return Binary(std::move(*bytes));
}

template <class T, class F>
std::vector<T> take_array(Value& v, std::string_view tag, F&& take_one) {
    if (!v.is_array()) bad_attribute(std::string(tag) + " must hold an array");
    std::vector<T> out;
    out.reserve(v.size());
    for (auto& e : v.as_array()) out.push_back(take_one(e));
    return out;
}

}  // namespace

void write_attribute(std::string& out, const AttributeValue& value) {
    switch (value.type()) {
        case AttributeType::S:
            out += "{\"S\":";
            detail::write_string(out, value.as_string());
            break;
        case AttributeType::N:
            out += "{\"N\":";
            detail::write_string(out, value.as_number());
            break;
        case AttributeType::B:
            out += "{\"B\":";
            write_binary(out, value.as_binary());
            break;
        case AttributeType::SS:
            out += "{\"SS\":";
            write_array(out, value.as_string_set(), detail::write_string);
            break;
        case AttributeType::NS:
            out += "{\"NS\":";
            write_array(out, value.as_number_set(), detail::write_string);
            break;
        case AttributeType::BS:
            out += "{\"BS\":";
            write_array(out, value.as_binary_set(), write_binary);
            break;
        case AttributeType::M:
            out += "{\"M\":";
            write_item(out, value.as_map());
            break;
        case AttributeType::L:
            out += "{\"L\":";
            write_array(out, value.as_list(), write_attribute);
            break;
        case AttributeType::BOOL:
            out += value.as_bool() ? "{\"BOOL\":true" : "{\"BOOL\":false";
            break;
        case AttributeType::NUL: out += "{\"NULL\":true"; break;
    }
    out.push_back('}');
}

void write_item(std::string& out, const Item& item) {
    out.push_back('{');
    bool first = true;
    for (const auto& [name, value] : item) {
        if (!first) out.push_back(',');
        first = false;
        detail::write_string(out, name);
        out.push_back(':');
        write_attribute(out, value);
    }
    out.push_back('}');
}

Value to_json(const AttributeValue& value) {
    std::string text;
    write_attribute(text, value);
    return parse(text);
}

Value to_json(const Item& item) {
    std::string text;
    write_item(text, item);
    return parse(text);
}

AttributeValue to_attribute(Value&& json) {
    if (!json.is_object() || json.size() != 1) {
        bad_attribute("expected an object with exactly one type tag, got " +
                      to_string(json).substr(0, 80));
    }
    auto& [tag, v] = json.as_object().front();
    if (tag == "S") return AttributeValue::string(take_string(v, tag));
    if (tag == "N") return AttributeValue::number(take_number(v));
    if (tag == "B") return AttributeValue::binary(take_binary(v, tag));
    if (tag == "SS") {
        return AttributeValue::string_set(
            take_array<std::string>(v, tag, [](Value& e) { return take_string(e, "SS element"); }));
    }
    if (tag == "NS")
        return AttributeValue::number_set(take_array<std::string>(v, tag, take_number));
    if (tag == "BS") {
        return AttributeValue::binary_set(
            take_array<Binary>(v, tag, [](Value& e) { return take_binary(e, "BS element"); }));
    }
    if (tag == "M") return AttributeValue::map(to_item(std::move(v)));
    if (tag == "L") {
        return AttributeValue::list(take_array<AttributeValue>(
            v, tag, [](Value& e) { return to_attribute(std::move(e)); }));
    }
    if (tag == "BOOL") {
        if (v.type() != Type::boolean) bad_attribute("BOOL must hold true or false");
        return AttributeValue::boolean(v.as_bool());
    }
    if (tag == "NULL") {
        if (v.type() != Type::boolean || !v.as_bool()) bad_attribute("NULL must hold true");
        return AttributeValue::null();
    }
    bad_attribute("unknown type tag \"" + tag + "\"");
}

AttributeValue to_attribute(const Value& json) {
    return to_attribute(Value(json));
}

Item to_item(Value&& json) {
    if (!json.is_object()) bad_attribute("an item must be a JSON object");
    Item::container_type entries;
    entries.reserve(json.size());
    for (auto& [name, v] : json.as_object())
        entries.emplace_back(std::move(name), to_attribute(std::move(v)));
    return Item::from_entries(std::move(entries));
}

Item to_item(const Value& json) {
    return to_item(Value(json));
}

}  // namespace bloop::json

namespace bloop {

std::ostream& operator<<(std::ostream& out, const AttributeValue& value) {
    std::string text;
    json::write_attribute(text, value);
    return out << text;
}

std::ostream& operator<<(std::ostream& out, const Item& item) {
    std::string text;
    json::write_item(text, item);
    return out << text;
}

}  // namespace bloop
