#include <bloop/exceptions.hpp>
#include <bloop/stream/stream.hpp>

#include "util/ascii.hpp"

namespace bloop {

StreamPosition StreamPosition::from_name(std::string_view name) {
    const std::string lowered = detail::ascii_lower(name);
    if (lowered == "trim_horizon") return TrimHorizon{};
    if (lowered == "latest") return Latest{};
    throw InvalidPosition("Don't know how to move to position '" + std::string(name) +
                          "' (use trim_horizon, latest, a time or a token)");
}

StreamPosition StreamPosition::from_token(std::string token) {
    return StreamPosition(Token{std::move(token)});
}

void StreamPosition::apply(StreamCoordinator& coordinator) const {
    if (std::holds_alternative<TrimHorizon>(where_)) return coordinator.move_to_trim_horizon();
    if (std::holds_alternative<Latest>(where_)) return coordinator.move_to_latest();
    if (const auto* t = std::get_if<std::chrono::sys_seconds>(&where_))
        return coordinator.move_to_time(*t);
    coordinator.move_to_token(std::get<Token>(where_).text);
}

}  // namespace bloop
