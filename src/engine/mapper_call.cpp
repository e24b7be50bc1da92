#include "engine/mapper_call.hpp"

#include "client/telemetry/error_type.hpp"

#include <algorithm>
#include <vector>

namespace bloop::detail {

std::string model_names(std::span<const ModelInfo* const> models) {
    std::vector<std::string_view> names;
    names.reserve(models.size());
    for (const ModelInfo* m : models) names.emplace_back(m->name);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string joined;
    for (std::string_view n : names) {
        if (!joined.empty()) joined += '+';
        joined += n;
    }
    return joined;
}

MapperCall::MapperCall(Telemetry& telemetry, std::string_view name, std::string model,
                       std::size_t objects)
    : telemetry_(telemetry), started_(std::chrono::steady_clock::now()) {
    CallContext& context = current_context();
    event_.name = name;
    event_.objects = objects;
    event_.start = std::chrono::system_clock::now();
    event_.parent = context.span;
    event_.span = child_span(context.span);
    previous_ = std::move(context);  // back in the destructor
    context.span = event_.span;
    context.mapper = name;
    context.model = std::move(model);
    event_.model = context.model;
}

MapperCall::~MapperCall() {
    current_context() = std::move(previous_);
}

void MapperCall::end(const std::exception* error) {
    event_.duration = std::chrono::steady_clock::now() - started_;
    if (error != nullptr) event_.error_type = error_type(*error);
    telemetry_.mapper(event_);
}

}  // namespace bloop::detail
