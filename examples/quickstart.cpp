// The Account walkthrough on bloop's low-level client: create a table with a GSI and a stream,
// save two accounts, read one back, query by email, scan, and read the inserts from the stream.
//
// Region, credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL); `scripts/quickstart` runs it against a DynamoDB Local it starts itself.

#include <bloop/bloop.hpp>

#include <chrono>
#include <iostream>
#include <thread>

using bloop::AttributeValue;
using bloop::Client;
using bloop::Item;
using bloop::Operation;
using bloop::json::Value;

namespace {

Value create_table_request(const std::string& table) {
    Value request = bloop::json::parse(R"({
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                                 {"AttributeName": "email", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        "GlobalSecondaryIndexes": [{
            "IndexName": "by_email",
            "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
        "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    })");
    request["TableName"] = table;
    return request;
}

// Polls DescribeTable until the table and its indexes are ACTIVE; returns the stream ARN.
std::string wait_until_active(const Client& client, const std::string& table) {
    Value request;
    request["TableName"] = table;
    auto delay = std::chrono::milliseconds(50);
    while (true) {
        const Value described = client.call(Operation::DescribeTable, request);
        const Value& t = described.at("Table");
        bool active = t.at("TableStatus").as_string() == "ACTIVE";
        if (const Value* indexes = t.find("GlobalSecondaryIndexes")) {
            for (const auto& index : indexes->as_array()) {
                active = active && index.at("IndexStatus").as_string() == "ACTIVE";
            }
        }
        if (active) return t.at("LatestStreamArn").as_string();
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(2000));
    }
}

// bloop saves with UpdateItem: SET every non-key column the object knows.
void save(const Client& client, const std::string& table, const std::string& id,
          const std::string& name, const std::string& email) {
    Value request;
    request["TableName"] = table;
    request["Key"] = bloop::json::raw_item({{"id", AttributeValue::string(id)}});
    request["UpdateExpression"] = "SET #n0=:v1, #n2=:v3";
    request["ExpressionAttributeNames"]["#n0"] = "email";
    request["ExpressionAttributeNames"]["#n2"] = "name";
    request["ExpressionAttributeValues"][":v1"] =
        bloop::json::to_json(AttributeValue::string(email));
    request["ExpressionAttributeValues"][":v3"] =
        bloop::json::to_json(AttributeValue::string(name));
    (void)client.call(Operation::UpdateItem, request);
}

}  // namespace

int main() try {
    const Client client;  // everything from the environment
    const std::string table =
        "Account_quickstart_" +
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());

    // bind: create the table (GSI by_email, keys only; stream with new and old images).
    (void)client.call(Operation::CreateTable, create_table_request(table));
    const std::string stream_arn = wait_until_active(client, table);
    std::cout << "created " << table << " in " << client.region() << "\n";

    // save
    const std::string admin_id = "1c2a7c5e-7c3f-4b1e-9a57-3f0c2e6f6a01";
    const std::string support_id = "9b0e4f4e-2d4a-4a8e-8e6f-2b0c1d3e4f52";
    save(client, table, admin_id, "admin-user", "admin@domain.com");
    save(client, table, support_id, "support-user", "support@domain.com");

    // load
    Value get;
    get["TableName"] = table;
    get["Key"] = bloop::json::raw_item({{"id", AttributeValue::string(admin_id)}});
    get["ConsistentRead"] = true;
    const Item admin = bloop::json::to_item(client.call(Operation::GetItem, get).at("Item"));
    std::cout << "loaded  " << admin << "\n";

    // query the GSI by email; first() is the first item of the first page
    Value query;
    query["TableName"] = table;
    query["IndexName"] = "by_email";
    query["KeyConditionExpression"] = "#n0 = :v1";
    query["ExpressionAttributeNames"]["#n0"] = "email";
    query["ExpressionAttributeValues"][":v1"] =
        bloop::json::to_json(AttributeValue::string("support@domain.com"));
    const Value found = client.call(Operation::Query, query);
    const Item first = bloop::json::to_item(found.at("Items").as_array().at(0));
    std::cout << "query   by_email support@domain.com -> id " << first.at("id").as_string() << "\n";

    // scan every account, following LastEvaluatedKey
    Value scan;
    scan["TableName"] = table;
    std::size_t accounts = 0;
    while (true) {
        const Value page = client.call(Operation::Scan, scan);
        for (const auto& item : page.at("Items").as_array()) {
            std::cout << "scan    " << bloop::json::to_item(item).at("name").as_string() << "\n";
            ++accounts;
        }
        const Value* last = page.find("LastEvaluatedKey");
        if (last == nullptr) break;
        scan["ExclusiveStartKey"] = *last;
    }

    // stream: every shard from its trim horizon
    Value describe;
    describe["StreamArn"] = stream_arn;
    const Value stream = client.call(Operation::DescribeStream, describe);
    std::size_t inserts = 0;
    for (const auto& shard : stream.at("StreamDescription").at("Shards").as_array()) {
        Value iterator_request;
        iterator_request["StreamArn"] = stream_arn;
        iterator_request["ShardId"] = shard.at("ShardId");
        iterator_request["ShardIteratorType"] = "TRIM_HORIZON";
        Value records_request;
        records_request["ShardIterator"] =
            client.call(Operation::GetShardIterator, iterator_request).at("ShardIterator");
        const Value records = client.call(Operation::GetRecords, records_request);
        for (const auto& record : records.at("Records").as_array()) {
            const Item image = bloop::json::to_item(record.at("dynamodb").at("NewImage"));
            std::cout << "stream  " << record.at("eventName").as_string() << " "
                      << image.at("email").as_string() << "\n";
            inserts += record.at("eventName").as_string() == "INSERT";
        }
    }

    Value drop;
    drop["TableName"] = table;
    (void)client.call(Operation::DeleteTable, drop);

    if (accounts != 2 || inserts != 2 || first.at("id").as_string() != support_id) {
        std::cerr << "quickstart: unexpected results\n";
        return 1;
    }
    std::cout << "done: 2 accounts saved, queried, scanned and read back from the stream\n";
    return 0;
} catch (const bloop::BloopException& e) {
    std::cerr << "quickstart failed: " << e.what() << "\n";
    return 1;
}
