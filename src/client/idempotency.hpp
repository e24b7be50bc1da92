#pragma once
// Which requests can be sent again after an attempt whose outcome is unknown (no answer, a cut
// response, a 5xx) without risking that they apply twice.

#include <bloop/client/operation.hpp>
#include <bloop/json/json.hpp>

#include <string_view>

namespace bloop::detail {

/// Whether an UpdateExpression only sets values absolutely (no ADD, no `+`/`-`, no list_append):
/// applying it twice leaves what applying it once leaves.
[[nodiscard]] bool update_is_idempotent(std::string_view update_expression) noexcept;

/// Whether sending `request` again after an unknown outcome cannot apply it twice: reads (the API
/// model's Describe*, Get*, List*, Query, Scan, BatchGet*, TransactGet*, SearchVectors, and
/// PartiQL statements that only SELECT), absolute writes (PutItem, DeleteItem, BatchWriteItem,
/// UpdateItem without relative updates, the table, TTL, backup-setting and tag operations), and
/// writes that carry an idempotency token (TransactWriteItems and ExecuteTransaction with a
/// ClientRequestToken, exports and imports with a ClientToken). No other write.
[[nodiscard]] bool is_idempotent(Operation op, const json::Value& request);

}  // namespace bloop::detail
