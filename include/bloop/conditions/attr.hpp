#pragma once
/// \file
/// Typed conditions: `bloop::attr<&Account::email> == "a@b.c"`.
///
/// `attr<&T::member>` is the path to a column of model T. Its operators build a
/// `bloop::ConditionOf<T>`: `==`, `!=`, `<`, `<=`, `>`, `>=`, `begins_with`, `between`, `contains`,
/// `in`, `is_missing`, `exists`, combined with `&&`, `||`, `!`. A value of the wrong C++ type, an
/// operator the column's type cannot support, or a column of another model does not compile.
/// Document paths: `attr<&T::tags_by_day>["monday"]`, `attr<&T::scores>[3]`,
/// `attr<&T::profile>.field<&Profile::city>()`.

#include <bloop/conditions/condition.hpp>
#include <bloop/conditions/update.hpp>
#include <bloop/model/model.hpp>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace bloop {

/// A condition on model T. Conditions of different models do not combine.
template <class T>
class ConditionOf {
  public:
    /// The empty condition.
    ConditionOf() = default;
    /// Wraps a runtime condition (the caller vouches that it is about T).
    explicit ConditionOf(Condition c) : condition_(std::move(c)) {}
    /// Does not compile: a condition on another model's columns (a designed error).
    template <class U>
    requires(!std::is_same_v<U, T>) ConditionOf(const ConditionOf<U>&) {
        static_assert(std::is_same_v<U, T>,
                      "bloop: this condition is on another model's columns: a filter, key or "
                      "write condition may only name columns of the model it is used with");
    }

    /// The runtime tree, for the renderer and the engine.
    [[nodiscard]] const Condition& condition() const noexcept { return condition_; }
    [[nodiscard]] bool empty() const noexcept { return condition_.empty(); }

    friend ConditionOf operator&&(ConditionOf a, ConditionOf b) {
        return ConditionOf(std::move(a.condition_) && std::move(b.condition_));
    }
    friend ConditionOf operator||(ConditionOf a, ConditionOf b) {
        return ConditionOf(std::move(a.condition_) || std::move(b.condition_));
    }
    friend ConditionOf operator!(ConditionOf a) { return ConditionOf(!std::move(a.condition_)); }
    /// `*this = *this && other`.
    ConditionOf& operator&=(ConditionOf other) {
        return *this = std::move(*this) && std::move(other);
    }
    /// `*this = *this || other`.
    ConditionOf& operator|=(ConditionOf other) {
        return *this = std::move(*this) || std::move(other);
    }
    friend bool operator==(const ConditionOf& a, const ConditionOf& b) {
        return a.condition_ == b.condition_;
    }

  private:
    Condition condition_;
};

/// Does not compile: conditions of two models do not combine (a designed error).
template <class A, class B>
requires(!std::is_same_v<A, B>) ConditionOf<A>
operator&&(const ConditionOf<A>&, const ConditionOf<B>&) {
    static_assert(std::is_same_v<A, B>,
                  "bloop: && joins conditions on columns of two different models");
    return {};
}
/// Does not compile: conditions of two models do not combine (a designed error).
template <class A, class B>
requires(!std::is_same_v<A, B>) ConditionOf<A>
operator||(const ConditionOf<A>&, const ConditionOf<B>&) {
    static_assert(std::is_same_v<A, B>,
                  "bloop: || joins conditions on columns of two different models");
    return {};
}

