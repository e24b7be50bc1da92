#pragma once
/// \file
/// `bloop::TypeTraits<T>`: the one customisation point that says how a C++ type is stored in
/// DynamoDB, and the built-in mappings (bloop's types). A specialization provides:
///
/// ```cpp
/// template <> struct bloop::TypeTraits<Color> {
///     static constexpr bloop::AttributeType backing = bloop::AttributeType::S;  // the wire type
///     static std::optional<bloop::AttributeValue> dump(const Color& c);        // nullopt: no
///     value static Color load(bloop::AttributeValue&& wire);                          // present
///     value static Color missing();                                                   // absent
///     value
/// };
/// ```
///
/// `dump` returns nullopt for "no value" (the attribute is omitted, or REMOVEd on save); empty
/// strings, binaries, sets, lists and maps are "no value", as in bloop 2.2+. `load` throws
/// AttributeTypeMismatch when the wire value has another type and InvalidValue when it cannot be
/// represented.

#include <bloop/exceptions.hpp>
#include <bloop/types/attribute_value.hpp>
#include <bloop/types/datetime.hpp>
#include <bloop/types/decimal.hpp>
#include <bloop/types/uuid.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace bloop {

/// How `T` is stored. Not defined for types bloop cannot store: specialize it for your own.
template <class T, class Enable = void>
struct TypeTraits;

/// A type with a complete TypeTraits specialization.
template <class T>
concept Storable = requires(const T& value, AttributeValue&& wire) {
    { TypeTraits<T>::backing } -> std::convertible_to<AttributeType>;
    { TypeTraits<T>::dump(value) } -> std::same_as<std::optional<AttributeValue>>;
    { TypeTraits<T>::load(std::move(wire)) } -> std::same_as<T>;
    { TypeTraits<T>::missing() } -> std::same_as<T>;
};

/// Whether `T` holds attribute values of any type (its `backing` is only nominal).
template <class T>
inline constexpr bool is_dynamic_type = requires {
    requires TypeTraits<T>::dynamic;
};

namespace detail {
template <class V>
struct Unoptional {
    using type = V;
};
template <class V>
struct Unoptional<std::optional<V>> {
    using type = V;
};
/// V without std::optional: the type a column's values have when present.
template <class V>
using unoptional_t = typename Unoptional<V>::type;
}  // namespace detail

/// Whether values of `T` can be table or index keys (backing S, N or B).
template <class T>
inline constexpr bool is_key_type =
    !is_dynamic_type<T> &&
    (TypeTraits<T>::backing == AttributeType::S || TypeTraits<T>::backing == AttributeType::N ||
     TypeTraits<T>::backing == AttributeType::B);

// ---- scalars ------------------------------------------------------------------------------------

/// std::string ↔ S. "" is no value; missing loads as "".
template <>
struct TypeTraits<std::string> {
    static constexpr AttributeType backing = AttributeType::S;
    static std::optional<AttributeValue> dump(const std::string& v) {
        if (v.empty()) return std::nullopt;
        return AttributeValue::string(v);
    }
    static std::string load(AttributeValue&& v) { return std::move(v.as_string()); }
    static std::string missing() { return {}; }
};

/// Binary ↔ B (base64 on the wire). Empty is no value.
template <>
struct TypeTraits<Binary> {
    static constexpr AttributeType backing = AttributeType::B;
    static std::optional<AttributeValue> dump(const Binary& v) {
        if (v.empty()) return std::nullopt;
        return AttributeValue::binary(v);
    }
    static Binary load(AttributeValue&& v) { return std::move(v.as_binary()); }
    static Binary missing() { return {}; }
};

/// Byte vectors ↔ B.
template <class Byte>
requires(std::same_as<Byte, std::uint8_t> ||
         std::same_as<Byte, std::byte>) struct TypeTraits<std::vector<Byte>> {
    static constexpr AttributeType backing = AttributeType::B;
    static std::optional<AttributeValue> dump(const std::vector<Byte>& v) {
        if (v.empty()) return std::nullopt;
        return AttributeValue::binary(
            Binary(std::string(reinterpret_cast<const char*>(v.data()), v.size())));
    }
    static std::vector<Byte> load(AttributeValue&& v) {
        const std::string& bytes = v.as_binary().bytes();
        const auto* p = reinterpret_cast<const Byte*>(bytes.data());
        return std::vector<Byte>(p, p + bytes.size());
    }
    static std::vector<Byte> missing() { return {}; }
};

