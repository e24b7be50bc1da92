#pragma once
/// \file
/// Secondary indexes: `bloop::global_index("by_email").hash_key<&Account::email>().projection(
/// bloop::keys_only)` and `bloop::local_index("by_date").range_key<&Post::date>().projection(
/// bloop::all_attributes)`.

#include <bloop/model/column.hpp>
#include <bloop/model/detail/names.hpp>
#include <bloop/model/model_info.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace bloop {

/// Projection: the index holds the table's and the index's keys.
struct KeysOnly {};
/// Projection: the index holds every attribute.
struct AllAttributes {};
/// Projection: the keys plus the listed columns.
template <auto... Members>
struct Include {};

/// `.projection(bloop::keys_only)`.
inline constexpr KeysOnly keys_only{};
/// `.projection(bloop::all_attributes)`.
inline constexpr AllAttributes all_attributes{};
/// `.projection(bloop::include<&T::a, &T::b>)`.
template <auto... Members>
inline constexpr Include<Members...> include{};

/// The further members of a multi-attribute GSI key, after the first.
template <auto... Members>
struct KeyList {};

/// A secondary index. `Hash`/`Range` are member pointers (nullptr: none); `Projection` is
/// KeysOnly, AllAttributes or Include<...> (void: not yet given); `MoreHash`/`MoreRange` the
/// further members of a multi-attribute GSI key (KeyList<...>).
template <IndexKind Kind, auto Hash = nullptr, auto Range = nullptr, class Projection = void,
          class MoreHash = KeyList<>, class MoreRange = KeyList<>>
struct Index {
    /// Global or local.
    static constexpr IndexKind kind = Kind;
    /// The index's hash key member (nullptr for an LSI: the table's).
    static constexpr auto hash_member = Hash;
    /// The index's range key member (nullptr: none).
    static constexpr auto range_member = Range;
    /// KeysOnly, AllAttributes or Include<...>.
    using projection_type = Projection;
    /// The hash key members after the first (a multi-attribute GSI key).
    using more_hash_type = MoreHash;
    /// The range key members after the first (a multi-attribute GSI key).
    using more_range_type = MoreRange;

    std::string_view name;         ///< the C++ name
    std::string_view dynamo_name;  ///< the IndexName (default: name)
    /// As given with read_units (GSIs).
    std::optional<std::int64_t> read_units_value{};
    /// As given with write_units (GSIs).
    std::optional<std::int64_t> write_units_value{};
    /// As given with strict.
    bool strict_value = true;

    /// The GSI's hash key: one member, or up to four for a multi-attribute key (DynamoDB, since
    /// November 2025), each queried with an equality. (An LSI shares the table's hash key.)
    template <auto Member, auto... More>
    requires(Kind == IndexKind::global)
        [[nodiscard]] constexpr Index<Kind, Member, Range, Projection, KeyList<More...>,
                                      MoreRange> hash_key() const {
        return {name, dynamo_name, read_units_value, write_units_value, strict_value};
    }
    /// The index's range key: one member, or up to four for a GSI's multi-attribute key, queried
    /// left to right.
    template <auto Member, auto... More>
    [[nodiscard]] constexpr Index<Kind, Hash, Member, Projection, MoreHash, KeyList<More...>>
    range_key() const {
        return {name, dynamo_name, read_units_value, write_units_value, strict_value};
    }
    /// What the index holds: keys_only, all_attributes or include<&T::a, &T::b>.
    template <class P>
    [[nodiscard]] constexpr Index<Kind, Hash, Range, P, MoreHash, MoreRange> projection(P) const {
        return {name, dynamo_name, read_units_value, write_units_value, strict_value};
    }
    /// A GSI's provisioned read units (unset: 1 on create, any on validation).
    [[nodiscard]] constexpr Index read_units(std::int64_t units) const
        requires(Kind == IndexKind::global) {
        Index i = *this;
        i.read_units_value = units;
        return i;
    }
    /// A GSI's provisioned write units.
    [[nodiscard]] constexpr Index write_units(std::int64_t units) const
        requires(Kind == IndexKind::global) {
        Index i = *this;
        i.write_units_value = units;
        return i;
    }
    /// An LSI with strict(false) may be asked for any column (DynamoDB fetches it from the table).
    [[nodiscard]] constexpr Index strict(bool value) const requires(Kind == IndexKind::local) {
        Index i = *this;
        i.strict_value = value;
        return i;
    }
};

/// A GlobalSecondaryIndex named after the static member that holds it, when listed with
/// `bloop::indexes<&by_email>()`.
[[nodiscard]] constexpr Index<IndexKind::global> global_index() {
    return {};
}
/// A LocalSecondaryIndex named after the static member that holds it (see global_index()).
[[nodiscard]] constexpr Index<IndexKind::local> local_index() {
    return {};
}
/// A GlobalSecondaryIndex named `name` (IndexName `dynamo_name`, default `name`).
[[nodiscard]] constexpr Index<IndexKind::global> global_index(std::string_view name,
                                                              std::string_view dynamo_name = {}) {
    return {name, dynamo_name.empty() ? name : dynamo_name};
}
/// A LocalSecondaryIndex named `name`.
[[nodiscard]] constexpr Index<IndexKind::local> local_index(std::string_view name,
                                                            std::string_view dynamo_name = {}) {
    return {name, dynamo_name.empty() ? name : dynamo_name};
}

/// bloop's names for the two index kinds.
template <auto Hash, auto Range = nullptr, class Projection = void>
using GlobalSecondaryIndex = Index<IndexKind::global, Hash, Range, Projection>;
/// An LSI: no hash key of its own.
template <auto Range, class Projection = void>
using LocalSecondaryIndex = Index<IndexKind::local, nullptr, Range, Projection>;

/// A model's indexes, given by value: each must carry its name (`global_index("by_email")`).
template <class... Indexes>
[[nodiscard]] constexpr std::tuple<Indexes...> indexes(Indexes... ix) {
    return {ix...};
}

/// An index declared as the static member `Declared` of a Model: named after that member unless
/// it was given a name, and found by its address when queried.
template <auto Declared>
struct DeclaredIndex : std::remove_cvref_t<decltype(*Declared)> {
    /// The static member that declares the index.
    static constexpr auto declaring_member = Declared;
};

namespace detail {
/// The model an index belongs to.
template <class Ix>
using index_model_t = typename MemberPointer<(
    Ix::kind == IndexKind::global ? Ix::hash_member : Ix::range_member)>::Class;

/// "by_email" for &bloop::Model<Account>::by_email.
template <auto Declared>
constexpr std::string_view declared_name() {
    std::string_view s = pretty_argument(__PRETTY_FUNCTION__, "Declared = ");
    while (!s.empty() && (s.front() == '(' || s.front() == '&' || s.front() == ' '))
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ')') s.remove_suffix(1);
    return unqualified(s);
}
template <auto Declared>
constexpr DeclaredIndex<Declared> declared_index() {
    DeclaredIndex<Declared> ix{*Declared};
    if (ix.name.empty()) ix.name = declared_name<Declared>();
    if (ix.dynamo_name.empty()) ix.dynamo_name = ix.name;
    return ix;
}
}  // namespace detail

/// A model's indexes, by the static members that declare them — each named after its member:
/// `static constexpr auto indexes = bloop::indexes<&by_email, &by_date>();`.
template <auto... Declared>
[[nodiscard]] constexpr auto indexes() {
    return std::tuple{detail::declared_index<Declared>()...};
}

}  // namespace bloop
