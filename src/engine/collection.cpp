// Collections: which model of a shared table an item read by a collection query is.

#include <bloop/exceptions.hpp>

#include "engine/core.hpp"

namespace bloop::detail {

std::optional<std::size_t> entity_of(const EngineCore& core, const Item& item,
                                     std::span<const ModelInfo* const> models) {
    const EntityInfo& first = *models.front()->entity;
    const auto found = item.find(first.attribute);
    if (found != item.end() && found->second.type() == AttributeType::S) {
        for (std::size_t i = 0; i < models.size(); ++i) {
            if (models[i]->entity->name == found->second.as_string()) return i;
        }
    }
    const std::string what = "table '" + models.front()->table_name + "' holds an item of " +
                             (found == item.end() ? std::string("no entity type")
                                                  : "entity type " + repr(found->second)) +
                             " among the entities read";
    if (first.unknown == UnknownEntities::raise) throw WrongEntity(what);
    if (const LogListener& log = core.client.log_listener(); log)
        log(LogLevel::warning, what + ": skipped");
    return std::nullopt;
}

}  // namespace bloop::detail