/// bool ↔ BOOL. Missing loads as false (use std::optional<bool> to tell them apart).
template <>
struct TypeTraits<bool> {
    static constexpr AttributeType backing = AttributeType::BOOL;
    static std::optional<AttributeValue> dump(const bool& v) { return AttributeValue::boolean(v); }
    static bool load(AttributeValue&& v) { return v.as_bool(); }
    static bool missing() { return false; }
};

/// Decimal ↔ N, exactly (bloop's Number). Missing loads as 0.
template <>
struct TypeTraits<Decimal> {
    static constexpr AttributeType backing = AttributeType::N;
    static std::optional<AttributeValue> dump(const Decimal& v) {
        return AttributeValue::number(v.to_string());
    }
    static Decimal load(AttributeValue&& v) { return Decimal(v.as_number()); }
    static Decimal missing() { return {}; }
};

/// Integer types ↔ N (bloop's Integer). Loading "3.14" truncates toward zero; a value outside the
/// C++ type's range throws InvalidNumber (never wraps). Missing loads as 0.
template <std::integral T>
requires(!std::same_as<T, bool> && !std::same_as<T, char> && !std::same_as<T, wchar_t> &&
         !std::same_as<T, char8_t> && !std::same_as<T, char16_t> &&
         !std::same_as<T, char32_t>) struct TypeTraits<T> {
    static constexpr AttributeType backing = AttributeType::N;
    static std::optional<AttributeValue> dump(const T& v) {
        return AttributeValue::number(std::to_string(v));
    }
    static T load(AttributeValue&& v) {
        const Decimal d(v.as_number());
        if constexpr (std::is_signed_v<T>) {
            const std::int64_t wide = d.to_int64();
            if (wide < std::numeric_limits<T>::min() || wide > std::numeric_limits<T>::max())
                out_of_range(d);
            return static_cast<T>(wide);
        } else {
            const std::uint64_t wide = d.to_uint64();
            if (wide > std::numeric_limits<T>::max()) out_of_range(d);
            return static_cast<T>(wide);
        }
    }
    static T missing() { return 0; }

  private:
    [[noreturn]] static void out_of_range(const Decimal& d) {
        throw InvalidNumber(d.to_string() + " is out of the range of a " +
                            std::to_string(sizeof(T) * 8) + "-bit " +
                            (std::is_signed_v<T> ? "signed" : "unsigned") + " integer");
    }
};

namespace detail {
/// The shortest decimal text that reads back as `v`; throws InvalidNumber for NaN/infinity and
/// for magnitudes outside DynamoDB's range.
std::string float_to_number(double v, bool is_float);
/// `text` as a double/float; throws InvalidNumber when it cannot be held exactly.
double number_to_float(const std::string& text, bool is_float);
}  // namespace detail

/// double / float ↔ N through the shortest text that round-trips. NaN and infinity are refused;
/// loading a number the type cannot hold exactly (e.g. 38 digits into a double) throws
/// InvalidNumber. Missing loads as 0.
template <std::floating_point T>
requires(std::same_as<T, double> || std::same_as<T, float>) struct TypeTraits<T> {
    static constexpr AttributeType backing = AttributeType::N;
    static std::optional<AttributeValue> dump(const T& v) {
        return AttributeValue::number(detail::float_to_number(v, std::is_same_v<T, float>));
    }
    static T load(AttributeValue&& v) {
        return static_cast<T>(detail::number_to_float(v.as_number(), std::is_same_v<T, float>));
    }
    static T missing() { return 0; }
};

