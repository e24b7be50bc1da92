#pragma once
// DynamoDB's size of items and attribute values, as it counts them against its limits (400 KB an
// item, 4 MB a transaction): UTF-8 bytes of names and strings, raw bytes of binaries, numbers at
// about one byte per two significant digits plus one, 1 byte for booleans and nulls, 3 bytes plus
// one per element for lists and maps.

#include <bloop/types/attribute_value.hpp>

#include <cstddef>

namespace bloop::detail {

/// The size of one attribute value.
[[nodiscard]] std::size_t value_size(const AttributeValue& value);

/// The size of an item: each attribute's name and value.
[[nodiscard]] std::size_t item_size(const Item& item);

}  // namespace bloop::detail
