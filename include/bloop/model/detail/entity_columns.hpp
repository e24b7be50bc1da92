#pragma once
// The columns a model of a shared table has beyond its members: one per key template (rendered
// from members on dump, parsed back into them on load), the entity type (and version), and the
// table's index keys it never writes. Included by model/model.hpp.

#include <bloop/model/column.hpp>
#include <bloop/model/detail/reflect.hpp>
#include <bloop/model/model_info.hpp>
#include <bloop/model/single_table.hpp>
#include <bloop/types/type_traits.hpp>

#include <array>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace bloop {

template <class T>
struct Model;

namespace detail {

/// Appends placeholder `i` of `key` holding `value` (S, or N for a width) to `out`, as it is
/// written in the key. Throws InvalidValue as render_key.
void append_placeholder(std::string& out, const KeyTemplateInfo& key, std::size_t i,
                        const AttributeValue& value);
/// `values` (one per placeholder, S or N as dumped) put into the template; nullopt when one has
/// no value (a sparse index key). Throws InvalidValue when a value holds the first character of
/// the fixed text after it, or an integer is negative or wider than its placeholder.
std::optional<AttributeValue> render_key(const KeyTemplateInfo& key,
                                         std::span<const std::optional<AttributeValue>> values);
/// The placeholders' values in `stored` (S for strings, N for integers) into `out`. Throws
/// InvalidValue naming the table, the attribute, the stored value and the template when `stored`
/// does not match it.
void parse_key(const KeyTemplateInfo& key, std::string_view table, std::string_view model,
               const AttributeValue& stored, std::span<AttributeValue> out);

/// A model whose table is declared apart and shared (`using table = App;` in its Model).
template <class T>
concept SharedTableModel = requires {
    typename Model<T>::table;
};

template <class T>
constexpr auto key_templates_of() {
    if constexpr (requires { Model<T>::keys; }) {
        return Model<T>::keys;
    } else {
        return std::tuple<>{};
    }
}

template <class Table>
constexpr EntityTypes entity_types_of() {
    if constexpr (requires { Table::entities; }) {
        return Table::entities;
    } else {
        return EntityTypes{};
    }
}

template <class Table>
constexpr auto table_indexes_of() {
    if constexpr (requires { Table::indexes; }) {
        return Table::indexes;
    } else {
        return std::array<const TableIndex*, 0>{};
    }
}

/// The index of T's member named `name`; member_count<T>() when none.
template <class T>
consteval std::size_t member_named(std::string_view name) {
    constexpr std::size_t n = member_count<T>();
    std::size_t found = n;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((found == n && member_name_at<T, I>() == name ? (found = I, 0) : 0), ...);
    }
    (std::make_index_sequence<n>{});
    return found;
}

/// Whether `name` is a placeholder of one of T's key templates.
template <class T>
consteval bool is_placeholder_name(std::string_view name) {
    return std::apply(
        [&](auto... k) {
            return (false || ... || [&] {
                constexpr ParsedKeyTemplate p = parse_key_template(decltype(k)::text);
                for (std::size_t i = 0; i < p.count; ++i) {
                    if (p.names[i] == name) return true;
                }
                return false;
            }());
        },
        key_templates_of<T>());
}

/// Whether member I of T is a placeholder of its key templates (its conditions are written on
/// the keys).
template <class T, std::size_t I>
consteval bool is_templated_member() {
    if constexpr (SharedTableModel<T>) {
        return is_placeholder_name<T>(member_name_at<T, I>());
    } else {
        return false;
    }
}

/// Whether member I of T is marked `also_stored` in its column options.
template <class T, std::size_t I>
consteval bool is_also_stored_member() {
    if constexpr (requires { Model<T>::column_options; }) {
        return std::apply(
            [](auto... o) {
                return (false || ... ||
                        (is_also_stored_v<decltype(o)> && decltype(o)::template is_index<T, I>()));
            },
            Model<T>::column_options);
    } else {
        return false;
    }
}

/// Whether member I of T lives only in its key templates (and so is not a column of its own).
template <class T, std::size_t I>
consteval bool is_key_only_member() {
    return is_templated_member<T, I>() && !is_also_stored_member<T, I>();
}

