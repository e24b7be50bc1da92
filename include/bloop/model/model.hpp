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

#include <bloop/exceptions.hpp>
#include <bloop/model/column.hpp>
#include <bloop/model/detail/entity_columns.hpp>
#include <bloop/model/detail/reflect.hpp>
#include <bloop/model/index.hpp>
#include <bloop/model/meta.hpp>
#include <bloop/model/model_info.hpp>
#include <bloop/model/object_state.hpp>
#include <bloop/model/single_table.hpp>
#include <bloop/signal.hpp>
#include <bloop/types/type_traits.hpp>

#include <atomic>

#include <span>
#include <tuple>
#include <type_traits>

namespace bloop {

/// Specialize for each model struct (see the file comment). Every member is optional: `meta`
/// (table models), `hash_key` / `range_key` (member pointers), `column_options`, `indexes`; or
/// the explicit form: `columns` (every stored member) and `state`.
template <class T>
struct Model;

/// A struct with a Model specialization.
template <class T>
concept Modeled = requires {
    sizeof(Model<T>);
};

/// A Modeled struct that is stored in a table: its own (`meta`) or a shared one (`using table`).
template <class T>
concept TableModel = Modeled<T> &&(
    requires { Model<T>::meta; } || requires { Model<T>::table::meta; });

namespace detail {

/// Column I of aggregate T, derived from the struct: named after the member.
template <class T, std::size_t I>
struct Field : ColumnSpec<Field<T, I>> {
    using Class = T;
    using Value = member_type_t<T, I>;
    constexpr Field() : ColumnSpec<Field>{member_name_at<T, I>(), member_name_at<T, I>()} {}

