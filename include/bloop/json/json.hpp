#pragma once
/// \file
/// A small JSON document type for request and response bodies of the low-level client, and the
/// exact conversion between `AttributeValue`s and DynamoDB's JSON wire format.
///
/// Numbers keep their exact text (DynamoDB numbers have 38 digits; nothing passes through
/// `double`). Objects keep their members in insertion order, so the same value always writes the
/// same bytes.

#include <bloop/types/attribute_value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bloop::json {

/// The kinds of JSON value.
enum class Type { null, boolean, number, string, array, object };

/// A JSON value.
class Value {
  public:
    /// A JSON array.
    using Array = std::vector<Value>;
    /// A JSON object: members in insertion order.
    using Object = std::vector<std::pair<std::string, Value>>;

    /// null
    Value() = default;
    /// null
    Value(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
    /// true / false
    Value(bool b) : v_(b) {}  // NOLINT(google-explicit-constructor)
    /// a string
    Value(std::string s) : v_(std::move(s)) {}         // NOLINT(google-explicit-constructor)
    Value(std::string_view s) : v_(std::string(s)) {}  // NOLINT(google-explicit-constructor)
    Value(const char* s) : v_(std::string(s)) {}       // NOLINT(google-explicit-constructor)
    /// an integer number
    Value(int n) : Value(static_cast<std::int64_t>(n)) {}  // NOLINT(google-explicit-constructor)
    Value(std::int64_t n);                                 // NOLINT(google-explicit-constructor)
    /// an array
    Value(Array a) : v_(std::move(a)) {}  // NOLINT(google-explicit-constructor)
    /// an object
    Value(Object o) : v_(std::move(o)) {}  // NOLINT(google-explicit-constructor)

    /// A number from its exact text. Throws InvalidJson unless the text is a JSON number.
    static Value number(std::string text);
    /// An empty object.
    static Value object() { return Value(Object{}); }
    /// An empty array.
    static Value array() { return Value(Array{}); }

    [[nodiscard]] Type type() const noexcept { return static_cast<Type>(v_.index()); }
    [[nodiscard]] bool is_null() const noexcept { return type() == Type::null; }
    [[nodiscard]] bool is_object() const noexcept { return type() == Type::object; }
    [[nodiscard]] bool is_array() const noexcept { return type() == Type::array; }
    [[nodiscard]] bool is_string() const noexcept { return type() == Type::string; }

    // Typed reads; each throws InvalidJson naming the expected and actual type.
    [[nodiscard]] bool as_bool() const;
    [[nodiscard]] const std::string& as_string() const;
    [[nodiscard]] std::string& as_string();
    /// The exact text of a number.
    [[nodiscard]] const std::string& number_text() const;
    /// A number as int64; throws InvalidJson when it is not an integer in range.
    [[nodiscard]] std::int64_t as_int() const;
    /// A number as double (for durations and timestamps, never for item data).
    [[nodiscard]] double as_double() const;
    [[nodiscard]] const Array& as_array() const;
    [[nodiscard]] Array& as_array();
    [[nodiscard]] const Object& as_object() const;
    [[nodiscard]] Object& as_object();

    /// The member `key` of an object, or nullptr when absent. Throws InvalidJson on a non-object.
    [[nodiscard]] const Value* find(std::string_view key) const;
    [[nodiscard]] Value* find(std::string_view key);
    /// The member `key`; throws InvalidJson when absent or when this is not an object.
    [[nodiscard]] const Value& at(std::string_view key) const;
    /// The member `key`, appended as null when absent. A null value becomes an empty object first.
    Value& operator[](std::string_view key);
    /// Removes the member `key` of an object; returns whether it was there. Throws InvalidJson on
    /// a non-object.
    bool erase(std::string_view key);
    /// Appends to an array. A null value becomes an empty array first.
    Value& push_back(Value v);
    /// Number of elements of an array or members of an object; 0 for anything else.
    [[nodiscard]] std::size_t size() const noexcept;

    /// Deep equality; objects compare member by member in order.
    friend bool operator==(const Value& a, const Value& b) = default;

  private:
    struct Number {
        std::string text;
        friend bool operator==(const Number&, const Number&) = default;
    };
    std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> v_;
};

/// Parses JSON text. Throws InvalidJson (with the position) on malformed or truncated input.
[[nodiscard]] Value parse(std::string_view text);

/// Appends the compact JSON text of `value` to `out`.
void write(std::string& out, const Value& value);
/// The compact JSON text of `value`.
[[nodiscard]] std::string to_string(const Value& value);

// ---- DynamoDB's AttributeValue wire format
// --------------------------------------------------------

/// Appends `{"S":"..."}`-style JSON for one attribute value.
void write_attribute(std::string& out, const AttributeValue& value);
/// Appends `{"name":{...},...}` for an item (members in name order).
void write_item(std::string& out, const Item& item);
/// An attribute value as a JSON document.
[[nodiscard]] Value to_json(const AttributeValue& value);
/// An item as a JSON document.
[[nodiscard]] Value to_json(const Item& item);

/// Reads one attribute value in wire format (`{"N":"1"}`). Throws InvalidJson on any other shape.
[[nodiscard]] AttributeValue to_attribute(const Value& json);
/// Reads one attribute value, moving strings out of `json`.
[[nodiscard]] AttributeValue to_attribute(Value&& json);
/// Reads an item: an object of wire-format attribute values.
[[nodiscard]] Item to_item(const Value& json);
/// Reads an item, moving it (or its strings) out of `json`.
[[nodiscard]] Item to_item(Value&& json);

}  // namespace bloop::json
