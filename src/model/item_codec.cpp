// Dumping and loading whole objects through their ModelInfo.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>
#include <bloop/model/model.hpp>

#include "model/value_context.hpp"

#include <algorithm>

namespace bloop::detail {
namespace {

// Runs `f`, re-throwing value errors with the model and column in front of the message.
template <class F>
decltype(auto) in_column(const ModelInfo& info, const ColumnInfo& column, F&& f) {
    return with_context([&] { return info.name + "." + column.name + ": "; }, std::forward<F>(f));
}

// The dumped values of the columns `state` does not know.
Item baseline_of(const ModelInfo& info, const void* object, const ObjectState& state) {
    Item::container_type entries;
    for (const std::size_t i : info.dynamo_order) {
        if (state.known(i)) continue;
        const ColumnInfo& c = info.columns[i];
        if (auto value = detail::ModelAccess::dump(c, object))
            entries.emplace_back(c.dynamo_name, std::move(*value));
    }
    return Item::from_sorted_entries(std::move(entries));
}

}  // namespace

Item dump_columns(const ModelInfo& info, const void* object) {
    Item::container_type entries;
    entries.reserve(info.columns.size());
    for (const std::size_t i : info.dynamo_order) {
        const ColumnInfo& c = info.columns[i];
        if (auto value = in_column(info, c, [&] { return detail::ModelAccess::dump(c, object); })) {
            entries.emplace_back(c.dynamo_name, std::move(*value));
        }
    }
    // dynamo_order is sorted by name and names are unique (finalize_model checks both).
    return Item::from_sorted_entries(std::move(entries));
}

namespace {
// "Account(id={"S":"42"})" for an object being loaded from `item` while `current` fails: key
// columns before it (in name order) are already in the object, later ones still in the item.
std::string describe_loading(const ModelInfo& info, const void* object, const Item& item,
                             const ColumnInfo& current) {
    std::string out = info.name + "(";
    bool first = true;
    for (const auto k : info.key_columns()) {
        const ColumnInfo& key = info.columns[k];
        out += (first ? "" : ", ") + key.name + "=";
        first = false;
        std::optional<AttributeValue> value;
        try {
            if (key.dynamo_name < current.dynamo_name) {
                value = detail::ModelAccess::dump(key, object);
            } else if (const auto found = item.find(key.dynamo_name); found != item.end()) {
                value = found->second;
            }
        } catch (const InvalidArgument&) {
        }
        if (value) {
            out += repr(*value);
        } else {
            out += "(missing)";
        }
    }
    return out + ")";
}
}  // namespace

void check_entity(const ModelInfo& info, const Item& item) {
    if (!info.entity) return;
    const auto found = item.find(info.entity->attribute);
    // An item without a type (keys alone, or written before types) is taken as it is.
    if (found == item.end()) return;
    if (found->second.type() == AttributeType::S &&
        found->second.as_string() == info.entity->name) {
        return;
    }
    std::string key;
    for (const auto k : info.key_columns()) {
        const auto& name = info.columns[k].dynamo_name;
        const auto value = item.find(name);
        key += (key.empty() ? "" : ", ") + name + "=" +
               (value != item.end() ? repr(value->second) : std::string("(missing)"));
    }
    throw WrongEntity("table '" + info.table_name + "' item (" + key + ") holds an item of " +
                      (found->second.type() == AttributeType::S
                           ? "entity '" + found->second.as_string() + "'"
                           : "entity type " + repr(found->second)) +
                      ", not of '" + info.entity->name + "'");
}

void load_columns(const ModelInfo& info, void* object, Item&& item,
                  std::span<const std::size_t> columns) {
    check_entity(info, item);
    // Walk the item (sorted by name) beside the columns in name order: one comparison a step.
    auto entry = item.begin();
    for (const std::size_t i : info.dynamo_order) {
        if (columns.size() != info.columns.size() &&
            !std::binary_search(columns.begin(), columns.end(), i)) {
            continue;
        }
        const ColumnInfo& c = info.columns[i];
        while (entry != item.end() && entry->first < c.dynamo_name) ++entry;
        if (entry != item.end() && entry->first == c.dynamo_name) {
            with_context(
                [&] { return describe_loading(info, object, item, c) + "." + c.name + ": "; },
                [&] { detail::ModelAccess::load(c, object, std::move(entry->second)); });
        } else {
            detail::ModelAccess::reset(c, object);
        }
    }
}

void load_and_sync(const ModelInfo& info, void* object, Item&& item,
                   std::span<const std::size_t> columns) {
    if (!info.state) return load_columns(info, object, std::move(item), columns);
    ObjectState& state = *detail::ModelAccess::state(info, object);
    // The snapshot holds what is stored: the loaded attributes as they came, and what the previous
    // snapshot said of the other known columns.
    Item::container_type entries;
    entries.reserve(info.columns.size());
    const auto loaded = [&](std::size_t i) {
        return std::binary_search(columns.begin(), columns.end(), i);
    };
    for (const std::size_t i : columns) {
        const auto found = item.find(info.columns[i].dynamo_name);
        if (found != item.end()) entries.push_back(*found);
    }
    if (state.snapshot()) {
        for (const auto& entry : *state.snapshot()) {
            const std::string& name = entry.first;
            const auto column =
                std::find_if(info.columns.begin(), info.columns.end(),
                             [&](const ColumnInfo& c) { return c.dynamo_name == name; });
            if (column == info.columns.end() ||
                !loaded(static_cast<std::size_t>(column - info.columns.begin()))) {
                entries.push_back(entry);
            }
        }
    }
    load_columns(info, object, std::move(item), columns);
    state.mark_known(columns);
    state.set_snapshot(Item::from_entries(std::move(entries)));
    state.set_baseline(baseline_of(info, object, state));
}

void sync_state(const ModelInfo& info, void* object, std::span<const std::size_t> columns,
                std::span<const std::size_t> unknown, AttributeMap* dumped) {
    if (!info.state) return;
    ObjectState& state = *detail::ModelAccess::state(info, object);
    state.mark_known(columns);
    state.mark_unknown(unknown);
    Item::container_type entries;
    entries.reserve(info.columns.size());
    for (const std::size_t i : info.dynamo_order) {
        if (!state.known(i)) continue;
        const ColumnInfo& c = info.columns[i];
        if (dumped != nullptr) {
            if (const auto found = dumped->find(c.dynamo_name); found != dumped->end()) {
                entries.emplace_back(c.dynamo_name, std::move(found->second));
                continue;
            }
        }
        if (auto value = detail::ModelAccess::dump(c, object))
            entries.emplace_back(c.dynamo_name, std::move(*value));
    }
    state.set_snapshot(Item::from_entries(std::move(entries)));
    state.set_baseline(baseline_of(info, object, state));
}

}  // namespace bloop::detail
