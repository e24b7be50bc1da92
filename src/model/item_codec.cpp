// Dumping and loading whole objects through their ModelInfo.

#include <bloop/exceptions.hpp>
#include <bloop/model.hpp>

namespace bloop::detail {
namespace {

// Runs `f`, re-throwing value errors with the model and column in front of the message.
template <class F>
decltype(auto) in_column(const ModelInfo& info, const ColumnInfo& column, F&& f) {
    const auto where = [&] { return info.name + "." + column.name + ": "; };
    try {
        return f();
    } catch (const AttributeTypeMismatch& e) {
        throw AttributeTypeMismatch(where() + e.what());
    } catch (const InvalidNumber& e) {
        throw InvalidNumber(where() + e.what());
    } catch (const InvalidValue& e) {
        throw InvalidValue(where() + e.what());
    }
}

}  // namespace

Item dump_columns(const ModelInfo& info, const void* object) {
    Item::container_type entries;
    entries.reserve(info.columns.size());
    for (const std::size_t i : info.dynamo_order) {
        const ColumnInfo& c = info.columns[i];
        if (auto value = in_column(info, c, [&] { return c.dump(object); })) {
            entries.emplace_back(c.dynamo_name, std::move(*value));
        }
    }
    return Item::from_entries(std::move(entries));
}

void load_columns(const ModelInfo& info, void* object, Item&& item,
                  std::span<const std::size_t> columns) {
    for (const std::size_t i : columns) {
        const ColumnInfo& c = info.columns[i];
        const auto found = item.find(c.dynamo_name);
        if (found == item.end()) {
            c.reset(object);
        } else {
            in_column(info, c, [&] { c.load(object, std::move(found->second)); });
        }
    }
}

void sync_state(const ModelInfo& info, void* object, std::span<const std::size_t> columns) {
    if (info.state == nullptr) return;
    ObjectState& state = *info.state(object);
    state.mark_known(columns);
    Item::container_type entries;
    for (const std::size_t i : info.dynamo_order) {
        if (!state.known(i)) continue;
        const ColumnInfo& c = info.columns[i];
        if (auto value = c.dump(object)) entries.emplace_back(c.dynamo_name, std::move(*value));
    }
    state.set_snapshot(Item::from_entries(std::move(entries)));
}

}  // namespace bloop::detail
