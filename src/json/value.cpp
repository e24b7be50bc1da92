#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "json/text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <utility>

namespace bloop::json {
namespace {
std::string_view type_name(Type t) {
    static constexpr std::string_view kNames[] = {"null",   "boolean", "number",
                                                  "string", "array",   "object"};
    return kNames[static_cast<std::size_t>(t)];
}

[[noreturn]] void wrong_type(Type expected, Type actual) {
    throw InvalidJson("expected a JSON " + std::string(type_name(expected)) + ", got " +
                      std::string(type_name(actual)));
}
}  // namespace

Value::Value(std::int64_t n) : v_(Number{std::to_string(n)}) {}

Value Value::number(std::string text) {
    if (!detail::is_json_number(text)) throw InvalidJson("not a JSON number: \"" + text + "\"");
    Value v;
    v.v_ = Number{std::move(text)};
    return v;
}

bool Value::as_bool() const {
    if (type() != Type::boolean) wrong_type(Type::boolean, type());
    return std::get<bool>(v_);
}
const std::string& Value::as_string() const {
    if (type() != Type::string) wrong_type(Type::string, type());
    return std::get<std::string>(v_);
}
std::string& Value::as_string() {
    if (type() != Type::string) wrong_type(Type::string, type());
    return std::get<std::string>(v_);
}
const std::string& Value::number_text() const {
    if (type() != Type::number) wrong_type(Type::number, type());
    return std::get<Number>(v_).text;
}
std::int64_t Value::as_int() const {
    const std::string& text = number_text();
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw InvalidJson("JSON number " + text + " is not an integer in the range of int64");
    }
    return out;
}
double Value::as_double() const {
    return std::strtod(number_text().c_str(), nullptr);
}
const Value::Array& Value::as_array() const {
    if (type() != Type::array) wrong_type(Type::array, type());
    return std::get<Array>(v_);
}
Value::Array& Value::as_array() {
    if (type() != Type::array) wrong_type(Type::array, type());
    return std::get<Array>(v_);
}
const Value::Object& Value::as_object() const {
    if (type() != Type::object) wrong_type(Type::object, type());
    return std::get<Object>(v_);
}
Value::Object& Value::as_object() {
    if (type() != Type::object) wrong_type(Type::object, type());
    return std::get<Object>(v_);
}

const Value* Value::find(std::string_view key) const {
    for (const auto& [k, v] : as_object()) {
        if (k == key) return &v;
    }
    return nullptr;
}
Value* Value::find(std::string_view key) {
    return const_cast<Value*>(std::as_const(*this).find(key));
}
const Value& Value::at(std::string_view key) const {
    const Value* v = find(key);
    if (v == nullptr) throw InvalidJson("JSON object has no member \"" + std::string(key) + "\"");
    return *v;
}

bool Value::erase(std::string_view key) {
    auto& object = as_object();
    const auto found =
        std::find_if(object.begin(), object.end(), [&](const auto& m) { return m.first == key; });
    if (found == object.end()) return false;
    object.erase(found);
    return true;
}

Value& Value::operator[](std::string_view key) {
    if (is_null()) v_ = Object{};
    if (Value* v = find(key)) return *v;
    auto& object = std::get<Object>(v_);
    // Requests are objects of a few members built one at a time: room for eight at once saves
    // the vector three regrowths.
    if (object.empty()) object.reserve(8);
    object.emplace_back(std::string(key), Value());
    return object.back().second;
}

Value& Value::push_back(Value v) {
    if (is_null()) v_ = Array{};
    auto& array = as_array();
    array.push_back(std::move(v));
    return array.back();
}

std::size_t Value::size() const noexcept {
    if (const auto* a = std::get_if<Array>(&v_)) return a->size();
    if (const auto* o = std::get_if<Object>(&v_)) return o->size();
    return 0;
}

void write(std::string& out, const Value& value) {
    switch (value.type()) {
        case Type::null: out += "null"; break;
        case Type::boolean: out += value.as_bool() ? "true" : "false"; break;
        case Type::number: out += value.number_text(); break;
        case Type::string: detail::write_string(out, value.as_string()); break;
        case Type::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& v : value.as_array()) {
                if (!first) out.push_back(',');
                first = false;
                write(out, v);
            }
            out.push_back(']');
            break;
        }
        case Type::object: {
            out.push_back('{');
            bool first = true;
            for (const auto& [k, v] : value.as_object()) {
                if (!first) out.push_back(',');
                first = false;
                detail::write_string(out, k);
                out.push_back(':');
                write(out, v);
            }
            out.push_back('}');
            break;
        }
    }
}

std::string to_string(const Value& value) {
    std::string out;
    write(out, value);
    return out;
}

}  // namespace bloop::json
