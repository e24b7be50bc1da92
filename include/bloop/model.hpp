#pragma once
/// \file
/// Models: plain structs mapped to DynamoDB items by a `bloop::Model<T>` specialization beside
/// them.
///
/// ```cpp
/// struct Account {
///     bloop::Uuid id;
///     std::string name;
///     std::string email;
///     bloop::ObjectState state;  // optional: exact save tracking
/// };
/// template <> struct bloop::Model<Account> {
///     static constexpr bloop::Meta meta{.stream = bloop::StreamView::new_and_old_images};
///     static constexpr auto columns = bloop::columns(bloop::column<&Account::id>().hash_key(),
///                                                    bloop::column<&Account::name>(),
///                                                    bloop::column<&Account::email>("e"));
///     static constexpr auto by_email =
///         bloop::global_index("by_email").hash_key<&Account::email>().projection(bloop::keys_only);
///     static constexpr auto indexes = bloop::indexes(by_email);
///     static constexpr auto state = &Account::state;
/// };
/// ```
///
/// A model with `meta` is a table model. A model without `meta` is a document: a struct stored as
/// an M value with exactly its declared columns (bloop's `Map(**types)`).

#include <bloop/column.hpp>
#include <bloop/index.hpp>
#include <bloop/meta.hpp>
#include <bloop/model_info.hpp>
#include <bloop/object_state.hpp>
#include <bloop/signal.hpp>
#include <bloop/type_traits.hpp>

#include <atomic>

#include <span>
#include <tuple>
#include <type_traits>

