#pragma once
/// \file
/// Columns: `bloop::column<&T::member>()` maps one member of a model struct to an attribute.

#include <bloop/model/detail/names.hpp>
#include <bloop/model/detail/reflect.hpp>
#include <bloop/types/type_traits.hpp>

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

/// Names data member `Member` of a model struct: what columns and column options share.
template <auto Member>
struct MemberRef {
    /// The model struct.
    using Class = typename detail::MemberPointer<Member>::Class;
    /// Whether this names member `M`.
    template <auto M>
    static consteval bool is() {
        return detail::same_member<Member, M>();
    }
    /// Whether this names member I of T (in column_options of a derived model).
    template <class T, std::size_t I>
    static consteval bool is_index() {
        if constexpr (std::is_same_v<Class, T>) {
            return detail::member_index<T, Member>() == I;
        } else {
            return false;
        }
    }
};

/// What every column says about itself: its names and whether it is a key. `Self` is the column
/// type the modifiers return.
template <class Self>
struct ColumnSpec {
    std::string_view name;         ///< the member's name (or the one given with `named`)
    std::string_view dynamo_name;  ///< the attribute's name in DynamoDB
    /// Whether this column is the table's hash key.
    bool is_hash_key = false;
    /// Whether this column is the table's range key.
    bool is_range_key = false;

    /// The column's name in C++-facing places (messages, ModelInfo) instead of the member's; the
    /// DynamoDB name follows unless it was given.
    [[nodiscard]] constexpr Self named(std::string_view new_name) const {
        Self c = self();
        if (c.dynamo_name == c.name) c.dynamo_name = new_name;
        c.name = new_name;
        return c;
    }
    /// This column as the table's hash (partition) key.
    [[nodiscard]] constexpr Self hash_key() const {
        Self c = self();
        c.is_hash_key = true;
        return c;
    }
    /// This column as the table's range (sort) key.
    [[nodiscard]] constexpr Self range_key() const {
        Self c = self();
        c.is_range_key = true;
        return c;
    }

  private:
    constexpr const Self& self() const { return static_cast<const Self&>(*this); }
};

/// The column of data member `Member` (`&Account::email`). Build with `bloop::column`.
template <auto Member>
struct Column : ColumnSpec<Column<Member>>, MemberRef<Member> {
    /// The model struct.
    using Class = typename MemberRef<Member>::Class;
    /// The member's C++ type.
    using Value = typename detail::MemberPointer<Member>::Value;
    static_assert(Storable<Value>,
                  "bloop: this column's C++ type has no bloop::TypeTraits specialization, so it "
                  "cannot be stored");

    /// The column of `Member`, named after it.
    constexpr Column()
        : ColumnSpec<Column>{detail::member_name<Member>(), detail::member_name<Member>()} {}

    /// The member in `object`.
    static Value& get(Class& object) noexcept { return object.*Member; }
    static const Value& get(const Class& object) noexcept { return object.*Member; }
};

/// The column of `Member`, stored under `dynamo_name` (default: the member's name).
template <auto Member>
[[nodiscard]] constexpr Column<Member> column(std::string_view dynamo_name = {}) {
    Column<Member> c;
    if (!dynamo_name.empty()) c.dynamo_name = dynamo_name;
    return c;
}

/// A model's columns, in declaration order (the explicit form: every stored member listed).
template <auto... Members>
[[nodiscard]] constexpr std::tuple<Column<Members>...> columns(Column<Members>... cs) {
    return {cs...};
}

/// Marks member `Member` as not stored, in `Model<T>::column_options` of a model whose columns are
/// derived from its struct.
template <auto Member>
struct NotStored : MemberRef<Member> {};
namespace detail {
template <class O>
inline constexpr bool is_not_stored_v = false;
template <auto M>
inline constexpr bool is_not_stored_v<NotStored<M>> = true;
}  // namespace detail
/// `bloop::not_stored<&Account::cache>`: the member is not a column.
template <auto Member>
inline constexpr NotStored<Member> not_stored{};

/// Keeps a member that a key template holds (single-table design) also as an attribute of its
/// own, in `Model<T>::column_options`: for other readers of the table, or an index of its own.
template <auto Member>
struct AlsoStored : MemberRef<Member> {};
namespace detail {
template <class O>
inline constexpr bool is_also_stored_v = false;
template <auto M>
inline constexpr bool is_also_stored_v<AlsoStored<M>> = true;
}  // namespace detail
/// `bloop::also_stored<&User::email>`: the member is in its key templates and stored as itself.
template <auto Member>
inline constexpr AlsoStored<Member> also_stored{};

/// What differs from the derived columns: `bloop::column<&T::m>("dyn").named(...)`,
/// `bloop::not_stored<&T::m>` and `bloop::also_stored<&T::m>`, in any order.
template <class... Options>
[[nodiscard]] constexpr std::tuple<Options...> column_options(Options... options) {
    return {options...};
}

}  // namespace bloop
