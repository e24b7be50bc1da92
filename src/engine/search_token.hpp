#pragma once
// Search resume tokens: {"target": <table or index>, "after": <key of the last result>}.

#include <bloop/types/attribute_value.hpp>

#include <optional>
#include <string>

namespace bloop::detail {

/// The token of a search of `target` that last returned the item with key `after` (none: from
/// the start).
[[nodiscard]] std::string make_search_token(const std::string& target, const Item* after);

/// The key to resume after (nullopt: from the start), checked whole. Throws InvalidArgument for
/// text that is not a token, or a token of a search that reads another target.
[[nodiscard]] std::optional<Item> parse_search_token(const std::string& text,
                                                     const std::string& target);

}  // namespace bloop::detail
