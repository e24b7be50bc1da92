// Engine::query / scan: validate, then build bloop's request shape; results are delivered by
// Search<T>.

#include <bloop/conditions/render.hpp>
#include <bloop/exceptions.hpp>

#include "conditions/key_members.hpp"
#include "engine/core.hpp"
#include "wire/items.hpp"

#include <memory>

namespace bloop {
namespace {

// Only the items of `m`'s entity type, or of the collection's.
Condition entity_filter(const ModelInfo& m, std::span<const ModelInfo* const> collection) {
    const Path type = Path::of_column(m, m.entity->column);
    const auto name = [](const ModelInfo& model) {
        return Operand(std::optional<AttributeValue>(AttributeValue::string(model.entity->name)));
    };
    if (collection.empty()) return Condition::compare(Condition::Op::eq, type, {name(m)});
    std::vector<Operand> names;
    for (const ModelInfo* model : collection) names.push_back(name(*model));
    return Condition::compare(Condition::Op::in, type, std::move(names));
}

}  // namespace

detail::SearchCursor detail::start_search(detail::EngineCore& core, const SearchTarget& target,
                                          const Condition* key, const Condition& filter,
                                          const ProjectionSpec& projection, bool consistent,
                                          bool forward, std::optional<Segment> segment,
                                          const detail::Paging& paging,
                                          std::span<const ModelInfo* const> collection) {
    const ModelInfo& m = *target.model;
    detail::require_concrete(m);
    if (paging.page_size && *paging.page_size == 0)
        throw InvalidArgument("the page size of a search of " + m.name + " must be at least 1");
    if (paging.read_rate && !(*paging.read_rate > 0))  // NaN too
        throw InvalidArgument("the read rate of a search of " + m.name +
                              " must be a positive number of capacity units per second");
    const auto binding = core.bound(m);
    const bool query = key != nullptr;
    // Conditions on key members are written on key attributes (copies only when there are any).
    const KeyColumns keys(target.hash_key(), target.range_key());
    Condition lowered_key;
    if (query && detail::has_key_members(*key)) {
        lowered_key = detail::lower_key_members(*key, {keys.begin(), keys.end()});
        key = &lowered_key;
    }
    Condition lowered_filter;
    const Condition* filter_condition = &filter;
    if (detail::has_key_members(filter)) {
        lowered_filter = detail::lower_key_members(filter);
        filter_condition = &lowered_filter;
    }
    if (query) check_key_condition(target, *key);
    check_filter(target, *filter_condition, query);
    ResolvedProjection resolved = resolve_projection(target, projection);
    if (m.entity) {
        // A shared table's model reads only its entity's items (or the collection's).
        if (filter_condition != &lowered_filter) lowered_filter = filter;
        lowered_filter &= entity_filter(m, collection);
        filter_condition = &lowered_filter;
    }
    if (segment && (segment->total < 1 || segment->total > detail::max_scan_segments ||
                    segment->segment < 0 || segment->segment >= segment->total)) {
        throw InvalidArgument("a parallel scan of " + m.name + " needs 0 <= segment < total <= " +
                              std::to_string(detail::max_scan_segments) + ", got segment " +
                              std::to_string(segment->segment) + " of " +
                              std::to_string(segment->total));
    }

    // bloop's order of placeholders: filter, projection, key condition.
    Renderer r;
    std::string filter_text = r.condition(*filter_condition).value_or(std::string());
    std::string projection_text;
    if (!resolved.count && collection.empty()) {
        std::vector<Path> paths;
        for (const auto c : resolved.columns) paths.push_back(Path::of_column(m, c));
        projection_text = r.projection(paths);
    }
    std::string key_text = query ? *r.condition(*key) : std::string();
    // Fills what Query and Scan share.
    const auto common = [&](auto& request) {
        request.table_name = binding->table_name;
        if (target.index != nullptr) request.index_name = target.index->dynamo_name;
        // A GSI cannot read consistently: DynamoDB rejects ConsistentRead there, so it is not sent.
        if (target.index == nullptr || target.index->kind == IndexKind::local)
            request.consistent_read = consistent;
        // A collection reads every attribute: its items are of several models.
        if (resolved.count || collection.empty())
            request.select = resolved.count ? "COUNT" : "SPECIFIC_ATTRIBUTES";
        request.filter_expression = std::move(filter_text);
        request.projection_expression = std::move(projection_text);
        request.attributes = r.take_attributes();
        if (paging.page_size) request.limit = static_cast<std::int64_t>(*paging.page_size);
        if (paging.read_rate) request.return_consumed_capacity = "TOTAL";
    };
    detail::SearchRequest request;
    if (query) {
        auto q = std::make_shared<detail::wire::Query>();
        q->key_condition_expression = std::move(key_text);
        q->scan_index_forward = forward;
        common(*q);
        request = std::move(q);
    } else {
        auto s = std::make_shared<detail::wire::Scan>();
        if (segment) {
            s->segment = segment->segment;  // bloop 1.x sent "Segments", which DynamoDB ignores
            s->total_segments = segment->total;
        }
        common(*s);
        request = std::move(s);
    }
    return detail::SearchCursor(core.client, std::move(request), target, std::move(resolved),
                                paging);
}

}  // namespace bloop
