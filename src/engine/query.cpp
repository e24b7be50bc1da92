// Engine::query / scan: validate, then build bloop's request shape; results are delivered by
// Search<T>.

#include <bloop/conditions/render.hpp>
#include <bloop/exceptions.hpp>

#include "engine/engine_impl.hpp"

namespace bloop {

detail::SearchCursor Engine::start_search(const SearchTarget& target, const Condition* key,
                                          const Condition& filter, const ProjectionSpec& projection,
                                          bool consistent, bool forward,
                                          std::optional<Segment> segment,
                                          const detail::Paging& paging) {
    const ModelInfo& m = *target.model;
    detail::require_concrete(m);
    if (paging.page_size && *paging.page_size == 0)
        throw InvalidArgument("the page size of a search of " + m.name + " must be at least 1");
    if (paging.read_rate && !(*paging.read_rate > 0))  // NaN too
        throw InvalidArgument("the read rate of a search of " + m.name +
                              " must be a positive number of capacity units per second");
    const auto binding = impl_->bound(m);
    const bool query = key != nullptr;
    if (query) check_key_condition(target, *key);
    check_filter(target, filter, query);
    ResolvedProjection resolved = resolve_projection(target, projection);
    if (segment && (segment->total < 1 || segment->total > detail::max_scan_segments ||
                    segment->segment < 0 || segment->segment >= segment->total)) {
        throw InvalidArgument("a parallel scan of " + m.name + " needs 0 <= segment < total <= " +
                              std::to_string(detail::max_scan_segments) + ", got segment " +
                              std::to_string(segment->segment) + " of " +
                              std::to_string(segment->total));
    }

    json::Value request;
    request["TableName"] = binding->table_name;
    if (target.index != nullptr) request["IndexName"] = target.index->dynamo_name;
    // A GSI cannot read consistently: DynamoDB rejects ConsistentRead there, so it is not sent.
    if (target.index == nullptr || target.index->kind == IndexKind::local)
        request["ConsistentRead"] = consistent;
    request["Select"] = resolved.count ? "COUNT" : "SPECIFIC_ATTRIBUTES";
    Renderer r;  // bloop's order: filter, projection, key condition
    if (auto text = r.condition(filter)) request["FilterExpression"] = std::move(*text);
    if (!resolved.count) {
        std::vector<Path> paths;
        for (const auto c : resolved.columns) paths.push_back(Path::of_column(m, c));
        request["ProjectionExpression"] = r.projection(paths);
    }
    if (query) {
        request["KeyConditionExpression"] = *r.condition(*key);
        request["ScanIndexForward"] = forward;
    }
    if (segment) {
        request["Segment"] = segment->segment;  // bloop 1.x sent "Segments", which DynamoDB ignores
        request["TotalSegments"] = segment->total;
    }
    r.write_attributes(request);
    return detail::SearchCursor(impl_->client, query ? Operation::Query : Operation::Scan,
                                std::move(request), target, std::move(resolved), paging);
}

void Engine::deliver(const ModelInfo& model, void* object, Item&& item,
                     std::span<const std::size_t> columns) {
    detail::load_and_sync(model, object, std::move(item), columns);
    for (const auto c : columns)
        object_modified.emit(ColumnEvent(*this, model, object, model.columns[c]));
    object_loaded.emit(ObjectEvent(*this, model, object));
}

}  // namespace bloop
