#pragma once
/// \file
/// Single-table design: several models (entities) in one table whose shape is declared once, keys
/// built from members with templates, and the entity type written on every item.
///
/// ```cpp
/// struct App {  // the table, declared once
///     static constexpr bloop::Meta meta{.table_name = "App"};
///     static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
///     static constexpr bloop::TableIndex gsi1{.name = "gsi1", .hash = "gsi1pk", .range = "gsi1sk"};
///     static constexpr auto indexes = bloop::table_indexes<&gsi1>();
/// };
/// template <> struct bloop::Model<User> {
///     using table = App;
///     static constexpr auto keys = bloop::keys(bloop::key<"pk", "ORG#{org}">,
///                                              bloop::key<"sk", "USER#{email}">);
/// };
/// ```
///
/// See docs/single-table.md.

#include <bloop/model/column.hpp>
#include <bloop/model/model_info.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>

namespace bloop {

/// A string given as a template argument (`bloop::key<"pk", "ORG#{org}">`).
template <std::size_t N>
struct FixedString {
    char data[N]{};  ///< the characters and the terminating zero
    /// From a string literal.
    consteval FixedString(const char (&s)[N]) {  // NOLINT: implicit by design
        for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
    }
    /// The characters, without the terminating zero.
    [[nodiscard]] constexpr std::string_view view() const { return {data, N - 1}; }
};

/// The key attributes of a shared table (always strings: keys are rendered from templates).
struct TableKeys {
    std::string_view hash;        ///< the partition key attribute
    std::string_view range = {};  ///< the sort key attribute; empty: none
};

/// A secondary index of a shared table, by attribute names.
struct TableIndex {
    /// Global or local.
    IndexKind kind = IndexKind::global;
    std::string_view name;        ///< the IndexName
    std::string_view hash = {};   ///< a GSI's partition key attribute (an LSI's is the table's)
    std::string_view range = {};  ///< the index's sort key attribute; empty: none
    /// all (ALL), or keys: the keys and the entity type attribute (INCLUDE), so a query of one
    /// entity can filter on it.
    ProjectionMode projection = ProjectionMode::all;
    std::optional<std::int64_t> read_units = {};   ///< provisioned GSI units (unset: 1 on create)
    std::optional<std::int64_t> write_units = {};  ///< provisioned GSI units (unset: 1 on create)
};

/// A shared table's indexes, by the static members that declare them:
/// `static constexpr auto indexes = bloop::table_indexes<&gsi1, &gsi2>();`.
template <const TableIndex*... Declared>
[[nodiscard]] constexpr std::array<const TableIndex*, sizeof...(Declared)> table_indexes() {
    return {Declared...};
}

/// How a shared table marks each item's entity type (`static constexpr bloop::EntityTypes
/// entities{...}` in the table; optional).
struct EntityTypes {
    /// The attribute holding the type name; dynamodb-toolbox's default, so tables can be shared.
    std::string_view attribute = "_et";
    /// The attribute holding an entity's schema version (when it declares one).
    std::string_view version_attribute = "_ev";
    /// Items of types no model being read declares.
    UnknownEntities unknown = UnknownEntities::skip;
};

/// An entity's type name and schema version (`static constexpr bloop::Entity entity{...}` in
/// its model; optional).
struct Entity {
    std::string_view name = {};                ///< empty: the struct's name
    std::optional<std::int64_t> version = {};  ///< written beside the type when set
};

/// One key attribute of an entity rendered from its members: `bloop::key<"sk", "ORDER#{date}#{id}">`.
/// A placeholder `{member}` names a member stored as a string; `{member:08}` an integer member,
/// zero-padded to 8 digits so keys sort by number. Text between placeholders is fixed; two
/// placeholders need fixed text between them, whose first character a value may not contain.
template <FixedString Attribute, FixedString Template>
struct KeyTemplate {
    /// The attribute ("sk").
    static constexpr std::string_view attribute = Attribute.view();
    /// The template ("ORDER#{date}#{id}").
    static constexpr std::string_view text = Template.view();
};
/// `bloop::key<"pk", "ORG#{org}">` (see KeyTemplate).
template <FixedString Attribute, FixedString Template>
inline constexpr KeyTemplate<Attribute, Template> key{};

/// An entity's key templates: `static constexpr auto keys = bloop::keys(bloop::key<...>, ...);`.
template <class... Templates>
[[nodiscard]] constexpr std::tuple<Templates...> keys(Templates... templates) {
    return {templates...};
}

namespace detail {

/// The most placeholders a key template may hold.
inline constexpr std::size_t kMaxPlaceholders = 8;

/// What is wrong with a key template's text.
enum class TemplateError { none, unclosed, empty_name, adjacent, too_many, bad_width, stray_brace };

/// A key template split into fixed text and placeholders: literals[0] {names[0]} literals[1] ...
struct ParsedKeyTemplate {
    std::array<std::string_view, kMaxPlaceholders + 1> literals{};
    std::array<std::string_view, kMaxPlaceholders> names{};
    std::array<int, kMaxPlaceholders> widths{};  ///< 0: a string member
    std::size_t count = 0;
    TemplateError error = TemplateError::none;
};

consteval ParsedKeyTemplate parse_key_template(std::string_view t) {
    ParsedKeyTemplate p;
    std::size_t literal_start = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '}') {
            p.error = TemplateError::stray_brace;
            return p;
        }
        if (t[i] != '{') continue;
        const std::size_t close = t.find('}', i);
        if (close == std::string_view::npos) {
            p.error = TemplateError::unclosed;
            return p;
        }
        if (p.count == kMaxPlaceholders) {
            p.error = TemplateError::too_many;
            return p;
        }
        p.literals[p.count] = t.substr(literal_start, i - literal_start);
        if (p.count > 0 && p.literals[p.count].empty()) {
            p.error = TemplateError::adjacent;
            return p;
        }
        std::string_view inside = t.substr(i + 1, close - i - 1);
        const std::size_t colon = inside.find(':');
        if (colon != std::string_view::npos) {
            const std::string_view format = inside.substr(colon + 1);
            inside = inside.substr(0, colon);
            // Only "0N": zero-padded to N digits.
            int width = 0;
            bool ok = format.size() >= 2 && format[0] == '0';
            for (std::size_t k = 1; ok && k < format.size(); ++k) {
                ok = format[k] >= '0' && format[k] <= '9';
                if (ok) width = width * 10 + (format[k] - '0');
            }
            if (!ok || width < 1 || width > 38) {
                p.error = TemplateError::bad_width;
                return p;
            }
            p.widths[p.count] = width;
        }
        if (inside.empty()) {
            p.error = TemplateError::empty_name;
            return p;
        }
        p.names[p.count] = inside;
        ++p.count;
        i = close;
        literal_start = close + 1;
    }
    p.literals[p.count] = t.substr(literal_start);
    return p;
}

template <class K>
inline constexpr bool is_key_template_v = false;
template <FixedString A, FixedString T>
inline constexpr bool is_key_template_v<KeyTemplate<A, T>> = true;

}  // namespace detail

}  // namespace bloop
