#pragma once
// DynamoDB's item operations on the wire: UpdateItem, DeleteItem, Query, Scan, BatchGetItem,
// BatchWriteItem, TransactGetItems and TransactWriteItems, and their answers. Plain aggregates
// named after the API's members; `encode` writes a request's exact body straight into text (the
// hot path), `decode` reads an answer's items straight from the bytes into Items.

#include <bloop/conditions/render.hpp>
#include <bloop/types/attribute_value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bloop::detail::wire {

/// A request's ExpressionAttributeNames and ExpressionAttributeValues (each omitted when empty),
/// as a Renderer returns them.
using bloop::ExpressionAttributes;

/// UpdateItem (and a TransactWriteItems Update, which has no ReturnValues).
struct UpdateItem {
    std::string table_name;
    Item key;
    std::string update_expression;     ///< empty: omitted (the item gets its key only)
    std::string condition_expression;  ///< empty: omitted
    ExpressionAttributes attributes;
    std::string return_values;  ///< empty: omitted (NONE)
    /// ALL_OLD: a failed condition answers the stored item; empty: omitted.
    std::string return_values_on_condition_check_failure;
};
[[nodiscard]] std::string encode(const UpdateItem& request);
/// Whether sending it again after an unknown outcome leaves what sending it once left: its update
/// sets values absolutely (no ADD, no arithmetic, no list_append).
[[nodiscard]] bool idempotent(const UpdateItem& request) noexcept;

/// DeleteItem (and a TransactWriteItems Delete).
struct DeleteItem {
    std::string table_name;
    Item key;
    std::string condition_expression;  ///< empty: omitted
    ExpressionAttributes attributes;
    std::string return_values;                             ///< empty: omitted (NONE)
    std::string return_values_on_condition_check_failure;  ///< empty: omitted
};
[[nodiscard]] std::string encode(const DeleteItem& request);

/// The answer of an UpdateItem or DeleteItem: the item ReturnValues asked for.
struct ItemAttributes {
    std::optional<Item> attributes;  ///< none: nothing asked for, or no item

    /// Reads the answer of `operation`; ProtocolError naming it for another shape.
    [[nodiscard]] static ItemAttributes decode(std::string_view body, std::string_view operation);
};

/// Query. ExclusiveStartKey is given per page to `encode`.
struct Query {
    std::string table_name;
    std::string index_name;  ///< empty: the table
    std::optional<bool> consistent_read;
    std::string select;                 ///< empty: omitted
    std::string filter_expression;      ///< empty: omitted
    std::string projection_expression;  ///< empty: omitted
    std::string key_condition_expression;
    std::optional<bool> scan_index_forward;
    ExpressionAttributes attributes;
    std::optional<std::int64_t> limit;     ///< items evaluated per page
    std::string return_consumed_capacity;  ///< empty: omitted (NONE)
};
/// The Query of the page that starts after `exclusive_start_key` (nullptr: the first page).
[[nodiscard]] std::string encode(const Query& request, const Item* exclusive_start_key = nullptr);

/// Scan. ExclusiveStartKey is given per page to `encode`.
struct Scan {
    std::string table_name;
    std::string index_name;  ///< empty: the table
    std::optional<bool> consistent_read;
    std::string select;                 ///< empty: omitted
    std::string filter_expression;      ///< empty: omitted
    std::string projection_expression;  ///< empty: omitted
    std::optional<int> segment;         ///< with total_segments: one part of a parallel scan
    std::optional<int> total_segments;
    ExpressionAttributes attributes;
    std::optional<std::int64_t> limit;     ///< items evaluated per page
    std::string return_consumed_capacity;  ///< empty: omitted (NONE)
};
/// The Scan of the page that starts after `exclusive_start_key` (nullptr: the first page).
[[nodiscard]] std::string encode(const Scan& request, const Item* exclusive_start_key = nullptr);

/// A Query's or Scan's answer: its items, its counts and where the next page starts.
struct ItemsPage {
    std::vector<Item> items;
    std::optional<Item> last_evaluated_key;     ///< none: the last page
    std::int64_t count = 0;                     ///< items returned (after the filter)
    std::optional<std::int64_t> scanned_count;  ///< items evaluated; none: not reported
    std::optional<double> consumed_capacity;    ///< ConsumedCapacity.CapacityUnits, when asked

    /// Reads the answer of `operation` ("Query"); ProtocolError naming it for another shape.
    [[nodiscard]] static ItemsPage decode(std::string_view body, std::string_view operation);
};

/// The keys BatchGetItem reads from one table.
struct KeysAndAttributes {
    std::vector<Item> keys;
    bool consistent_read = false;
};

/// BatchGetItem.
struct BatchGetItem {
    std::vector<std::pair<std::string, KeysAndAttributes>> request_items;  ///< table → keys
};
[[nodiscard]] std::string encode(const BatchGetItem& request);

/// BatchGetItem's answer.
struct BatchGetResult {
    std::vector<std::pair<std::string, std::vector<Item>>> responses;  ///< table → items found
    /// table → keys left unread (throttled), to send again.
    std::vector<std::pair<std::string, KeysAndAttributes>> unprocessed_keys;

    /// Reads the answer; ProtocolError for another shape.
    [[nodiscard]] static BatchGetResult decode(std::string_view body);
};

/// One put or delete of a BatchWriteItem.
struct WriteRequest {
    bool remove = false;  ///< a DeleteRequest, else a PutRequest
    Item item;            ///< the put's item, or the delete's key
};

/// BatchWriteItem.
struct BatchWriteItem {
    std::vector<std::pair<std::string, std::vector<WriteRequest>>> request_items;  ///< by table
};
[[nodiscard]] std::string encode(const BatchWriteItem& request);

/// BatchWriteItem's answer.
struct BatchWriteResult {
    /// table → writes left unapplied (throttled), to send again.
    std::vector<std::pair<std::string, std::vector<WriteRequest>>> unprocessed_items;

    /// Reads the answer; ProtocolError for another shape.
    [[nodiscard]] static BatchWriteResult decode(std::string_view body);
};

/// A TransactWriteItems ConditionCheck.
struct ConditionCheck {
    std::string table_name;
    Item key;
    std::string condition_expression;
    ExpressionAttributes attributes;
    std::string return_values_on_condition_check_failure;  ///< empty: omitted
};

/// One operation of a TransactWriteItems: an Update, a Delete or a ConditionCheck.
using TransactWriteItem = std::variant<UpdateItem, DeleteItem, ConditionCheck>;
/// The item `operation` writes or checks.
[[nodiscard]] const Item& key_of(const TransactWriteItem& operation) noexcept;

/// TransactWriteItems.
struct TransactWriteItems {
    std::vector<TransactWriteItem> transact_items;
    std::string client_request_token;  ///< empty: omitted
};
[[nodiscard]] std::string encode(const TransactWriteItems& request);

/// One Get of a TransactGetItems.
struct Get {
    std::string table_name;
    Item key;
};

/// TransactGetItems.
struct TransactGetItems {
    std::vector<Get> transact_items;
};
[[nodiscard]] std::string encode(const TransactGetItems& request);

/// TransactGetItems' answer: one response per Get, in order.
struct TransactGetResult {
    /// The item of each Get (none: no such item); none at all when the answer has no Responses.
    std::optional<std::vector<std::optional<Item>>> responses;

    /// Reads the answer; ProtocolError for another shape.
    [[nodiscard]] static TransactGetResult decode(std::string_view body);
};

}  // namespace bloop::detail::wire
