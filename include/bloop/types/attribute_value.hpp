#pragma once
/// \file
/// `AttributeValue`: one DynamoDB attribute value (S, N, B, SS, NS, BS, M, L, BOOL, NULL), and
/// `Item`, an attribute map. Numbers are kept as their exact decimal text; binary as raw bytes.

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bloop {

/// Raw bytes of a B value; base64 only on the wire.
class Binary {
  public:
    Binary() = default;
    /// Takes the bytes as they are (any byte values, including NUL).
    explicit Binary(std::string bytes) : bytes_(std::move(bytes)) {}
    /// Bytes given as numbers, e.g. `Binary{0x00, 0xff}`.
    Binary(std::initializer_list<std::uint8_t> bytes);
    /// Decodes standard base64 (with padding). Throws InvalidArgument on bad input.
    static Binary from_base64(std::string_view text);
    /// Standard base64 with padding.
    [[nodiscard]] std::string to_base64() const;
    /// The raw bytes.
    [[nodiscard]] const std::string& bytes() const noexcept { return bytes_; }
    [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }
    [[nodiscard]] bool empty() const noexcept { return bytes_.empty(); }
    friend auto operator<=>(const Binary&, const Binary&) = default;
    friend bool operator==(const Binary&, const Binary&) = default;

  private:
    std::string bytes_;
};

class AttributeValue;

/// An attribute map (an item, a key, or an M value): attribute name → value, kept sorted by name
/// in one contiguous block, names unique. The interface follows `std::map` where it overlaps.
class AttributeMap {
  public:
    /// Container types, as std::map names them.
    using key_type = std::string;
    /// The attribute values.
    using mapped_type = AttributeValue;
    /// One attribute: (name, value).
    using value_type = std::pair<std::string, AttributeValue>;
    /// The sorted storage.
    using container_type = std::vector<value_type>;
    /// Iterators over the attributes, in name order.
    using iterator = container_type::iterator;
    /// As iterator, read-only.
    using const_iterator = container_type::const_iterator;
    /// A count of attributes.
    using size_type = std::size_t;

    AttributeMap() = default;
    /// From pairs in any order; of repeated names the first is kept (as `std::map` does).
    AttributeMap(std::initializer_list<value_type> entries);
    /// From pairs in any order; of repeated names the last is kept.
    static AttributeMap from_entries(container_type entries);
    /// From pairs already sorted by name with unique names. Unchecked: the caller guarantees it.
    static AttributeMap from_sorted_entries(container_type entries);

    // Defined below AttributeValue: the entries' type must be complete first (clang needs it).
    /// The attributes in name order.
    [[nodiscard]] iterator begin() noexcept;
    [[nodiscard]] iterator end() noexcept;
    [[nodiscard]] const_iterator begin() const noexcept;
    [[nodiscard]] const_iterator end() const noexcept;
    [[nodiscard]] size_type size() const noexcept;
    [[nodiscard]] bool empty() const noexcept;
    /// Removes every attribute.
    void clear() noexcept;
    /// Makes room for `n` attributes.
    void reserve(size_type n);

    /// The entry named `name`, or end().
    [[nodiscard]] iterator find(std::string_view name) noexcept;
    [[nodiscard]] const_iterator find(std::string_view name) const noexcept;
    [[nodiscard]] bool contains(std::string_view name) const noexcept;
    [[nodiscard]] size_type count(std::string_view name) const noexcept;
    /// The value named `name`; throws std::out_of_range naming it when absent.
    [[nodiscard]] AttributeValue& at(std::string_view name);
    [[nodiscard]] const AttributeValue& at(std::string_view name) const;
    /// The value named `name`, inserted as NULL when absent.
    AttributeValue& operator[](std::string_view name);
    /// Inserts or replaces; `second` is true when inserted.
    std::pair<iterator, bool> insert_or_assign(std::string name, AttributeValue value);
    /// Inserts unless present; `second` is true when inserted.
    std::pair<iterator, bool> emplace(std::string name, AttributeValue value);
    /// Removes `name`; returns how many were removed (0 or 1).
    size_type erase(std::string_view name);
    /// Removes the attribute at `position`; the iterator after it.
    iterator erase(const_iterator position);

    friend bool operator==(const AttributeMap& a, const AttributeMap& b);

  private:
    [[nodiscard]] iterator lower_bound(std::string_view name) noexcept;
    container_type entries_;
};

/// The ten DynamoDB attribute types, named after their wire tags.
enum class AttributeType { S, N, B, SS, NS, BS, M, L, BOOL, NUL };

/// The wire tag of a type: "S", "N", ..., "BOOL", "NULL".
[[nodiscard]] std::string_view to_string(AttributeType type) noexcept;

/// One attribute value. Sets keep their elements in the order given (DynamoDB sets are unordered;
/// equality of two sets ignores order). Default-constructed, it is NULL.
class AttributeValue {
  public:
    /// An M value.
    using Map = AttributeMap;
    /// An L value.
    using List = std::vector<AttributeValue>;

    /// NULL.
    AttributeValue() = default;

    /// S.
    static AttributeValue string(std::string value);
    /// N, from its decimal text ("12", "-0.5", "1E+10"); the text is kept exactly.
    static AttributeValue number(std::string text);
    /// N, from an integer.
    static AttributeValue number(std::int64_t value);
    /// B.
    static AttributeValue binary(Binary value);
    /// SS.
    static AttributeValue string_set(std::vector<std::string> values);
    /// NS, from decimal texts.
    static AttributeValue number_set(std::vector<std::string> texts);
    /// BS.
    static AttributeValue binary_set(std::vector<Binary> values);
    /// M.
    static AttributeValue map(Map value);
    /// L.
    static AttributeValue list(List value);
    /// BOOL.
    static AttributeValue boolean(bool value);
    /// NULL.
    static AttributeValue null() { return {}; }

    /// Which of the ten types this is.
    [[nodiscard]] AttributeType type() const noexcept {
        return static_cast<AttributeType>(value_.index());
    }

    // Accessors throw AttributeTypeMismatch when the value is of another type. The non-const
    // ones let callers move contents out.
    [[nodiscard]] const std::string& as_string() const;                   ///< S
    [[nodiscard]] std::string& as_string();                               ///< S
    [[nodiscard]] const std::string& as_number() const;                   ///< N (decimal text)
    [[nodiscard]] std::string& as_number();                               ///< N (decimal text)
    [[nodiscard]] const Binary& as_binary() const;                        ///< B
    [[nodiscard]] Binary& as_binary();                                    ///< B
    [[nodiscard]] const std::vector<std::string>& as_string_set() const;  ///< SS
    [[nodiscard]] std::vector<std::string>& as_string_set();              ///< SS
    [[nodiscard]] const std::vector<std::string>& as_number_set() const;  ///< NS
    [[nodiscard]] std::vector<std::string>& as_number_set();              ///< NS
    [[nodiscard]] const std::vector<Binary>& as_binary_set() const;       ///< BS
    [[nodiscard]] std::vector<Binary>& as_binary_set();                   ///< BS
    [[nodiscard]] const Map& as_map() const;                              ///< M
    [[nodiscard]] Map& as_map();                                          ///< M
    [[nodiscard]] const List& as_list() const;                            ///< L
    [[nodiscard]] List& as_list();                                        ///< L
    [[nodiscard]] bool as_bool() const;                                   ///< BOOL
    [[nodiscard]] bool is_null() const noexcept { return type() == AttributeType::NUL; }

    /// Same type and value; sets compare as sets (order ignored), numbers compare by text.
    friend bool operator==(const AttributeValue& a, const AttributeValue& b);

  private:
    using Storage = std::variant<std::string, std::string, Binary, std::vector<std::string>,
                                 std::vector<std::string>, std::vector<Binary>, Map, List, bool,
                                 std::monostate>;
    template <AttributeType T, class V>
    static AttributeValue make(V&& v) {
        AttributeValue a;
        a.value_.emplace<static_cast<std::size_t>(T)>(std::forward<V>(v));
        return a;
    }
    template <AttributeType T>
    [[nodiscard]] const auto& get() const;
    template <AttributeType T>
    [[nodiscard]] auto& get();

    Storage value_{std::in_place_index<static_cast<std::size_t>(AttributeType::NUL)>};
};

inline AttributeMap::iterator AttributeMap::begin() noexcept {
    return entries_.begin();
}
inline AttributeMap::iterator AttributeMap::end() noexcept {
    return entries_.end();
}
inline AttributeMap::const_iterator AttributeMap::begin() const noexcept {
    return entries_.begin();
}
inline AttributeMap::const_iterator AttributeMap::end() const noexcept {
    return entries_.end();
}
inline AttributeMap::size_type AttributeMap::size() const noexcept {
    return entries_.size();
}
inline bool AttributeMap::empty() const noexcept {
    return entries_.empty();
}

/// An item or key: attribute name → value.
using Item = AttributeValue::Map;

/// The value as bloop (Python) prints it in messages: `'text'`, `1.5`, `b'\x00'`, `{'a', 'b'}`,
/// `[1, 'x']`, `{'k': 1}`, `True`, `None`.
[[nodiscard]] std::string repr(const AttributeValue& value);

/// Writes the value in DynamoDB's JSON wire format, e.g. `{"N":"1.5"}`.
std::ostream& operator<<(std::ostream& out, const AttributeValue& value);
/// Writes an item as a JSON object of wire-format values.
std::ostream& operator<<(std::ostream& out, const Item& item);

}  // namespace bloop
