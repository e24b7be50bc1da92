#pragma once
// DynamoDB's item operations on the wire, as far as they are moved here: UpdateItem, DeleteItem
// and Query with their expression attributes, and a page of items. Plain aggregates named after the
// API's members; `encode` writes a request's exact body straight into text (these are the hot
// path once the engine sends them), `decode` reads an answer's items straight into Items.

#include <bloop/types/attribute_value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bloop::detail::wire {

/// A request's ExpressionAttributeNames and ExpressionAttributeValues, each omitted when empty.
struct ExpressionAttributes {
    std::vector<std::pair<std::string, std::string>> names;  ///< "#placeholder" → name, in order
    Item values;                                             ///< ":placeholder" → value
};

/// UpdateItem.
struct UpdateItem {
    std::string table_name;
    Item key;
    std::string update_expression;
    std::string condition_expression;  ///< empty: omitted
    ExpressionAttributes attributes;
    std::string return_values;  ///< empty: omitted (NONE)
    /// ALL_OLD: a failed condition answers the stored item; empty: omitted.
    std::string return_values_on_condition_check_failure;
};
[[nodiscard]] std::string encode(const UpdateItem& request);

/// DeleteItem.
struct DeleteItem {
    std::string table_name;
    Item key;
    std::string condition_expression;  ///< empty: omitted
    ExpressionAttributes attributes;
    std::string return_values;                             ///< empty: omitted (NONE)
    std::string return_values_on_condition_check_failure;  ///< empty: omitted
};
[[nodiscard]] std::string encode(const DeleteItem& request);

/// Query.
struct Query {
    std::string table_name;
    std::string index_name;  ///< empty: the table
    std::optional<bool> consistent_read;
    std::string key_condition_expression;
    ExpressionAttributes attributes;
    std::optional<Item> exclusive_start_key;  ///< where the page starts; none: the first page
};
[[nodiscard]] std::string encode(const Query& request);

/// A Query's (or Scan's) answer: its items and where the next page starts.
struct ItemsPage {
    std::vector<Item> items;
    std::optional<Item> last_evaluated_key;  ///< none: the last page

    /// Reads the answer of `operation` ("Query"); ProtocolError naming it for another shape.
    [[nodiscard]] static ItemsPage decode(std::string_view body, std::string_view operation);
};

}  // namespace bloop::detail::wire