/// Uuid ↔ S, lowercase 8-4-4-4-12. Missing loads as the nil UUID.
template <>
struct TypeTraits<Uuid> {
    static constexpr AttributeType backing = AttributeType::S;
    static std::optional<AttributeValue> dump(const Uuid& v) {
        return AttributeValue::string(v.to_string());
    }
    static Uuid load(AttributeValue&& v) { return Uuid(v.as_string()); }
    static Uuid missing() { return {}; }
};

/// DateTime ↔ S "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" (UTC). Missing loads as the epoch.
template <>
struct TypeTraits<DateTime> {
    static constexpr AttributeType backing = AttributeType::S;
    static std::optional<AttributeValue> dump(const DateTime& v) {
        return AttributeValue::string(format_datetime(v));
    }
    static DateTime load(AttributeValue&& v) { return parse_datetime(v.as_string()); }
    static DateTime missing() { return {}; }
};

/// Timestamp ↔ N, epoch seconds (for TTL). Fractions load truncated. Missing loads as the epoch.
template <>
struct TypeTraits<Timestamp> {
    static constexpr AttributeType backing = AttributeType::N;
    static std::optional<AttributeValue> dump(const Timestamp& v) {
        return AttributeValue::number(std::to_string(v.time_since_epoch().count()));
    }
    static Timestamp load(AttributeValue&& v) {
        return Timestamp(std::chrono::seconds(Decimal(v.as_number()).to_int64()));
    }
    static Timestamp missing() { return {}; }
};

/// Any attribute value, for schemaless columns. Empty strings, binaries, sets, lists and maps are
/// no value; missing loads as NULL (use std::optional<AttributeValue> to tell absent from NULL).
template <>
struct TypeTraits<AttributeValue> {
    static constexpr bool dynamic = true;
    static constexpr AttributeType backing = AttributeType::NUL;  // nominal: any type
    static std::optional<AttributeValue> dump(const AttributeValue& v);
    static AttributeValue load(AttributeValue&& v) { return std::move(v); }
    static AttributeValue missing() { return {}; }
};

// ---- containers ---------------------------------------------------------------------------------

/// std::optional<T>: empty is no value; missing loads as empty; otherwise as T.
template <Storable T>
struct TypeTraits<std::optional<T>> {
    static constexpr AttributeType backing = TypeTraits<T>::backing;
    static constexpr bool dynamic = is_dynamic_type<T>;
    static std::optional<AttributeValue> dump(const std::optional<T>& v) {
        if (!v) return std::nullopt;
        return TypeTraits<T>::dump(*v);
    }
    static std::optional<T> load(AttributeValue&& v) { return TypeTraits<T>::load(std::move(v)); }
    static std::optional<T> missing() { return std::nullopt; }
};

namespace detail {

template <class Set, class T>
struct SetTraits {
    static_assert(Storable<T>, "bloop: the set's element type has no bloop::TypeTraits");
    static_assert(!is_dynamic_type<T> && (TypeTraits<T>::backing == AttributeType::S ||
                                          TypeTraits<T>::backing == AttributeType::N ||
                                          TypeTraits<T>::backing == AttributeType::B),
                  "bloop: a set can only hold strings, numbers or binary (SS, NS, BS)");
    static constexpr AttributeType inner = TypeTraits<T>::backing;
    static constexpr AttributeType backing = inner == AttributeType::S   ? AttributeType::SS
                                             : inner == AttributeType::N ? AttributeType::NS
                                                                         : AttributeType::BS;

    /// Drops elements that dump to no value; an empty set is no value.
    static std::optional<AttributeValue> dump(const Set& values) {
        if constexpr (inner == AttributeType::B) {
            std::vector<Binary> out;
            out.reserve(values.size());
            for (const auto& v : values) {
                if (auto d = TypeTraits<T>::dump(v)) out.push_back(std::move(d->as_binary()));
            }
            if (out.empty()) return std::nullopt;
            return AttributeValue::binary_set(std::move(out));
        } else {
            std::vector<std::string> out;
            out.reserve(values.size());
            for (const auto& v : values) {
                if (auto d = TypeTraits<T>::dump(v)) {
                    out.push_back(
                        std::move(inner == AttributeType::S ? d->as_string() : d->as_number()));
                }
            }
            if (out.empty()) return std::nullopt;
            return inner == AttributeType::S ? AttributeValue::string_set(std::move(out))
                                             : AttributeValue::number_set(std::move(out));
        }
    }