/// The type name an entity writes.
template <class T>
consteval std::string_view entity_name_of() {
    if constexpr (requires { Model<T>::entity; }) {
        if (!Model<T>::entity.name.empty()) return Model<T>::entity.name;
    }
    return type_name<T>();
}

/// A key attribute rendered from T's members by template K.
template <class T, class K>
struct TemplateColumn : ColumnSpec<TemplateColumn<T, K>> {
    using Class = T;
    using Value = std::string;
    static constexpr ParsedKeyTemplate parsed = parse_key_template(K::text);
    static constexpr std::size_t count = parsed.count;
    /// The member placeholder P names.
    template <std::size_t P>
    static constexpr std::size_t member = member_named<T>(parsed.names[P]);

    constexpr TemplateColumn() : ColumnSpec<TemplateColumn>{K::attribute, K::attribute} {}
    template <auto M>
    static consteval bool is() {
        return false;
    }

    /// The runtime form (its column is set when the model is lowered).
    static KeyTemplateInfo describe() {
        KeyTemplateInfo info;
        info.attribute = std::string(K::attribute);
        info.text = std::string(K::text);
        for (std::size_t i = 0; i <= count; ++i) info.literals.emplace_back(parsed.literals[i]);
        for (std::size_t i = 0; i < count; ++i)
            info.placeholders.push_back({std::string(parsed.names[i]), parsed.widths[i]});
        return info;
    }
    static const KeyTemplateInfo& runtime() {
        static const KeyTemplateInfo info = describe();
        return info;
    }
    static std::optional<AttributeValue> dump(const void* object) {
        [[maybe_unused]] const T& o = *static_cast<const T*>(object);
        std::array<std::optional<AttributeValue>, count> values;
        [&]<std::size_t... P>(std::index_sequence<P...>) {
            ((values[P] = TypeTraits<member_type_t<T, member<P>>>::dump(member_at<member<P>>(o))),
             ...);
        }
        (std::make_index_sequence<count>{});
        return render_key(runtime(), values);
    }
    static void load(void* object, AttributeValue&& stored) {
        [[maybe_unused]] T& o = *static_cast<T*>(object);
        std::array<AttributeValue, count> parts;
        static constexpr std::string_view model = type_name<T>();
        parse_key(runtime(), Model<T>::table::meta.table_name, model, stored, parts);
        // Every part converted before any member is set: a bad one leaves the object as it was.
        [&]<std::size_t... P>(std::index_sequence<P...>) {
            [[maybe_unused]] auto values = std::tuple<member_type_t<T, member<P>>...>(
                TypeTraits<member_type_t<T, member<P>>>::load(std::move(parts[P]))...);
            ((member_at<member<P>>(o) = std::move(std::get<P>(values))), ...);
        }
        (std::make_index_sequence<count>{});
    }
    static void reset(void*) {}  // the members may come from another template
};

/// The attribute holding T's entity type.
template <class T>
struct EntityColumn : ColumnSpec<EntityColumn<T>> {
    using Class = T;
    using Value = std::string;
    constexpr EntityColumn()
        : ColumnSpec<EntityColumn>{entity_types_of<typename Model<T>::table>().attribute,
                                   entity_types_of<typename Model<T>::table>().attribute} {}
    template <auto M>
    static consteval bool is() {
        return false;
    }
    static std::optional<AttributeValue> dump(const void*) {
        return AttributeValue::string(std::string(entity_name_of<T>()));
    }
    static void load(void*, AttributeValue&&) {}  // checked before the item is loaded
    static void reset(void*) {}
};

/// The attribute holding T's schema version.
template <class T>
struct EntityVersionColumn : ColumnSpec<EntityVersionColumn<T>> {
    using Class = T;
    using Value = std::int64_t;
    constexpr EntityVersionColumn()
        : ColumnSpec<EntityVersionColumn>{
              entity_types_of<typename Model<T>::table>().version_attribute,
              entity_types_of<typename Model<T>::table>().version_attribute} {}
    template <auto M>
    static consteval bool is() {
        return false;
    }
    static std::optional<AttributeValue> dump(const void*) {
        return AttributeValue::number(std::to_string(*Model<T>::entity.version));
    }
    static void load(void*, AttributeValue&&) {}
    static void reset(void*) {}
};