namespace bloop {

/// Specialize for each model struct (see the file comment). Members: `columns` (required),
/// `meta` (table models), `indexes`, `state`.
template <class T>
struct Model;

/// A struct with a Model specialization.
template <class T>
concept Modeled = requires {
    Model<T>::columns;
};

/// A Modeled struct that is stored in its own table (has `meta`).
template <class T>
concept TableModel = Modeled<T> && requires {
    Model<T>::meta;
};

namespace detail {

template <class T>
constexpr Meta meta_of() {
    if constexpr (requires { Model<T>::meta; }) {
        return Model<T>::meta;
    } else {
        return Meta{};
    }
}

template <class T>
constexpr auto indexes_of() {
    if constexpr (requires { Model<T>::indexes; }) {
        return Model<T>::indexes;
    } else {
        return std::tuple<>{};
    }
}

template <class T, auto Member>
consteval bool is_column_of() {
    if constexpr (std::is_null_pointer_v<decltype(Member)>) {
        return false;
    } else {
        return std::apply(
            [](auto... c) { return (false || ... || same_member<decltype(c)::member, Member>()); },
            Model<T>::columns);
    }
}

/// The name of `Member`'s column in T's model (it may have been renamed with `named`).
template <class T, auto Member>
consteval std::string_view column_name_of() {
    std::string_view found;
    std::apply(
        [&](auto... c) {
            ((same_member<decltype(c)::member, Member>() ? (found = c.name, 0) : 0), ...);
        },
        Model<T>::columns);
    return found;
}

template <class T>
consteval int count_hash_keys() {
    return std::apply([](auto... c) { return (0 + ... + (c.is_hash_key ? 1 : 0)); },
                      Model<T>::columns);
}

template <class T>
consteval int count_range_keys() {
    return std::apply([](auto... c) { return (0 + ... + (c.is_range_key ? 1 : 0)); },
                      Model<T>::columns);
}

template <class T>
consteval bool some_column_is_both_keys() {
    return std::apply([](auto... c) { return (false || ... || (c.is_hash_key && c.is_range_key)); },
                      Model<T>::columns);
}

template <class T>
consteval bool key_columns_have_key_types() {
    return std::apply(
        [](auto... c) {
            return (
                true && ... &&
                (!(c.is_hash_key || c.is_range_key) || is_key_type<typename decltype(c)::Value>));
        },
        Model<T>::columns);
}

template <auto Member>
consteval bool is_key_member() {
    if constexpr (std::is_null_pointer_v<decltype(Member)>) {
        return true;
    } else {
        return is_key_type<typename MemberPointer<Member>::Value>;
    }
}

template <class T, class P>
struct ProjectionColumns : std::true_type {};
template <class T, auto... Members>
struct ProjectionColumns<T, Include<Members...>>
    : std::bool_constant<(true && ... && is_column_of<T, Members>())> {};

template <class T, class Ix>
consteval bool check_index() {
    static_assert(!std::is_void_v<typename Ix::projection_type>,
                  "bloop: an index needs a projection: .projection(bloop::keys_only), "
                  ".projection(bloop::all_attributes) or .projection(bloop::include<...>)");
    if constexpr (Ix::kind == IndexKind::global) {
        static_assert(!std::is_null_pointer_v<decltype(Ix::hash_member)>,
                      "bloop: a global secondary index needs a hash key: .hash_key<&T::member>()");
        static_assert(is_column_of<T, Ix::hash_member>(),
                      "bloop: an index's hash key is not a column of the model");
    } else {
        static_assert(!std::is_null_pointer_v<decltype(Ix::range_member)>,
                      "bloop: a local secondary index needs a range key: .range_key<&T::member>()");
        static_assert(count_range_keys<T>() == 1,
                      "bloop: An LSI requires the Model to have a range key.");
    }
    static_assert(
        std::is_null_pointer_v<decltype(Ix::range_member)> || is_column_of<T, Ix::range_member>(),
        "bloop: an index's range key is not a column of the model");
    static_assert(is_key_member<Ix::hash_member>() && is_key_member<Ix::range_member>(),
                  "bloop: index keys must be stored as S, N or B");
    static_assert(ProjectionColumns<T, typename Ix::projection_type>::value,
                  "bloop: an index projects a member that is not a column of the model");
    return true;
}

/// The compile-time half of bloop's model rules; finalize_model checks the rest at run time.
template <class T>
consteval bool check_model() {
    if constexpr (TableModel<T>) {
        if constexpr (!meta_of<T>().abstract) {
            static_assert(count_hash_keys<T>() >= 1,
                          "bloop: the model has no hash key: mark a column .hash_key()");
            static_assert(count_hash_keys<T>() <= 1, "bloop: the model has more than one hash key");
            static_assert(count_range_keys<T>() <= 1,
                          "bloop: the model has more than one range key");
            static_assert(!some_column_is_both_keys<T>(),
                          "bloop: the model has the same hash and range key");
            static_assert(key_columns_have_key_types<T>(),
                          "bloop: key columns must be stored as S, N or B");
            std::apply([](auto... ix) { return (true && ... && check_index<T, decltype(ix)>()); },
                       indexes_of<T>());
        }
    } else {
        static_assert(std::tuple_size_v<decltype(indexes_of<T>())> == 0,
                      "bloop: a document (a model without meta) cannot have indexes");
    }
    if constexpr (requires { Model<T>::state; }) {
        static_assert(
            std::is_same_v<std::remove_cvref_t<decltype(Model<T>::state)>, ObjectState T::*>,
            "bloop: Model<T>::state must point to a bloop::ObjectState member of T");
    }
    return true;
}

template <auto Member>
std::optional<AttributeValue> dump_member(const void* object) {
    using P = MemberPointer<Member>;
    return TypeTraits<typename P::Value>::dump(
        static_cast<const typename P::Class*>(object)->*Member);
}
template <auto Member>
void load_member(void* object, AttributeValue&& wire) {
    using P = MemberPointer<Member>;
    static_cast<typename P::Class*>(object)->*Member =
        TypeTraits<typename P::Value>::load(std::move(wire));
}
template <auto Member>
void reset_member(void* object) {
    using P = MemberPointer<Member>;
    static_cast<typename P::Class*>(object)->*Member = TypeTraits<typename P::Value>::missing();
}
template <class T>
ObjectState* state_member(void* object) {
    return &(static_cast<T*>(object)->*Model<T>::state);
}

template <auto Member>
ColumnInfo lower_column(const Column<Member>& c) {
    using V = typename Column<Member>::Value;
    ColumnInfo info;
    info.name = std::string(c.name);
    info.dynamo_name = std::string(c.dynamo_name);
    info.backing = TypeTraits<V>::backing;
    info.dynamic = is_dynamic_type<V>;
    info.hash_key = c.is_hash_key;
    info.range_key = c.is_range_key;
    info.dump = &dump_member<Member>;
    info.load = &load_member<Member>;
    info.reset = &reset_member<Member>;
    return info;
}

template <class T, auto... Members>
void add_include_columns(IndexInfo& info, Include<Members...>) {
    (info.include_columns.emplace_back(column_name_of<T, Members>()), ...);
}

template <class P>
constexpr ProjectionMode projection_mode() {
    if constexpr (std::is_same_v<P, KeysOnly>) {
        return ProjectionMode::keys;
    } else if constexpr (std::is_same_v<P, AllAttributes>) {
        return ProjectionMode::all;
    } else {
        return ProjectionMode::include;
    }
}

template <class T, IndexKind Kind, auto Hash, auto Range, class P>
IndexInfo lower_index(const Index<Kind, Hash, Range, P>& ix) {
    IndexInfo info;
    info.kind = Kind;
    info.name = std::string(ix.name);
    info.dynamo_name = std::string(ix.dynamo_name);
    if constexpr (!std::is_null_pointer_v<decltype(Hash)>)
        info.hash_key_column = std::string(column_name_of<T, Hash>());
    if constexpr (!std::is_null_pointer_v<decltype(Range)>)
        info.range_key_column = std::string(column_name_of<T, Range>());
    info.projection_mode = projection_mode<P>();
    if constexpr (projection_mode<P>() == ProjectionMode::include)
        add_include_columns<T>(info, P{});
    info.read_units = ix.read_units_value;
    info.write_units = ix.write_units_value;
    info.strict = ix.strict_value;
    return info;
}

template <class T>
ModelInfo lower_model() {
    static_assert(check_model<T>());
    constexpr Meta meta = meta_of<T>();
    ModelInfo info;
    info.name = std::string(type_name<T>());
    info.table_name = std::string(meta.table_name);
    info.abstract = meta.abstract;
    info.document = !TableModel<T>;
    info.stream = meta.stream;
    info.read_units = meta.read_units;
    info.write_units = meta.write_units;
    std::apply([&](const auto&... c) { (info.columns.push_back(lower_column(c)), ...); },
               Model<T>::columns);
    std::apply([&](const auto&... ix) { (info.indexes.push_back(lower_index<T>(ix)), ...); },
               indexes_of<T>());
    if constexpr (requires { Model<T>::state; }) info.state = &state_member<T>;
    finalize_model(info);
    return info;
}

/// Dumps every column of `object` (skipping no-value ones) in DynamoDB-name order. Errors name
/// the model and column.
Item dump_columns(const ModelInfo& info, const void* object);
/// Loads `columns` (ascending indices) of `object` from `item`: present attributes are loaded,
/// absent ones reset to their missing value. Errors name the model and column.
void load_columns(const ModelInfo& info, void* object, Item&& item,
                  std::span<const std::size_t> columns);
/// As load_columns; a model with an ObjectState also marks `columns` known and snapshots them as
/// they were stored (other known columns keep their snapshot).
void load_and_sync(const ModelInfo& info, void* object, Item&& item,
                   std::span<const std::size_t> columns);
/// After a save of `columns`: marks them known and snapshots every known column's dumped value.
void sync_state(const ModelInfo& info, void* object, std::span<const std::size_t> columns);

}  // namespace detail

/// The runtime description of `T`, lowered and validated once (thread-safe). Rules the type system
/// can see fail to compile; the rest throw InvalidModel / InvalidIndex on first use.
/// Fires once for each model, right after it is first lowered (bloop's model_created). Global:
/// connect before the models are first used.
Signal<const ModelInfo&>& model_created();

template <Modeled T>
[[nodiscard]] const ModelInfo& model_info() {
    static const ModelInfo info = detail::lower_model<T>();
    // Announced after the initialization and without a lock held, so receivers may use the model.
    static std::atomic<bool> announced{false};
    if (!announced.load(std::memory_order_acquire) && !announced.exchange(true))
        model_created().emit(info);
    return info;
}

/// The item `object` stores: every column with a value, by DynamoDB name.
template <Modeled T>
[[nodiscard]] Item dump_item(const T& object) {
    return detail::dump_columns(model_info<T>(), &object);
}

/// The object an item holds: each column loaded from its attribute, or its missing value when
/// absent. A model with an ObjectState comes back synced with `item` (every column known).
template <Modeled T>
[[nodiscard]] T load_item(Item item) {
    const ModelInfo& info = model_info<T>();
    T object{};
    detail::load_and_sync(info, &object, std::move(item), info.projection.available);
    return object;
}

/// A document model (one without `meta`) ↔ M with exactly its declared columns. Undeclared keys
/// are ignored on load; missing ones load as their column's missing value.
template <class T>
requires(Modeled<T> && !TableModel<T>) struct TypeTraits<T> {
    static constexpr AttributeType backing = AttributeType::M;
    static std::optional<AttributeValue> dump(const T& value) {
        Item item = dump_item(value);
        if (item.empty()) return std::nullopt;
        return AttributeValue::map(std::move(item));
    }
    static T load(AttributeValue&& wire) {
        const ModelInfo& info = model_info<T>();
        T out{};
        detail::load_columns(info, &out, std::move(wire.as_map()), info.projection.available);
        return out;
    }
    static T missing() {
        const ModelInfo& info = model_info<T>();
        T out{};
        for (const auto& c : info.columns) c.reset(&out);
        return out;
    }
};

}  // namespace bloop