    static Set load(AttributeValue&& wire) {
        Set out;
        if constexpr (inner == AttributeType::B) {
            for (auto& b : wire.as_binary_set())
                out.insert(TypeTraits<T>::load(AttributeValue::binary(std::move(b))));
        } else if constexpr (inner == AttributeType::S) {
            for (auto& s : wire.as_string_set())
                out.insert(TypeTraits<T>::load(AttributeValue::string(std::move(s))));
        } else {
            for (auto& n : wire.as_number_set())
                out.insert(TypeTraits<T>::load(AttributeValue::number(std::move(n))));
        }
        return out;
    }
    static Set missing() { return {}; }
};

template <class List, class T>
struct ListTraits {
    static_assert(Storable<T>, "bloop: the list's element type has no bloop::TypeTraits");
    static constexpr AttributeType backing = AttributeType::L;
    /// Elements that dump to no value are dropped (bloop's List); an empty list is no value.
    static std::optional<AttributeValue> dump(const List& values) {
        AttributeValue::List out;
        out.reserve(values.size());
        for (const auto& v : values) {
            if (auto d = TypeTraits<T>::dump(v)) out.push_back(std::move(*d));
        }
        if (out.empty()) return std::nullopt;
        return AttributeValue::list(std::move(out));
    }
    static List load(AttributeValue&& wire) {
        List out;
        for (auto& v : wire.as_list()) out.push_back(TypeTraits<T>::load(std::move(v)));
        return out;
    }
    static List missing() { return {}; }
};

template <class Map, class T>
struct MapTraits {
    static_assert(Storable<T>, "bloop: the map's value type has no bloop::TypeTraits");
    static constexpr AttributeType backing = AttributeType::M;
    /// Entries whose value dumps to no value are dropped; an empty map is no value.
    static std::optional<AttributeValue> dump(const Map& values) {
        AttributeMap::container_type out;
        out.reserve(values.size());
        for (const auto& [k, v] : values) {
            if (auto d = TypeTraits<T>::dump(v)) out.emplace_back(k, std::move(*d));
        }
        if (out.empty()) return std::nullopt;
        return AttributeValue::map(AttributeMap::from_entries(std::move(out)));
    }
    static Map load(AttributeValue&& wire) {
        Map out;
        for (auto& [k, v] : wire.as_map()) out.emplace(k, TypeTraits<T>::load(std::move(v)));
        return out;
    }
    static Map missing() { return {}; }
};

}  // namespace detail

/// std::set<T> ↔ SS / NS / BS (T must be stored as S, N or B).
template <class T, class C, class A>
struct TypeTraits<std::set<T, C, A>> : detail::SetTraits<std::set<T, C, A>, T> {};
/// std::unordered_set<T> ↔ SS / NS / BS.
template <class T, class H, class E, class A>
struct TypeTraits<std::unordered_set<T, H, E, A>>
    : detail::SetTraits<std::unordered_set<T, H, E, A>, T> {};

/// std::vector<T> ↔ L (byte vectors are B).
template <class T, class A>
requires(!std::same_as<T, std::uint8_t> &&
         !std::same_as<T, std::byte>) struct TypeTraits<std::vector<T, A>>
    : detail::ListTraits<std::vector<T, A>, T> {
};
/// std::list<T> ↔ L.
template <class T, class A>
struct TypeTraits<std::list<T, A>> : detail::ListTraits<std::list<T, A>, T> {};

/// std::map<std::string, T> ↔ M with arbitrary keys.
template <class T, class C, class A>
struct TypeTraits<std::map<std::string, T, C, A>>
    : detail::MapTraits<std::map<std::string, T, C, A>, T> {};
/// std::unordered_map<std::string, T> ↔ M with arbitrary keys.
template <class T, class H, class E, class A>
struct TypeTraits<std::unordered_map<std::string, T, H, E, A>>
    : detail::MapTraits<std::unordered_map<std::string, T, H, E, A>, T> {};

}  // namespace bloop