namespace detail {

template <class V>
constexpr bool is_dynamic_path = is_dynamic_type<unoptional_t<V>>;

template <class V>
constexpr AttributeType path_backing = TypeTraits<unoptional_t<V>>::backing;

template <class V>
constexpr bool backing_in(std::initializer_list<AttributeType> types) {
    if (is_dynamic_path<V>) return true;
    for (const auto t : types) {
        if (t == path_backing<V>) return true;
    }
    return false;
}

/// The storable type of a value: string literals and C strings are std::string.
template <class U>
using storable_form_t = std::conditional_t<std::is_convertible_v<const U&, const char*>,
                                           std::string, std::remove_cvref_t<U>>;

/// A value of type U may stand for a value of type V: implicitly convertible, without narrowing.
/// A dynamic (AttributeValue) path takes any storable value.
template <class V, class U>
concept ValueOf = (std::convertible_to<const U&, V> && requires(const U& u) { V{u}; }) ||
                  (is_dynamic_type<unoptional_t<V>> && Storable<storable_form_t<U>>);

/// The dumped form of `value` at a path of type V.
template <class V, class U>
std::optional<AttributeValue> dump_as(const U& value) {
    if constexpr (is_dynamic_type<unoptional_t<V>> && !std::is_convertible_v<const U&, V>) {
        return TypeTraits<storable_form_t<U>>::dump(storable_form_t<U>(value));
    } else {
        return TypeTraits<V>::dump(V{value});
    }
}

/// What `contains` takes: a set's or list's element, a substring, a byte string.
template <class V>
struct ContainsValue {
    using type = void;
};
template <>
struct ContainsValue<std::string> {
    using type = std::string;
};
template <>
struct ContainsValue<Binary> {
    using type = Binary;
};
template <>
struct ContainsValue<AttributeValue> {
    using type = AttributeValue;
};
template <class E, class C, class A>
struct ContainsValue<std::set<E, C, A>> {
    using type = E;
};
template <class E, class H, class Q, class A>
struct ContainsValue<std::unordered_set<E, H, Q, A>> {
    using type = E;
};
template <class E, class A>
struct ContainsValue<std::vector<E, A>> {
    using type = E;
};
template <class E, class A>
struct ContainsValue<std::list<E, A>> {
    using type = E;
};

/// A map's value type, for `path["key"]`.
template <class V>
struct MapValue {
    using type = void;
};
template <class E, class C, class A>
struct MapValue<std::map<std::string, E, C, A>> {
    using type = E;
};
template <class E, class H, class Q, class A>
struct MapValue<std::unordered_map<std::string, E, H, Q, A>> {
    using type = E;
};
template <>
struct MapValue<AttributeValue> {
    using type = AttributeValue;
};

/// A list's element type, for `path[3]`.
template <class V>
struct ListValue {
    using type = void;
};
template <class E, class A>
requires(!std::same_as<E, std::uint8_t> &&
         !std::same_as<E, std::byte>) struct ListValue<std::vector<E, A>> {
    using type = E;
};
template <class E, class A>
struct ListValue<std::list<E, A>> {
    using type = E;
};
template <>
struct ListValue<AttributeValue> {
    using type = AttributeValue;
};

/// What an update action's braced list holds: a set's or list's element (none for other
/// columns, and for dynamic ones, which take an AttributeValue).
struct NoElement {};
template <class V>
using action_element_t =
    std::conditional_t<is_dynamic_path<V> ||
                           std::is_void_v<typename ContainsValue<unoptional_t<V>>::type>,
                       NoElement, typename ContainsValue<unoptional_t<V>>::type>;

/// The action, or InvalidUpdate naming the model, the path and the action when `value` is empty.
UpdateAction make_action(UpdateAction::Kind kind, Path path, std::optional<AttributeValue> value);

template <auto Member>
Path column_path() {
    using C = typename MemberPointer<Member>::Class;
    static_assert(Modeled<C>, "bloop: attr<&T::member> needs a bloop::Model<T> specialization");
    static_assert(is_column_of<C, Member>(),
                  "bloop: attr<&T::member> names a member that is not a column of T's model");
    const ModelInfo& info = model_info<C>();
    return Path::of_column(info, *info.column_index(column_name_of<C, Member>()));
}

}  // namespace detail

template <class T, class V>
class TypedPath;
namespace detail {
template <class U>
inline constexpr bool is_typed_path_v = false;
template <class T, class V>
inline constexpr bool is_typed_path_v<TypedPath<T, V>> = true;
}  // namespace detail

