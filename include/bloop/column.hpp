#pragma once
/// \file
/// Columns: `bloop::column<&T::member>()` maps one member of a model struct to an attribute.

#include <bloop/detail/names.hpp>
#include <bloop/type_traits.hpp>

#include <string_view>
#include <tuple>

namespace bloop {

namespace detail {
template <auto Member>
struct MemberPointer {
    static_assert(sizeof(Member) == 0,
                  "bloop: a column is named by a pointer to a data member, e.g. &Account::id");
};
template <class C, class V, V C::*M>
struct MemberPointer<M> {
    using Class = C;
    using Value = V;
};

/// Whether two member pointers (possibly of different types) are the same member.
template <auto A, auto B>
consteval bool same_member() {
    if constexpr (std::is_same_v<decltype(A), decltype(B)>) {
        return A == B;
    } else {
        return false;
    }
}
}  // namespace detail

/// The column of data member `Member` (`&Account::email`). Build with `bloop::column`.
template <auto Member>
struct Column {
    using Class = typename detail::MemberPointer<Member>::Class;
    using Value = typename detail::MemberPointer<Member>::Value;
    static_assert(Storable<Value>,
                  "bloop: this column's C++ type has no bloop::TypeTraits specialization, so it "
                  "cannot be stored");
    static constexpr auto member = Member;

    std::string_view name = detail::member_name<Member>();  ///< the member's name
    std::string_view dynamo_name = name;                    ///< the attribute's name in DynamoDB
    bool is_hash_key = false;
    bool is_range_key = false;

    /// The column's name in C++-facing places (messages, ModelInfo) instead of the member's; the
    /// DynamoDB name follows unless it was given.
    [[nodiscard]] constexpr Column named(std::string_view new_name) const {
        Column c = *this;
        if (c.dynamo_name == c.name) c.dynamo_name = new_name;
        c.name = new_name;
        return c;
    }
    /// This column as the table's hash (partition) key.
    [[nodiscard]] constexpr Column hash_key() const {
        Column c = *this;
        c.is_hash_key = true;
        return c;
    }
    /// This column as the table's range (sort) key.
    [[nodiscard]] constexpr Column range_key() const {
        Column c = *this;
        c.is_range_key = true;
        return c;
    }
};

/// The column of `Member`, stored under `dynamo_name` (default: the member's name).
template <auto Member>
[[nodiscard]] constexpr Column<Member> column(std::string_view dynamo_name = {}) {
    Column<Member> c;
    if (!dynamo_name.empty()) c.dynamo_name = dynamo_name;
    return c;
}

/// A model's columns, in declaration order.
template <auto... Members>
[[nodiscard]] constexpr std::tuple<Column<Members>...> columns(Column<Members>... cs) {
    return {cs...};
}

}  // namespace bloop
