#pragma once
// Shared set-up of integration test binaries: one DynamoDB Local per binary (or the server named
// by BLOOP_TEST_ENDPOINT), started by integration_main.cpp before any test runs.

#include <bloop/client/client.hpp>
#include <bloop/json/json.hpp>
#include <bloop/testing/dynamodb_local.hpp>

#include <optional>
#include <string>

namespace bloop::test {

/// The endpoint every test of this binary talks to.
const std::string& endpoint();

/// Client options for that endpoint (see bloop::testing::local_client_options).
inline ClientOptions client_options() {
    return testing::local_client_options(endpoint());
}

/// The item stored under `key` in `table` (a consistent GetItem), read past the engine.
inline std::optional<Item> stored_item(const Client& client, const std::string& table, Item key) {
    json::Value request;
    request["TableName"] = table;
    request["Key"] = json::to_json(key);
    request["ConsistentRead"] = true;
    json::Value response = client.call(Operation::GetItem, request);
    if (json::Value* item = response.find("Item")) return json::to_item(*item);
    return std::nullopt;
}

/// The same for a table whose hash key is the string attribute "id" and that has no range key.
inline std::optional<Item> stored_by_id(const Client& client, const std::string& table,
                                        const std::string& id) {
    return stored_item(client, table, Item{{"id", AttributeValue::string(id)}});
}

}  // namespace bloop::test
