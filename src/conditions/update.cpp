// Update actions: their names and construction.

#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/update.hpp>

namespace bloop {

const char* action_name(UpdateAction::Kind kind) noexcept {
    switch (kind) {
        case UpdateAction::Kind::add: return "add";
        case UpdateAction::Kind::remove_from: return "remove_from";
        case UpdateAction::Kind::append: return "append";
        case UpdateAction::Kind::prepend: return "prepend";
        case UpdateAction::Kind::set_if_missing: return "set_if_missing";
        case UpdateAction::Kind::remove: return "remove";
    }
    return "?";
}

namespace detail {

UpdateAction make_action(UpdateAction::Kind kind, Path path, std::optional<AttributeValue> value) {
    return UpdateAction{kind, std::move(path), std::move(value)};
}

}  // namespace detail
}  // namespace bloop