/// A key attribute of one of the table's indexes that T never writes.
template <class T>
struct AbsentColumn : ColumnSpec<AbsentColumn<T>> {
    using Class = T;
    using Value = std::string;
    template <auto M>
    static consteval bool is() {
        return false;
    }
    static std::optional<AttributeValue> dump(const void*) { return std::nullopt; }
    static void load(void*, AttributeValue&&) {}
    static void reset(void*) {}
};

template <class C>
inline constexpr bool is_absent_column_v = false;
template <class T>
inline constexpr bool is_absent_column_v<AbsentColumn<T>> = true;

/// Whether one of T's key templates renders `attribute`.
template <class T>
consteval bool has_template_for(std::string_view attribute) {
    return std::apply(
        [&](auto... k) { return (false || ... || (decltype(k)::attribute == attribute)); },
        key_templates_of<T>());
}

/// The key attributes of T's shared table: hash, range, then each index's.
template <class T>
consteval auto table_key_attributes() {
    using Table = typename Model<T>::table;
    constexpr auto ixs = table_indexes_of<Table>();
    std::array<std::string_view, 2 + 2 * ixs.size()> out{};
    out[0] = Table::keys.hash;
    out[1] = Table::keys.range;
    for (std::size_t i = 0; i < ixs.size(); ++i) {
        out[2 + 2 * i] = ixs[i]->hash;
        out[3 + 2 * i] = ixs[i]->range;
    }
    return out;
}

/// The column of the table's key attribute A when T has no template for it (and A is its first
/// mention): the attribute shapes the table but T never writes it.
template <class T, std::size_t A>
constexpr auto absent_column() {
    constexpr auto attributes = table_key_attributes<T>();
    constexpr std::string_view name = attributes[A];
    constexpr bool first = [&] {
        for (std::size_t b = 0; b < A; ++b) {
            if (attributes[b] == name) return false;
        }
        return true;
    }();
    if constexpr (!name.empty() && first && !has_template_for<T>(name)) {
        AbsentColumn<T> c;
        c.name = name;
        c.dynamo_name = name;
        return std::tuple<AbsentColumn<T>>{c};
    } else {
        return std::tuple<>{};
    }
}
template <class T, std::size_t... A>
constexpr auto absent_columns(std::index_sequence<A...>) {
    return std::tuple_cat(absent_column<T, A>()...);
}

/// The columns of T beyond its members: key templates, entity type (and version), absent keys.
template <class T>
constexpr auto entity_columns() {
    using Table = typename Model<T>::table;
    auto templates = std::apply(
        [](auto... k) {
            return std::tuple{[] {
                TemplateColumn<T, decltype(k)> c;
                c.is_hash_key = decltype(k)::attribute == Table::keys.hash;
                c.is_range_key =
                    !Table::keys.range.empty() && decltype(k)::attribute == Table::keys.range;
                return c;
            }()...};
        },
        key_templates_of<T>());
    auto version = [] {
        if constexpr (requires { Model<T>::entity; }) {
            if constexpr (Model<T>::entity.version.has_value()) {
                return std::tuple<EntityVersionColumn<T>>{};
            } else {
                return std::tuple<>{};
            }
        } else {
            return std::tuple<>{};
        }
    }();
    auto absent = absent_columns<T>(std::make_index_sequence<table_key_attributes<T>().size()>{});
    return std::tuple_cat(templates, std::tuple<EntityColumn<T>>{}, version, absent);
}

template <class T, class K, std::size_t P>
consteval void check_placeholder() {
    constexpr ParsedKeyTemplate p = parse_key_template(K::text);
    constexpr std::size_t m = member_named<T>(p.names[P]);
    static_assert(m < member_count<T>(),
                  "bloop: a key template's placeholder names no member of the model");
    if constexpr (m < member_count<T>()) {
        using V = unoptional_t<member_type_t<T, m>>;
        if constexpr (p.widths[P] > 0) {
            static_assert(std::is_integral_v<V> && !std::is_same_v<V, bool>,
                          "bloop: a key template's {member:0N} format is for integer members");
        } else {
            static_assert(!(std::is_integral_v<V> || std::is_floating_point_v<V>),
                          "bloop: a number in a key template needs a zero-padded width so keys "
                          "sort: {member:08}");
            if constexpr (!(std::is_integral_v<V> || std::is_floating_point_v<V>)) {
                static_assert(Storable<V> && TypeTraits<V>::backing == AttributeType::S,
                              "bloop: a key template's placeholder must name a member stored as "
                              "a string (S)");
            }
        }
    }
}

