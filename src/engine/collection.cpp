// Which model of a shared table an item read by a collection query or an entity stream is.

#include <bloop/exceptions.hpp>

#include "engine/core.hpp"

namespace bloop::detail {
namespace {

// Whether `item`'s table keys fit `m`'s key templates.
bool keys_fit(const ModelInfo& m, const Item& item) {
    for (const auto column : m.key_columns()) {
        const ColumnInfo& c = m.columns[column];
        const auto value = item.find(c.dynamo_name);
        if (value == item.end()) return false;
        for (const auto& t : m.key_templates) {
            if (t.column != column) continue;
            std::vector<AttributeValue> parts(t.placeholders.size());
            try {
                parse_key(t, m.table_name, m.name, value->second, parts);
            } catch (const InvalidValue&) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

std::optional<std::size_t> entity_of(const EngineCore& core, const Item& item,
                                     std::span<const ModelInfo* const> models) {
    const EntityInfo& first = *models.front()->entity;
    const auto found = item.find(first.attribute);
    if (found != item.end() && found->second.type() == AttributeType::S) {
        for (std::size_t i = 0; i < models.size(); ++i) {
            if (models[i]->entity->name == found->second.as_string()) return i;
        }
        return std::nullopt;  // another entity of the table, not read here
    }
    // No type (keys only, or an item written by something else): its keys may tell.
    std::optional<std::size_t> fits;
    std::size_t fitting = 0;
    for (std::size_t i = 0; i < models.size(); ++i) {
        if (keys_fit(*models[i], item)) {
            fits = i;
            ++fitting;
        }
    }
    if (fitting == 1 && found == item.end()) return fits;
    const std::string what = "table '" + models.front()->table_name + "' holds an item of " +
                             (found == item.end() ? std::string("no entity type")
                                                  : "entity type " + repr(found->second)) +
                             (fitting == 0 ? " whose keys fit none of the entities read"
                                           : " whose keys fit several of the entities read");
    if (first.unknown == UnknownEntities::raise) throw WrongEntity(what);
    if (const LogListener& log = core.client.log_listener(); log)
        log(LogLevel::warning, what + ": skipped");
    return std::nullopt;
}

}  // namespace bloop::detail