/// The path to a value of type V inside model T (a column, or a map key / list index within one).
template <class T, class V>
class TypedPath {
  public:
    /// The model the path belongs to.
    using model_type = T;
    /// The C++ type of the values at the path.
    using value_type = V;

    /// A path built elsewhere (see `attr` for columns).
    explicit TypedPath(Path path) : path_(std::move(path)) {}
    /// A column path computed on first use (what `attr` holds).
    constexpr explicit TypedPath(Path (*root)()) : root_(root) {}

    /// The runtime path.
    [[nodiscard]] Path path() const { return root_ != nullptr ? root_() : path_; }

    // ---- comparisons with values
    // ------------------------------------------------------------------

    /// `path = value`; a value that dumps to no value renders attribute_not_exists.
    template <class U>
    [[nodiscard]] ConditionOf<T> operator==(const U& value) const {
        check_operand<U>();
        if constexpr (operand_ok<U>()) {
            return value_condition(Condition::Op::eq, value);
        } else {
            return {};
        }
    }
    /// `path <> value`; a value that dumps to no value renders attribute_exists.
    template <class U>
    [[nodiscard]] ConditionOf<T> operator!=(const U& value) const {
        check_operand<U>();
        if constexpr (operand_ok<U>()) {
            return value_condition(Condition::Op::ne, value);
        } else {
            return {};
        }
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator<(const U& value) const {
        check_ordered();
        if constexpr (ordered()) check_operand<U>();
        if constexpr (ordered() && operand_ok<U>()) {
            return value_condition(Condition::Op::lt, value);
        } else {
            return {};
        }
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator<=(const U& value) const {
        check_ordered();
        if constexpr (ordered()) check_operand<U>();
        if constexpr (ordered() && operand_ok<U>()) {
            return value_condition(Condition::Op::le, value);
        } else {
            return {};
        }
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator>(const U& value) const {
        check_ordered();
        if constexpr (ordered()) check_operand<U>();
        if constexpr (ordered() && operand_ok<U>()) {
            return value_condition(Condition::Op::gt, value);
        } else {
            return {};
        }
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator>=(const U& value) const {
        check_ordered();
        if constexpr (ordered()) check_operand<U>();
        if constexpr (ordered() && operand_ok<U>()) {
            return value_condition(Condition::Op::ge, value);
        } else {
            return {};
        }
    }

    // ---- comparisons with another path of the same model
    // ----------------------------------------------

    template <class W>
    [[nodiscard]] ConditionOf<T> operator==(const TypedPath<T, W>& other) const {
        return path_condition(Condition::Op::eq, other);
    }
    template <class W>
    [[nodiscard]] ConditionOf<T> operator!=(const TypedPath<T, W>& other) const {
        return path_condition(Condition::Op::ne, other);
    }
    template <class W>
    [[nodiscard]] ConditionOf<T> operator<(const TypedPath<T, W>& other) const {
        check_ordered();
        return path_condition(Condition::Op::lt, other);
    }
    template <class W>
    [[nodiscard]] ConditionOf<T> operator<=(const TypedPath<T, W>& other) const {
        check_ordered();
        return path_condition(Condition::Op::le, other);
    }
    template <class W>
    [[nodiscard]] ConditionOf<T> operator>(const TypedPath<T, W>& other) const {
        check_ordered();
        return path_condition(Condition::Op::gt, other);
    }
    template <class W>
    [[nodiscard]] ConditionOf<T> operator>=(const TypedPath<T, W>& other) const {
        check_ordered();
        return path_condition(Condition::Op::ge, other);
    }

    // ---- functions
    // ------------------------------------------------------------------------------------

    /// `begins_with(path, prefix)`: strings and binary only.
    template <class U>
    requires detail::ValueOf<V, U>
    [[nodiscard]] ConditionOf<T> begins_with(const U& prefix) const {
        static_assert(detail::backing_in<V>({AttributeType::S, AttributeType::B}),
                      "bloop: begins_with needs a column stored as S or B");
        return value_condition(Condition::Op::begins_with, prefix);
    }
    /// `path BETWEEN low AND high`: strings, numbers and binary only. A bound may be a value or
    /// another path of the same model.
    template <class U1, class U2>
    [[nodiscard]] ConditionOf<T> between(const U1& low, const U2& high) const {
        check_ordered();
        if constexpr (ordered()) {
            check_operand<U1>();
            check_operand<U2>();
        }
        if constexpr (ordered() && operand_ok<U1>() && operand_ok<U2>()) {
            return ConditionOf<T>(
                Condition::compare(Condition::Op::between, path(), {operand(low), operand(high)}));
        } else {
            return {};
        }
    }
    /// `contains(path, value)`: an element of a set or list, a substring, a byte string.
    template <class U>
    [[nodiscard]] ConditionOf<T> contains(const U& value) const {
        using E = typename detail::ContainsValue<detail::unoptional_t<V>>::type;
        static_assert(!std::is_void_v<E>,
                      "bloop: contains needs a column stored as SS, NS, BS, S, B or L");
        static_assert(detail::ValueOf<E, U>,
                      "bloop: the value given to contains has the wrong type for this column");
        return ConditionOf<T>(Condition::compare(Condition::Op::contains, path(),
                                                 {Operand(detail::dump_as<E>(value))}));
    }
    /// `path IN (v1, v2, ...)`; at least one member (checked when rendered). A member may be a
    /// value or another path of the same model.
    template <class... U>
    [[nodiscard]] ConditionOf<T> in(const U&... values) const {
        (check_operand<U>(), ...);
        if constexpr ((true && ... && operand_ok<U>())) {
            return ConditionOf<T>(
                Condition::compare(Condition::Op::in, path(), {operand(values)...}));
        } else {
            return {};
        }
    }
    /// `path IN (...)` over a range of values.
    template <class Range>
    requires detail::ValueOf<V, typename Range::value_type>
    [[nodiscard]] ConditionOf<T> in_range(const Range& values) const {
        std::vector<Operand> operands;
        for (const auto& v : values) operands.emplace_back(detail::dump_as<V>(v));
        return ConditionOf<T>(Condition::compare(Condition::Op::in, path(), std::move(operands)));
    }
    /// `attribute_not_exists(path)` (bloop's `is_(None)`).
    [[nodiscard]] ConditionOf<T> is_missing() const {
        return ConditionOf<T>(Condition::compare(Condition::Op::not_exists, path()));
    }
    /// `attribute_exists(path)` (bloop's `is_not(None)`).
    [[nodiscard]] ConditionOf<T> exists() const {
        return ConditionOf<T>(Condition::compare(Condition::Op::exists, path()));
    }

    // ---- update actions (conditions/update.hpp)
    // ----------------------------------------------------------------

    /// `ADD path :v`: adds `value` to a number, or its elements to a set (creating either).
    template <class U>
    [[nodiscard]] ActionOf<T> add(const U& value) const {
        static_assert(detail::backing_in<V>({AttributeType::N, AttributeType::SS, AttributeType::NS,
                                             AttributeType::BS}),
                      "bloop: add needs a column stored as a number or a set (N, SS, NS, BS)");
        return value_action(UpdateAction::Kind::add, value);
    }
    /// `add({e1, e2})`: adds elements to a set.
    [[nodiscard]] ActionOf<T> add(
        std::initializer_list<detail::action_element_t<V>> elements) const {
        static_assert(
            detail::backing_in<V>({AttributeType::SS, AttributeType::NS, AttributeType::BS}),
            "bloop: add({...}) needs a set column (SS, NS, BS)");
        return elements_action(UpdateAction::Kind::add, elements);
    }
    /// `DELETE path :v`: removes the elements of `value` from a set.
    template <class U>
    [[nodiscard]] ActionOf<T> remove_from(const U& value) const {
        static_assert(
            detail::backing_in<V>({AttributeType::SS, AttributeType::NS, AttributeType::BS}),
            "bloop: remove_from needs a set column (SS, NS, BS)");
        return value_action(UpdateAction::Kind::remove_from, value);
    }
    /// `remove_from({e1, e2})`: removes elements from a set.
    [[nodiscard]] ActionOf<T> remove_from(
        std::initializer_list<detail::action_element_t<V>> elements) const {
        static_assert(
            detail::backing_in<V>({AttributeType::SS, AttributeType::NS, AttributeType::BS}),
            "bloop: remove_from needs a set column (SS, NS, BS)");
        return elements_action(UpdateAction::Kind::remove_from, elements);
    }
    /// Appends the elements of `value` to a list (a missing list starts empty).
    template <class U>
    [[nodiscard]] ActionOf<T> append(const U& value) const {
        static_assert(detail::backing_in<V>({AttributeType::L}),
                      "bloop: append needs a list column (L)");
        return value_action(UpdateAction::Kind::append, value);
    }
    /// `append({e1, e2})`.
    [[nodiscard]] ActionOf<T> append(
        std::initializer_list<detail::action_element_t<V>> elements) const {
        static_assert(detail::backing_in<V>({AttributeType::L}),
                      "bloop: append needs a list column (L)");
        return elements_action(UpdateAction::Kind::append, elements);
    }
    /// Puts the elements of `value` before a list's (a missing list starts empty).
    template <class U>
    [[nodiscard]] ActionOf<T> prepend(const U& value) const {
        static_assert(detail::backing_in<V>({AttributeType::L}),
                      "bloop: prepend needs a list column (L)");
        return value_action(UpdateAction::Kind::prepend, value);
    }
    /// `prepend({e1, e2})`.
    [[nodiscard]] ActionOf<T> prepend(
        std::initializer_list<detail::action_element_t<V>> elements) const {
        static_assert(detail::backing_in<V>({AttributeType::L}),
                      "bloop: prepend needs a list column (L)");
        return elements_action(UpdateAction::Kind::prepend, elements);
    }
    /// `SET path = if_not_exists(path, :v)`: stores `value` only where nothing is stored.
    template <class U>
    [[nodiscard]] ActionOf<T> set_if_missing(const U& value) const {
        return value_action(UpdateAction::Kind::set_if_missing, value);
    }
    /// `REMOVE path`: removes the stored value, whatever the object holds.
    [[nodiscard]] ActionOf<T> remove() const {
        return ActionOf<T>(detail::make_action(UpdateAction::Kind::remove, path(), std::nullopt));
    }

    // ---- document paths
    // -------------------------------------------------------------------------------

    /// The value under `key` of a map column.
    [[nodiscard]] auto operator[](std::string key) const {
        using E = typename detail::MapValue<detail::unoptional_t<V>>::type;
        static_assert(
            !std::is_void_v<E>,
            "bloop: [\"key\"] needs a map column (std::map<std::string, T> or AttributeValue)");
        Path p = path();
        p.segments.emplace_back(std::move(key));
        return TypedPath<T, E>(std::move(p));
    }
    /// The element at `index` of a list column.
    [[nodiscard]] auto operator[](std::size_t index) const {
        using E = typename detail::ListValue<detail::unoptional_t<V>>::type;
        static_assert(
            !std::is_void_v<E>,
            "bloop: [index] needs a list column (std::vector<T>, std::list<T> or AttributeValue)");
        Path p = path();
        p.segments.emplace_back(index);
        return TypedPath<T, E>(std::move(p));
    }
    [[nodiscard]] auto operator[](int index) const {
        return (*this)[static_cast<std::size_t>(index)];
    }
    /// The column `Member` of a document column.
    template <auto Member>
    [[nodiscard]] auto field() const {
        using D = typename detail::MemberPointer<Member>::Class;
        static_assert(std::is_same_v<D, detail::unoptional_t<V>>,
                      "bloop: field<&D::member>() needs a column whose type is the document D");
        static_assert(detail::is_column_of<D, Member>(),
                      "bloop: field<&D::member>() names a member that is not a column of D");
        const ModelInfo& info = model_info<D>();
        Path p = path();
        p.segments.emplace_back(info.column(detail::column_name_of<D, Member>())->dynamo_name);
        return TypedPath<T, typename detail::MemberPointer<Member>::Value>(std::move(p));
    }

  private:
    static constexpr void check_ordered() {
        static_assert(ordered(),
                      "bloop: <, <=, >, >= and between need a column stored as S, N or B");
    }
    static constexpr bool ordered() {
        return detail::backing_in<V>({AttributeType::S, AttributeType::N, AttributeType::B});
    }
    template <class U>
    static constexpr bool operand_ok() {
        if constexpr (std::is_void_v<V>) {
            return false;  // an invalid path, already reported
        } else if constexpr (detail::is_typed_path_v<U>) {
            return std::is_same_v<typename U::model_type, T>;
        } else {
            return detail::ValueOf<V, U>;
        }
    }
    /// A value of a type this path accepts, or another path of the same model.
    template <class U>
    static constexpr void check_operand() {
        if constexpr (std::is_void_v<V>) {
            // an invalid path, already reported
        } else if constexpr (detail::is_typed_path_v<U>) {
            static_assert(std::is_same_v<typename U::model_type, T>,
                          "bloop: a condition compares a column with a column of another model");
        } else {
            static_assert(detail::ValueOf<V, U>,
                          "bloop: the value has the wrong type for this column (it must convert "
                          "to the column's C++ type without narrowing)");
        }
    }
    template <class U>
    Operand operand(const U& value) const {
        if constexpr (detail::is_typed_path_v<U>) {
            return Operand(value.path());
        } else {
            return Operand(detail::dump_as<V>(value));
        }
    }
    template <class U>
    ConditionOf<T> value_condition(Condition::Op op, const U& value) const {
        return ConditionOf<T>(Condition::compare(op, path(), {operand(value)}));
    }
    template <class W>
    ConditionOf<T> path_condition(Condition::Op op, const TypedPath<T, W>& other) const {
        return ConditionOf<T>(Condition::compare(op, path(), {Operand(other.path())}));
    }

    template <class U>
    ActionOf<T> value_action(UpdateAction::Kind kind, const U& value) const {
        static_assert(!detail::is_typed_path_v<U>,
                      "bloop: an update action takes a value, not another column");
        static_assert(detail::ValueOf<V, U>,
                      "bloop: the value given to the update action has the wrong type for this "
                      "column (it must convert to the column's C++ type without narrowing)");
        return ActionOf<T>(detail::make_action(kind, path(), detail::dump_as<V>(value)));
    }
    template <class E>
    ActionOf<T> elements_action(UpdateAction::Kind kind, std::initializer_list<E> elements) const {
        if constexpr (std::is_same_v<E, detail::NoElement>) {
            return ActionOf<T>(UpdateAction{kind, {}, {}});  // an invalid call, already reported
        } else {
            using W = detail::unoptional_t<V>;
            return ActionOf<T>(detail::make_action(
                kind, path(), TypeTraits<W>::dump(W(elements.begin(), elements.end()))));
        }
    }

    Path (*root_)() = nullptr;
    Path path_;
};

/// The path to a member kept in its model's key templates (single-table design). Conditions are
/// written on the member and become conditions on key attributes when sent:
/// `attr<&User::org> == "acme"` is `pk = "ORG#acme"` for `key<"pk", "ORG#{org}">`, and
/// `attr<&Order::date>.begins_with("2026")` is `begins_with(sk, "ORDER#2026")` for
/// `key<"sk", "ORDER#{date}#{id}">`. Equalities on leading placeholders, then one comparison on
/// the next (`<`, `<=`, `>`, `>=`, `between` only on a template's last placeholder).
template <class T, class V>
class KeyMemberPath {
  public:
    /// The model the path belongs to.
    using model_type = T;
    /// The member's C++ type.
    using value_type = V;

    /// The member's path, computed on first use.
    constexpr explicit KeyMemberPath(Path (*root)()) : root_(root) {}
    /// The runtime path (a key member path).
    [[nodiscard]] Path path() const { return root_(); }

    /// The member equals `value`.
    template <class U>
    [[nodiscard]] ConditionOf<T> operator==(const U& value) const {
        return compare(Condition::Op::eq, value);
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator<(const U& value) const {
        return compare(Condition::Op::lt, value);
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator<=(const U& value) const {
        return compare(Condition::Op::le, value);
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator>(const U& value) const {
        return compare(Condition::Op::gt, value);
    }
    template <class U>
    [[nodiscard]] ConditionOf<T> operator>=(const U& value) const {
        return compare(Condition::Op::ge, value);
    }
    /// The member lies between `low` and `high` (both included).
    template <class U1, class U2>
    [[nodiscard]] ConditionOf<T> between(const U1& low, const U2& high) const {
        check<U1>();
        check<U2>();
        return ConditionOf<T>(Condition::compare(
            Condition::Op::between, path(),
            {Operand(detail::dump_as<V>(low)), Operand(detail::dump_as<V>(high))}));
    }
    /// The member starts with `prefix` (string members).
    template <class U>
    [[nodiscard]] ConditionOf<T> begins_with(const U& prefix) const {
        static_assert(detail::path_backing<V> == AttributeType::S,
                      "bloop: begins_with on a key member needs a member stored as a string");
        return compare(Condition::Op::begins_with, prefix);
    }
    /// Does not compile: a key member takes ==, <, <=, >, >=, between and begins_with only.
    template <class U>
    ConditionOf<T> operator!=(const U&) const {
        static_assert(sizeof(U) == 0,
                      "bloop: a member kept in a key template takes ==, <, <=, >, >=, between and "
                      "begins_with only (its conditions are written on the key attribute)");
        return {};
    }

  private:
    template <class U>
    static constexpr void check() {
        static_assert(detail::ValueOf<V, U>,
                      "bloop: the value has the wrong type for this member (it must convert to "
                      "the member's C++ type without narrowing)");
    }
    template <class U>
    ConditionOf<T> compare(Condition::Op op, const U& value) const {
        check<U>();
        if constexpr (detail::ValueOf<V, U>) {
            return ConditionOf<T>(
                Condition::compare(op, path(), {Operand(detail::dump_as<V>(value))}));
        } else {
            return {};
        }
    }

    Path (*root_)() = nullptr;
};

namespace detail {
template <auto Member>
Path key_member_path() {
    using C = typename MemberPointer<Member>::Class;
    static constexpr std::string_view name = member_name<Member>();
    return Path::of_key_member(model_info<C>(), std::string(name));
}

/// Whether `Member` is kept in its model's key templates rather than stored as a column.
template <auto Member>
consteval bool is_template_member() {
    using C = typename MemberPointer<Member>::Class;
    if constexpr (SharedTableModel<C>) {
        return is_templated_member<C, member_index<C, Member>()>();
    } else {
        return false;
    }
}

template <auto Member>
constexpr auto make_attr() {
    using C = typename MemberPointer<Member>::Class;
    using V = typename MemberPointer<Member>::Value;
    if constexpr (is_template_member<Member>()) {
        return KeyMemberPath<C, V>(&key_member_path<Member>);
    } else {
        return TypedPath<C, V>(&column_path<Member>);
    }
}
}  // namespace detail

/// The path to the column of `Member`: `bloop::attr<&Account::email>` (a KeyMemberPath for a
/// member kept in key templates).
template <auto Member>
inline constexpr auto attr = detail::make_attr<Member>();

}  // namespace bloop