template <class T, class K, std::size_t... P>
consteval void check_placeholders(std::index_sequence<P...>) {
    (check_placeholder<T, K, P>(), ...);
}

template <class T, class K>
consteval bool template_names_table_key() {
    for (const auto a : table_key_attributes<T>()) {
        if (!a.empty() && a == K::attribute) return true;
    }
    return false;
}

template <class T, class K>
consteval void check_template() {
    constexpr ParsedKeyTemplate p = parse_key_template(K::text);
    static_assert(template_names_table_key<T, K>(),
                  "bloop: a key template names an attribute that is not a key of the table or of "
                  "one of its indexes");
    static_assert(p.error != TemplateError::unclosed,
                  "bloop: a key template has a '{' not closed by '}'");
    static_assert(p.error != TemplateError::stray_brace,
                  "bloop: a key template has a '}' without '{'");
    static_assert(p.error != TemplateError::empty_name,
                  "bloop: a key template has an empty placeholder {}");
    static_assert(p.error != TemplateError::too_many,
                  "bloop: a key template has more than 8 placeholders");
    static_assert(p.error != TemplateError::bad_width,
                  "bloop: a key template's placeholder format must be a zero-padded width, "
                  "{member:08} (1 to 38 digits)");
    static_assert(p.error != TemplateError::adjacent,
                  "bloop: a key template cannot be parsed back: two placeholders need fixed text "
                  "between them, e.g. \"{date}#{id}\"");
    if constexpr (p.error == TemplateError::none)
        check_placeholders<T, K>(std::make_index_sequence<p.count>{});
}

template <class T, class... K>
consteval void check_templates(std::tuple<K...>) {
    (check_template<T, K>(), ...);
}

/// The rules a shared-table model's declaration must follow, as designed compile errors.
template <class T>
consteval bool check_entity() {
    using Table = typename Model<T>::table;
    static_assert(
        requires { Table::meta; } && requires { Table::keys; },
        "bloop: Model<T>::table must name a table declaration: a struct with a "
        "`static constexpr bloop::Meta meta` and `static constexpr bloop::TableKeys keys`");
    static_assert(
        !requires { Model<T>::meta; } && !requires { Model<T>::hash_key; } &&
            !requires { Model<T>::range_key; } && !requires { Model<T>::indexes; } &&
            !requires { Model<T>::columns; },
        "bloop: a model of a shared table takes its meta, keys and indexes from the "
        "table declaration (`using table = ...`): give it `keys` templates instead");
    std::apply(
        [](auto... k) {
            static_assert((true && ... && is_key_template_v<decltype(k)>),
                          "bloop: Model<T>::keys lists bloop::key<\"attribute\", \"template\">");
        },
        key_templates_of<T>());
    static_assert(has_template_for<T>(Table::keys.hash),
                  "bloop: the model gives no template for its table's hash key: add "
                  "bloop::key<\"<hash attribute>\", \"...\"> to Model<T>::keys");
    static_assert(
        [] {
            for (const TableIndex* ix : table_indexes_of<Table>()) {
                if (ix->projection == ProjectionMode::include) return false;
            }
            return true;
        }(),
        "bloop: a shared table's index projects keys (bloop::ProjectionMode::keys, with "
        "the entity type) or all attributes");
    static_assert(Table::keys.range.empty() || has_template_for<T>(Table::keys.range),
                  "bloop: the model gives no template for its table's range key: add "
                  "bloop::key<\"<range attribute>\", \"...\"> to Model<T>::keys");
    check_templates<T>(key_templates_of<T>());
    return true;
}

}  // namespace detail
}  // namespace bloop
