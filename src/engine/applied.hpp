#pragma once
// After a write whose first attempt got no answer, a retry can fail its condition because of that
// attempt's own write. These tell from the stored item (ReturnValuesOnConditionCheckFailure=
// ALL_OLD) whether the write is in place.

#include <bloop/types/attribute_value.hpp>

#include <string>
#include <vector>

namespace bloop::detail {

/// What a save writes: attribute values it SETs and attribute names it REMOVEs.
struct WriteEffect {
    Item set;
    std::vector<std::string> removed;
};

/// Whether DynamoDB stores `sent` as `stored`: equal, numbers compared by value (DynamoDB
/// normalises "1.10" to "1.1"), sets as sets, lists and maps element by element.
[[nodiscard]] bool stores_as(const AttributeValue& sent, const AttributeValue& stored);

/// Whether `stored` (null: no item) holds everything `effect` writes.
[[nodiscard]] bool save_in_place(const WriteEffect& effect, const Item* stored);

}  // namespace bloop::detail