    template <auto M>
    static consteval bool is() {
        if constexpr (std::is_member_object_pointer_v<decltype(M)>) {
            if constexpr (std::is_same_v<typename MemberPointer<M>::Class, T>) {
                return member_index<T, M>() == I;
            }
        }
        return false;
    }
    static Value& get(T& object) noexcept { return member_at<I>(object); }
    static const Value& get(const T& object) noexcept { return member_at<I>(object); }
};

template <class T>
constexpr auto column_options_of() {
    if constexpr (requires { Model<T>::column_options; }) {
        return Model<T>::column_options;
    } else {
        return std::tuple<>{};
    }
}

template <class T, std::size_t I>
constexpr bool is_state_member() {
    return std::is_same_v<std::remove_cv_t<member_type_t<T, I>>, ObjectState>;
}

template <class T, std::size_t... I>
constexpr std::size_t state_index(std::index_sequence<I...>) {
    std::size_t found = sizeof...(I);
    ((is_state_member<T, I>() && found == sizeof...(I) ? (found = I, 0) : 0), ...);
    return found;
}
template <class T, std::size_t... I>
constexpr std::size_t count_state_members(std::index_sequence<I...>) {
    return (0 + ... + (is_state_member<T, I>() ? 1 : 0));
}

/// Whether T's objects carry an ObjectState: named in `Model<T>::state`, or (derived columns) a
/// member of that type.
template <class T>
constexpr bool has_state() {
    if constexpr (requires { Model<T>::state; }) {
        return true;
    } else if constexpr (requires { Model<T>::columns; }) {
        return false;
    } else {
        return count_state_members<T>(std::make_index_sequence<member_count<T>()>{}) > 0;
    }
}

template <class T>
ObjectState* state_member(void* object) {
    T& o = *static_cast<T*>(object);
    if constexpr (requires { Model<T>::state; }) {
        return &(o.*Model<T>::state);
    } else {
        return &member_at<state_index<T>(std::make_index_sequence<member_count<T>()>{})>(o);
    }
}

/// Whether member I of T is a column: not an ObjectState, not marked not_stored, not kept in a
/// key template.
template <class T, std::size_t I>
constexpr bool is_stored_member() {
    if constexpr (is_state_member<T, I>() || is_key_only_member<T, I>()) {
        return false;
    } else {
        return std::apply(
            [](auto... o) {
                return (true && ... &&
                        !(is_not_stored_v<decltype(o)> && decltype(o)::template is_index<T, I>()));
            },
            column_options_of<T>());
    }
}

template <class T, std::size_t I>
constexpr Field<T, I> derive_field() {
    Field<T, I> f;
    if constexpr (requires { Model<T>::hash_key; }) {
        if constexpr (Field<T, I>::template is<Model<T>::hash_key>()) f.is_hash_key = true;
    }
    if constexpr (requires { Model<T>::range_key; }) {
        if constexpr (Field<T, I>::template is<Model<T>::range_key>()) f.is_range_key = true;
    }
    std::apply(
        [&](auto... o) {
            (
                [&](auto option) {
                    if constexpr (!is_not_stored_v<decltype(option)> &&
                                  !is_also_stored_v<decltype(option)>) {
                        if constexpr (decltype(option)::template is_index<T, I>()) {
                            f.name = option.name;
                            f.dynamo_name = option.dynamo_name;
                            f.is_hash_key = f.is_hash_key || option.is_hash_key;
                            f.is_range_key = f.is_range_key || option.is_range_key;
                        }
                    }
                }(o),
                ...);
        },
        column_options_of<T>());
    return f;
}

template <class T, std::size_t... I>
constexpr bool stored_members_are_storable(std::index_sequence<I...>) {
    return (true && ... && (!is_stored_member<T, I>() || Storable<member_type_t<T, I>>));
}

template <class T, std::size_t... I>
constexpr auto stored_fields(std::index_sequence<I...>) {
    // A member that cannot be stored is reported once by check_model, not here.
    return std::tuple_cat([] {
        if constexpr (is_stored_member<T, I>() && Storable<member_type_t<T, I>>) {
            return std::tuple<Field<T, I>>{derive_field<T, I>()};
        } else {
            return std::tuple<>{};
        }
    }()...);
}

template <class T>
constexpr auto derive_columns() {
    static_assert(std::is_aggregate_v<T> && !std::is_polymorphic_v<T>,
                  "bloop: columns are derived only from an aggregate struct (public members, no "
                  "constructors, no base classes); otherwise list them in Model<T>::columns");
    static_assert(member_count<T>() <= kMaxReflectedMembers,
                  "bloop: too many members to derive columns from; list them in Model<T>::columns");
    return stored_fields<T>(std::make_index_sequence<member_count<T>()>{});
}

/// The columns of T's model: `Model<T>::columns` when given, else derived from the struct.
template <class T>
constexpr auto columns_of() {
    if constexpr (requires { Model<T>::columns; }) {
        return Model<T>::columns;
    } else if constexpr (SharedTableModel<T>) {
        return std::tuple_cat(derive_columns<T>(), entity_columns<T>());
    } else {
        return derive_columns<T>();
    }
}

template <class T>
constexpr Meta meta_of() {
    if constexpr (SharedTableModel<T>) {
        return Model<T>::table::meta;
    } else if constexpr (requires { Model<T>::meta; }) {
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
            [](auto... c) { return (false || ... || decltype(c)::template is<Member>()); },
            columns_of<T>());
    }
}

/// The name of `Member`'s column in T's model (it may have been renamed with `named`).
template <class T, auto Member>
consteval std::string_view column_name_of() {
    std::string_view found;
    std::apply(
        [&](auto... c) { ((decltype(c)::template is<Member>() ? (found = c.name, 0) : 0), ...); },
        columns_of<T>());
    return found;
}

/// Whether `Member` is the column of one of the table's keys.
template <class T, auto Member>
consteval bool is_key_column() {
    return std::apply(
        [](auto... c) {
            return (false || ... ||
                    (decltype(c)::template is<Member>() && (c.is_hash_key || c.is_range_key)));
        },
        columns_of<T>());
}

template <class T>
consteval int count_hash_keys() {
    return std::apply([](auto... c) { return (0 + ... + (c.is_hash_key ? 1 : 0)); },
                      columns_of<T>());
}

template <class T>
consteval int count_range_keys() {
    return std::apply([](auto... c) { return (0 + ... + (c.is_range_key ? 1 : 0)); },
                      columns_of<T>());
}

template <class T>
consteval bool some_column_is_both_keys() {
    return std::apply([](auto... c) { return (false || ... || (c.is_hash_key && c.is_range_key)); },
                      columns_of<T>());
}

template <class T>
consteval bool key_columns_have_key_types() {
    return std::apply(
        [](auto... c) {
            return (
                true && ... &&
                (!(c.is_hash_key || c.is_range_key) || is_key_type<typename decltype(c)::Value>));
        },
        columns_of<T>());
}

template <auto Member>
consteval bool is_key_member() {
    if constexpr (std::is_null_pointer_v<decltype(Member)>) {
        return true;
    } else {
        return is_key_type<typename MemberPointer<Member>::Value>;
    }
}

/// The further members of a multi-attribute key: all columns of T with key types, at most three.
template <class T, class L>
struct MoreKeyMembers;
template <class T, auto... Members>
struct MoreKeyMembers<T, KeyList<Members...>> {
    static constexpr std::size_t size = sizeof...(Members);
    static constexpr bool columns = (true && ... && is_column_of<T, Members>());
    static constexpr bool key_types = (true && ... && is_key_member<Members>());
    static void add(std::vector<std::string>& names) {
        (names.emplace_back(column_name_of<T, Members>()), ...);
    }
};

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
    using MoreHash = MoreKeyMembers<T, typename Ix::more_hash_type>;
    using MoreRange = MoreKeyMembers<T, typename Ix::more_range_type>;
    static_assert(Ix::kind == IndexKind::global || MoreRange::size == 0,
                  "bloop: only a GSI can have a multi-attribute key");
    static_assert(MoreHash::size <= 3 && MoreRange::size <= 3,
                  "bloop: a multi-attribute GSI key has at most 4 hash and 4 range members");
    static_assert(MoreHash::columns && MoreRange::columns,
                  "bloop: a member of an index's multi-attribute key is not a column of the model");
    static_assert(MoreHash::key_types && MoreRange::key_types,
                  "bloop: index keys must be stored as S, N or B");
    return true;
}

