// Key templates at run time: members' values put into a template, and a stored key parsed back
// into them; the indexes of a shared table; the rules entities of one table keep together.

#include <bloop/exceptions.hpp>
#include <bloop/model/model.hpp>

#include <algorithm>

namespace bloop::detail {
namespace {

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void append_placeholder(std::string& out, const KeyTemplateInfo& key, std::size_t i,
                        const AttributeValue& value) {
    const auto& p = key.placeholders[i];
    if (p.width > 0) {
        const std::string& digits = value.as_number();
        if (!all_digits(digits) || digits.size() > static_cast<std::size_t>(p.width)) {
            throw InvalidValue("member " + quoted(p.member) + " is " + digits +
                               ", which key template " + quoted(key.text) + " of " +
                               quoted(key.attribute) + " cannot hold: it takes 0 to " +
                               std::to_string(p.width) + " digits");
        }
        out.append(static_cast<std::size_t>(p.width) - digits.size(), '0');
        out += digits;
        return;
    }
    const std::string& text = value.as_string();
    const std::string& next = key.literals[i + 1];
    if (!next.empty() && text.find(next.front()) != std::string::npos) {
        throw InvalidValue("member " + quoted(p.member) + " is " + quoted(text) +
                           ", which holds '" + std::string(1, next.front()) +
                           "', the separator after it in key template " + quoted(key.text) +
                           " of " + quoted(key.attribute) + ": the key could not be parsed back");
    }
    out += text;
}

std::optional<AttributeValue> render_key(const KeyTemplateInfo& key,
                                         std::span<const std::optional<AttributeValue>> values) {
    std::string out = key.literals.front();
    for (std::size_t i = 0; i < key.placeholders.size(); ++i) {
        if (!values[i]) return std::nullopt;  // a sparse key: the item is not in the index
        append_placeholder(out, key, i, *values[i]);
        out += key.literals[i + 1];
    }
    return AttributeValue::string(std::move(out));
}

void parse_key(const KeyTemplateInfo& key, std::string_view table, std::string_view model,
               const AttributeValue& stored, std::span<AttributeValue> out) {
    const auto mismatch = [&](const std::string& why) {
        return InvalidValue("table " + quoted(table) + " key " + key.attribute + " = " +
                            repr(stored) + " does not match template " + quoted(key.text) + " of " +
                            quoted(model) + ": " + why);
    };
    if (stored.type() != AttributeType::S) throw mismatch("it is not a string");
    const std::string_view text = stored.as_string();
    if (!text.starts_with(key.literals.front()))
        throw mismatch("it does not start with " + quoted(key.literals.front()));
    std::size_t pos = key.literals.front().size();
    for (std::size_t i = 0; i < key.placeholders.size(); ++i) {
        const auto& p = key.placeholders[i];
        const std::string& next = key.literals[i + 1];
        std::size_t end = text.size();
        if (!next.empty()) {
            end = text.find(next.front(), pos);
            if (end == std::string_view::npos)
                throw mismatch("no " + quoted(next) + " after " + p.member);
        }
        const std::string_view value = text.substr(pos, end - pos);
        if (p.width > 0) {
            if (value.size() != static_cast<std::size_t>(p.width) || !all_digits(value)) {
                throw mismatch(p.member + " is not " + std::to_string(p.width) + " digits");
            }
            const std::size_t first = std::min(value.find_first_not_of('0'), value.size() - 1);
            out[i] = AttributeValue::number(std::string(value.substr(first)));
        } else {
            out[i] = AttributeValue::string(std::string(value));
        }
        if (text.substr(end, next.size()) != next)
            throw mismatch("no " + quoted(next) + " after " + p.member);
        pos = end + next.size();
    }
    if (pos != text.size()) throw mismatch("it has more text than the template");
}

IndexInfo lower_table_index(const TableIndex& declaration, std::string_view entity_attribute) {
    IndexInfo info;
    info.kind = declaration.kind;
    info.name = std::string(declaration.name);
    info.dynamo_name = info.name;
    if (declaration.kind == IndexKind::global) info.hash_key_column = std::string(declaration.hash);
    info.range_key_column = std::string(declaration.range);
    info.projection_mode = declaration.projection;
    // A keys-only index also holds the entity type, so a query for one entity can filter on it.
    if (declaration.projection == ProjectionMode::keys) {
        info.projection_mode = ProjectionMode::include;
        info.include_columns.emplace_back(entity_attribute);
    }
    info.read_units = declaration.read_units;
    info.write_units = declaration.write_units;
    return info;
}

// ---- entities of one table
// -----------------------------------------------------------------------

namespace {

const KeyTemplateInfo* template_for(const ModelInfo& m, std::optional<std::size_t> column,
                                    const ModelInfo& other) {
    if (!column) return nullptr;
    const std::string& attribute = other.columns[*column].dynamo_name;
    for (const auto& t : m.key_templates) {
        if (t.attribute == attribute) return &t;
    }
    return nullptr;
}

// The fixed text every key of `t` starts with.
std::string_view fixed_prefix(const KeyTemplateInfo& t) {
    return t.literals.front();
}

bool overlap(const KeyTemplateInfo& a, const KeyTemplateInfo& b) {
    const auto pa = fixed_prefix(a);
    const auto pb = fixed_prefix(b);
    return pa.starts_with(pb) || pb.starts_with(pa);
}

// Whether a query of `a`'s keys (hash, range) could read `b`'s items as `a`'s.
void check_pair(const ModelInfo& a, const ModelInfo& b, std::optional<std::size_t> hash,
                std::optional<std::size_t> range, const std::string& where) {
    const KeyTemplateInfo* ha = template_for(a, hash, a);
    const KeyTemplateInfo* hb = template_for(b, hash, a);
    const KeyTemplateInfo* ra = template_for(a, range, a);
    const KeyTemplateInfo* rb = template_for(b, range, a);
    if (ha == nullptr || hb == nullptr || ra == nullptr || rb == nullptr) return;
    if (overlap(*ha, *hb) && overlap(*ra, *rb)) {
        throw InvalidModel("'" + a.name + "' and '" + b.name + "' of table '" + a.table_name +
                           "' have " + where + " keys " + quoted(ra->text) + " and " +
                           quoted(rb->text) + " whose fixed text begins alike (" +
                           quoted(fixed_prefix(*ra)) + ", " + quoted(fixed_prefix(*rb)) +
                           "): a query for one would read the other's items");
    }
}

}  // namespace

void check_shared_tables(std::span<const ModelInfo* const> models) {
    for (std::size_t i = 0; i < models.size(); ++i) {
        const ModelInfo& a = *models[i];
        if (!a.entity) continue;
        for (std::size_t j = i + 1; j < models.size(); ++j) {
            const ModelInfo& b = *models[j];
            if (!b.entity || b.table_name != a.table_name || &a == &b) continue;
            if (a.entity->name == b.entity->name) {
                throw InvalidModel("'" + a.name + "' and '" + b.name + "' of table '" +
                                   a.table_name + "' have the same entity type name '" +
                                   a.entity->name + "'");
            }
            check_pair(a, b, a.hash_key, a.range_key, "sort");
            for (const auto& ix : a.indexes)
                check_pair(a, b, ix.hash_key, ix.range_key, "index '" + ix.name + "' sort");
        }
    }
}

}  // namespace bloop::detail
