#pragma once
// Aggregate reflection (C++20, g++ 12 and clang 14): how many members a struct has, a reference to
// member I, its name, and which index a member pointer names — for models whose columns are derived
// from the struct itself. Every query is answered at compile time; get<I> costs nothing at run
// time.

#include <bloop/model/detail/names.hpp>
#include <bloop/model/detail/tie_members.hpp>

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace bloop::detail {

/// The most members reflect() handles: as many as tie_members (scripts/generate-reflect) ties.
inline constexpr std::size_t kMaxReflectedMembers = kTiedMembersMax;

/// Converts to any member type: counts members by trying `T{any, any, ...}`.
struct AnyMember {
    template <class U>
    constexpr operator U&() const&& noexcept;  // never defined: only used unevaluated
};

template <class T, std::size_t... I>
constexpr bool initializable_with(std::index_sequence<I...>) {
    return requires {
        T{(static_cast<void>(I), AnyMember{})...};
    };
}

/// The number of members of aggregate T.
template <class T, std::size_t N = 0>
consteval std::size_t member_count() {
    if constexpr (N > kMaxReflectedMembers ||
                  !initializable_with<T>(std::make_index_sequence<N + 1>{})) {
        return N;
    } else {
        return member_count<T, N + 1>();
    }
}

/// Member I of `object`.
template <std::size_t I, class T>
constexpr auto& member_at(T& object) noexcept {
    return std::get<I>(tie_members<member_count<std::remove_const_t<T>>()>(object));
}

/// The type of member I of T.
template <class T, std::size_t I>
using member_type_t = std::remove_reference_t<decltype(member_at<I>(std::declval<T&>()))>;

/// An object only named, never defined: its members' addresses are constants that name them.
template <class T>
struct Named {
    const T value;
};
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"
#endif
template <class T>
extern const Named<T> named_object;

/// A pointer to a member of named_object, as a template argument (clang 14 takes subobject
/// pointers only inside a class-type argument).
template <class V>
struct MemberAddress {
    const V* pointer;
};

template <MemberAddress A>
consteval std::string_view address_name() {
    // g++: "... [with MemberAddress<...auto...> A = MemberAddress<int>{(&
    // named_object<T>.Named<T>::value.T::id)}]" clang: "... [A = {&named_object.value.id}]"
    std::string_view s = __PRETTY_FUNCTION__;
    s = s.substr(0, s.rfind('}'));
    if (!s.empty() && s.back() == ')') s.remove_suffix(1);
    const auto cut = s.find_last_of(".:");
    return s.substr(cut + 1);
}

/// The name of member I of T ("email").
template <class T, std::size_t I>
consteval std::string_view member_name_at() {
    return address_name<MemberAddress<member_type_t<T, I>>{&member_at<I>(named_object<T>.value)}>();
}

/// The index of the member `Member` (a pointer to a data member of T) names; member_count if none.
template <class T, auto Member>
consteval std::size_t member_index() {
    constexpr std::size_t n = member_count<T>();
    const void* wanted = &(named_object<T>.value.*Member);
    std::size_t found = n;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((static_cast<const void*>(&member_at<I>(named_object<T>.value)) == wanted ? (found = I, 0)
                                                                                   : 0),
         ...);
    }
    (std::make_index_sequence<n>{});
    return found;
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

}  // namespace bloop::detail