template <class T, class... Ix>
consteval bool check_indexes(std::tuple<Ix...>) {
    return (true && ... && check_index<T, Ix>());
}

/// The compile-time half of bloop's model rules; finalize_model checks the rest at run time.
template <class T>
consteval bool check_model() {
    if constexpr (requires { Model<T>::version; }) {
        static_assert(TableModel<T>, "bloop: only a table model can have a version column");
        static_assert(std::is_member_object_pointer_v<decltype(Model<T>::version)>,
                      "bloop: Model<T>::version must point to a data member, e.g. &T::version");
        if constexpr (std::is_member_object_pointer_v<decltype(Model<T>::version)>) {
            using V = typename MemberPointer<Model<T>::version>::Value;
            static_assert(std::is_integral_v<V> && !std::is_same_v<V, bool>,
                          "bloop: a version column must be an integer (e.g. std::int64_t)");
            static_assert(is_column_of<T, Model<T>::version>(),
                          "bloop: Model<T>::version must point to a stored column of T");
            static_assert(!is_key_column<T, Model<T>::version>(),
                          "bloop: a version column cannot be a key of the table");
        }
    }
    if constexpr (requires { Model<T>::ttl; }) {
        static_assert(TableModel<T>, "bloop: only a table model can have a TTL column");
        static_assert(std::is_member_object_pointer_v<decltype(Model<T>::ttl)>,
                      "bloop: Model<T>::ttl must point to a data member, e.g. &T::expires");
        if constexpr (std::is_member_object_pointer_v<decltype(Model<T>::ttl)>) {
            using V = typename MemberPointer<Model<T>::ttl>::Value;
            static_assert(
                std::is_same_v<V, Timestamp> || std::is_same_v<V, std::optional<Timestamp>>,
                "bloop: a TTL column must be a bloop::Timestamp (epoch seconds)");
            static_assert(is_column_of<T, Model<T>::ttl>(),
                          "bloop: Model<T>::ttl must point to a stored column of T");
            static_assert(!is_key_column<T, Model<T>::ttl>(),
                          "bloop: a TTL column cannot be a key of the table");
        }
    }
    if constexpr (SharedTableModel<T>) static_assert(check_entity<T>());
    if constexpr (requires { Model<T>::columns; }) {
        static_assert(
            !requires { Model<T>::hash_key; } && !requires { Model<T>::range_key; } &&
                !requires { Model<T>::column_options; },
            "bloop: a model lists Model<T>::columns or derives them (hash_key, range_key, "
            "column_options), not both: mark keys in columns with .hash_key()");
    } else {
        static_assert(
            stored_members_are_storable<T>(std::make_index_sequence<member_count<T>()>{}),
            "bloop: a member of this model has a C++ type with no bloop::TypeTraits "
            "specialization, so it cannot be stored: give the type TypeTraits or list the member "
            "in Model<T>::column_options as bloop::not_stored<&T::member>");
        static_assert(count_state_members<T>(std::make_index_sequence<member_count<T>()>{}) <= 1,
                      "bloop: a model has at most one bloop::ObjectState member");
        if constexpr (requires { Model<T>::hash_key; }) {
            static_assert(is_column_of<T, Model<T>::hash_key>(),
                          "bloop: Model<T>::hash_key must point to a stored member of T");
        }
        if constexpr (requires { Model<T>::range_key; }) {
            static_assert(is_column_of<T, Model<T>::range_key>(),
                          "bloop: Model<T>::range_key must point to a stored member of T");
        }
        std::apply(
            [](auto... o) {
                static_assert((true && ... && std::is_same_v<typename decltype(o)::Class, T>),
                              "bloop: Model<T>::column_options names a member of another struct");
            },
            column_options_of<T>());
    }
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
            static_assert(check_indexes<T>(indexes_of<T>()));
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

template <class C>
std::optional<AttributeValue> dump_column(const void* object) {
    return TypeTraits<typename C::Value>::dump(
        C::get(*static_cast<const typename C::Class*>(object)));
}
template <class C>
void load_column(void* object, AttributeValue&& wire) {
    C::get(*static_cast<typename C::Class*>(object)) =
        TypeTraits<typename C::Value>::load(std::move(wire));
}
template <class C>
void reset_column(void* object) {
    C::get(*static_cast<typename C::Class*>(object)) = TypeTraits<typename C::Value>::missing();
}

/// The runtime's untyped door to a model's accessors (the engine holds objects as addresses).
struct ModelAccess {
    static std::optional<AttributeValue> dump(const ColumnInfo& c, const void* object) {
        return c.access.dump_(object);
    }
    static void load(const ColumnInfo& c, void* object, AttributeValue&& wire) {
        c.access.load_(object, std::move(wire));
    }
    static void reset(const ColumnInfo& c, void* object) { c.access.reset_(object); }
    /// The ObjectState of `object`, nullptr when the model has none.
    static ObjectState* state(const ModelInfo& m, void* object) {
        return m.state.state_ != nullptr ? m.state.state_(object) : nullptr;
    }
    template <class C>
    static void set_column(ColumnInfo& info) {
        info.access.dump_ = &dump_column<C>;
        info.access.load_ = &load_column<C>;
        info.access.reset_ = &reset_column<C>;
    }
    template <class T>
    static void set_state(ModelInfo& info) {
        info.state.state_ = &state_member<T>;
    }
    template <class Ix>
    static void set_declaration(IndexInfo& info) {
        info.declared_by.at_ = Ix::declaring_member;
    }
    /// A column computed by C's own functions (key templates, the entity type).
    template <class C>
    static void set_computed(ColumnInfo& info) {
        info.access.dump_ = &C::dump;
        info.access.load_ = &C::load;
        info.access.reset_ = &C::reset;
    }
    /// A shared table's index, declared by the TableIndex at `declaration`.
    static void set_declaration(IndexInfo& info, const TableIndex* declaration) {
        info.declared_by.at_ = declaration;
    }
};

template <class C>
ColumnInfo lower_column(const C& c) {
    using V = typename C::Value;
    ColumnInfo info;
    info.name = std::string(c.name);
    info.dynamo_name = std::string(c.dynamo_name);
    info.backing = TypeTraits<V>::backing;
    info.dynamic = is_dynamic_type<V>;
    info.hash_key = c.is_hash_key;
    info.range_key = c.is_range_key;
    if constexpr (requires { &C::dump; }) {
        ModelAccess::set_computed<C>(info);
        info.absent = is_absent_column_v<C>;
    } else {
        ModelAccess::set_column<C>(info);
    }
    return info;
}

/// The index of a shared table that `declaration` describes, for one of its models (a keys-only
/// one also projects `entity_attribute`).
IndexInfo lower_table_index(const TableIndex& declaration, std::string_view entity_attribute);

/// Fills what a model of a shared table knows beyond its columns: its entity type, its key
/// templates, the table's indexes.
template <class T>
void lower_entity(ModelInfo& info) {
    using Table = typename Model<T>::table;
    constexpr EntityTypes types = entity_types_of<Table>();
    EntityInfo entity;
    entity.name = std::string(entity_name_of<T>());
    entity.attribute = std::string(types.attribute);
    entity.version_attribute = std::string(types.version_attribute);
    entity.unknown = types.unknown;
    if constexpr (requires { Model<T>::entity; }) entity.version = Model<T>::entity.version;
    entity.column = *info.column_index(types.attribute);
    info.entity = std::move(entity);
    std::apply(
        [&](auto... k) {
            ((info.key_templates.push_back(TemplateColumn<T, decltype(k)>::describe()),
              info.key_templates.back().column = *info.column_index(decltype(k)::attribute)),
             ...);
        },
        key_templates_of<T>());
    for (const TableIndex* ix : table_indexes_of<Table>()) {
        info.indexes.push_back(lower_table_index(*ix, types.attribute));
        ModelAccess::set_declaration(info.indexes.back(), ix);
    }
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

template <class T, class Ix>
IndexInfo lower_index(const Ix& ix) {
    constexpr IndexKind Kind = Ix::kind;
    constexpr auto Hash = Ix::hash_member;
    constexpr auto Range = Ix::range_member;
    using P = typename Ix::projection_type;
    IndexInfo info;
    info.kind = Kind;
    info.name = std::string(ix.name);
    info.dynamo_name = std::string(ix.dynamo_name);
    if constexpr (!std::is_null_pointer_v<decltype(Hash)>)
        info.hash_key_column = std::string(column_name_of<T, Hash>());
    if constexpr (!std::is_null_pointer_v<decltype(Range)>)
        info.range_key_column = std::string(column_name_of<T, Range>());
    MoreKeyMembers<T, typename Ix::more_hash_type>::add(info.more_hash_columns);
    MoreKeyMembers<T, typename Ix::more_range_type>::add(info.more_range_columns);
    info.projection_mode = projection_mode<P>();
    if constexpr (projection_mode<P>() == ProjectionMode::include)
        add_include_columns<T>(info, P{});
    info.read_units = ix.read_units_value;
    info.write_units = ix.write_units_value;
    info.strict = ix.strict_value;
    if constexpr (requires { Ix::declaring_member; }) ModelAccess::set_declaration<Ix>(info);
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
               columns_of<T>());
    std::apply([&](const auto&... ix) { (info.indexes.push_back(lower_index<T>(ix)), ...); },
               indexes_of<T>());
    if constexpr (SharedTableModel<T>) lower_entity<T>(info);
    if constexpr (has_state<T>()) ModelAccess::set_state<T>(info);
    if constexpr (requires { Model<T>::version; })
        info.version = info.column_index(column_name_of<T, Model<T>::version>());
    if constexpr (requires { Model<T>::ttl; })
        info.ttl = info.column_index(column_name_of<T, Model<T>::ttl>());
    info.billing = meta.billing;
    info.deletion_protection = meta.deletion_protection;
    if (meta.encryption)
        info.encryption = {meta.encryption->kms, std::string(meta.encryption->kms_key)};
    info.point_in_time_recovery = meta.point_in_time_recovery;
    info.table_class = meta.table_class;
    for (const TableTag& t : meta.tags) info.tags.emplace_back(t.key, t.value);
    finalize_model(info);
    return info;
}

/// Dumps every column of `object` (skipping no-value ones) in DynamoDB-name order. Errors name
/// the model and column.
Item dump_columns(const ModelInfo& info, const void* object);
/// Throws InvalidModel when models of one shared table have the same entity type name, or sort
/// key templates whose fixed text begins alike under overlapping partition keys.
void check_shared_tables(std::span<const ModelInfo* const> models);
/// Throws WrongEntity (naming the table, the key and both entities) when `item` carries another
/// entity type than `info`'s.
void check_entity(const ModelInfo& info, const Item& item);
/// Loads `columns` (ascending indices) of `object` from `item`: present attributes are loaded,
/// absent ones reset to their missing value. Errors name the model and column.
void load_columns(const ModelInfo& info, void* object, Item&& item,
                  std::span<const std::size_t> columns);
/// As load_columns; a model with an ObjectState also marks `columns` known and snapshots them as
/// they were stored (other known columns keep their snapshot).
void load_and_sync(const ModelInfo& info, void* object, Item&& item,
                   std::span<const std::size_t> columns);
/// After a save of `columns`: marks them known (and `unknown` no longer known: their stored value
/// was changed relative to itself) and snapshots every known column's dumped value. Values the
/// save dumped already may be given in `dumped` (by DynamoDB name): they are moved, not dumped
/// again.
void sync_state(const ModelInfo& info, void* object, std::span<const std::size_t> columns,
                std::span<const std::size_t> unknown = {}, AttributeMap* dumped = nullptr);

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

namespace detail {
/// Throws InvalidArgument unless `model` is T's.
template <class T>
void require_model_of(const ModelInfo& model) {
    if (&model != &model_info<T>()) {
        throw InvalidArgument("an object of '" + model_info<T>().name + "' is not one of model '" +
                              model.name + "'");
    }
}
}  // namespace detail

template <class T>
std::optional<AttributeValue> ModelInfo::dump(std::size_t column, const T& object) const {
    detail::require_model_of<T>(*this);
    return detail::ModelAccess::dump(columns.at(column), &object);
}

template <class T>
void ModelInfo::load(std::size_t column, T& object, AttributeValue value) const {
    detail::require_model_of<T>(*this);
    detail::ModelAccess::load(columns.at(column), &object, std::move(value));
}

template <class T>
ObjectState* ModelInfo::state_of(T& object) const {
    detail::require_model_of<T>(*this);
    return detail::ModelAccess::state(*this, &object);
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
        for (const auto& c : info.columns) detail::ModelAccess::reset(c, &out);
        return out;
    }
};

}  // namespace bloop
