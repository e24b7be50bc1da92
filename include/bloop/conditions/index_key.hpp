#pragma once
/// \file
/// Typed key conditions for an index with a multi-attribute key, checked at compile time:
///
/// ```cpp
/// // global_index().hash_key<&Sale::tenant, &Sale::region>().range_key<&Sale::day, &Sale::id>()
/// auto key = bloop::index_key(bloop::Model<Sale>::by_region)
///                .equal<&Sale::tenant>("acme")
///                .equal<&Sale::region>("eu")
///                .begins_with<&Sale::day>("2026-05");
/// for (const Sale& s : engine.query(bloop::Model<Sale>::by_region, key)) { ... }
/// ```
///
/// DynamoDB's rules, as designed compile errors: every hash member needs an equality (given in
/// key order); then the range members left to right, equalities on the first ones and at most one
/// other condition (<, <=, >, >=, between, begins_with) on the next.

#include <bloop/conditions/attr.hpp>
#include <bloop/model/index.hpp>

#include <cstddef>
#include <tuple>
#include <type_traits>

namespace bloop {

namespace detail {

template <auto... Members>
constexpr auto key_list_tuple(KeyList<Members...>) {
    return std::tuple{Members...};
}

/// Index Ix's hash (Hash = true) or range key members, in key order, as a tuple.
template <class Ix, bool Hash>
constexpr auto index_key_members() {
    constexpr auto first = Hash ? Ix::hash_member : Ix::range_member;
    using More =
        std::conditional_t<Hash, typename Ix::more_hash_type, typename Ix::more_range_type>;
    if constexpr (std::is_null_pointer_v<decltype(first)>) {
        return std::tuple<>{};
    } else {
        return std::tuple_cat(std::tuple{first}, key_list_tuple(More{}));
    }
}

/// Whether `Member` is hash (Hash = true) or range key member I of index Ix.
template <auto Member, class Ix, bool Hash, std::size_t I>
consteval bool is_key_member_at() {
    constexpr auto members = index_key_members<Ix, Hash>();
    if constexpr (I < std::tuple_size_v<decltype(members)>) {
        return same_member<Member, std::get<I>(members)>();
    } else {
        return false;
    }
}

}  // namespace detail

/// A key condition on index Ix being built: H hash members and R range members given so far;
/// Closed once a non-equality range condition was given. Build with `bloop::index_key(index)`.
template <class Ix, std::size_t H = 0, std::size_t R = 0, bool Closed = false>
class IndexKey {
    static constexpr std::size_t hash_count =
        std::tuple_size_v<decltype(detail::index_key_members<Ix, true>())>;
    static constexpr std::size_t range_count =
        std::tuple_size_v<decltype(detail::index_key_members<Ix, false>())>;

  public:
    /// The model the index belongs to.
    using model_type = detail::index_model_t<Ix>;
    /// The index.
    using index_type = Ix;

    /// The empty key.
    IndexKey() = default;
    /// A key holding `condition` (what the builder methods return).
    explicit IndexKey(ConditionOf<model_type> condition) : condition_(std::move(condition)) {}

    /// `Member == value`: the next hash member, or (all hash members given) the next range member.
    template <auto Member, class U>
    [[nodiscard]] auto equal(const U& value) const {
        if constexpr (H < hash_count) {
            static_assert(detail::is_key_member_at<Member, Ix, true, H>(),
                          "bloop: give the index's hash key members in key order, each with "
                          "equal<&T::member>(value)");
            return IndexKey<Ix, H + 1, R, Closed>(condition_ && (attr<Member> == value));
        } else {
            check_range<Member>();
            return IndexKey<Ix, H, R + 1, Closed>(condition_ && (attr<Member> == value));
        }
    }
    /// `Member < value` on the next range member.
    template <auto Member, class U>
    [[nodiscard]] IndexKey<Ix, H, R + 1, true> less(const U& value) const {
        check_range<Member>();
        return IndexKey<Ix, H, R + 1, true>(condition_ && (attr<Member> < value));
    }
    /// `Member <= value` on the next range member.
    template <auto Member, class U>
    [[nodiscard]] IndexKey<Ix, H, R + 1, true> less_equal(const U& value) const {
        check_range<Member>();
        return IndexKey<Ix, H, R + 1, true>(condition_ && (attr<Member> <= value));
    }
    /// `Member > value` on the next range member.
    template <auto Member, class U>
    [[nodiscard]] IndexKey<Ix, H, R + 1, true> greater(const U& value) const {
        check_range<Member>();
        return IndexKey<Ix, H, R + 1, true>(condition_ && (attr<Member> > value));
    }
    /// `Member >= value` on the next range member.
    template <auto Member, class U>
    [[nodiscard]] IndexKey<Ix, H, R + 1, true> greater_equal(const U& value) const {
        check_range<Member>();
        return IndexKey<Ix, H, R + 1, true>(condition_ && (attr<Member> >= value));
    }
    /// `Member BETWEEN low AND high` on the next range member.
    template <auto Member, class U1, class U2>
    [[nodiscard]] IndexKey<Ix, H, R + 1, true> between(const U1& low, const U2& high) const {
        check_range<Member>();
        return IndexKey<Ix, H, R + 1, true>(condition_ && attr<Member>.between(low, high));
    }
    /// `begins_with(Member, prefix)` on the next range member.
    template <auto Member, class U>
    [[nodiscard]] IndexKey<Ix, H, R + 1, true> begins_with(const U& prefix) const {
        check_range<Member>();
        return IndexKey<Ix, H, R + 1, true>(condition_ && attr<Member>.begins_with(prefix));
    }

    /// The key condition. Does not compile until every hash member has its equality.
    [[nodiscard]] const ConditionOf<model_type>& condition() const {
        static_assert(H == hash_count,
                      "bloop: every hash key member of the index needs an equality: add "
                      ".equal<&T::member>(value) for each, in key order");
        return condition_;
    }

  private:
    template <auto Member>
    static constexpr void check_range() {
        static_assert(H == hash_count,
                      "bloop: a range key condition comes after an equality on every hash key "
                      "member of the index");
        static_assert(!Closed,
                      "bloop: after <, <=, >, >=, between or begins_with on one range key member, "
                      "no later range member can be given (DynamoDB reads them left to right)");
        static_assert(R < range_count, "bloop: the index has no further range key member");
        static_assert(detail::is_key_member_at<Member, Ix, false, R>(),
                      "bloop: give the index's range key members left to right: this is not the "
                      "next one");
    }

    ConditionOf<model_type> condition_;
};

/// Starts a key condition on `index` (see IndexKey).
template <class Ix>
[[nodiscard]] IndexKey<Ix> index_key(const Ix& /*index*/) {
    return {};
}

}  // namespace bloop
