// Every client operation against DynamoDB Local.

#include <bloop/client/client.hpp>
#include <bloop/exceptions.hpp>

#include "integration.hpp"
#include "wire/items.hpp"
#include "wire/streams.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <thread>

namespace bloop {
namespace {

using json::Value;

Value parse(const char* text) {
    return json::parse(text);
}

// Hash key "id" (S), GSI by_email (KEYS_ONLY), stream NEW_AND_OLD_IMAGES.
Value account_table(const std::string& name) {
    Value v = parse(R"({
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
    v["TableName"] = name;
    return v;
}

// Hash "pk" (S), range "sk" (N), LSI by_other on "other" (S), on-demand billing.
Value range_table(const std::string& name) {
    Value v = parse(R"({
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"},
                                 {"AttributeName": "other", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
        "BillingMode": "PAY_PER_REQUEST",
        "LocalSecondaryIndexes": [{
            "IndexName": "by_other",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "other", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}]
    })");
    v["TableName"] = name;
    return v;
}

Value with_table(const std::string& table, Value v) {
    v["TableName"] = table;
    return v;
}

Item key(const std::string& id) {
    return {{"id", AttributeValue::string(id)}};
}

class ClientIntegration : public ::testing::Test {
  protected:
    Client client{test::client_options()};
    std::vector<std::string> tables;

    std::string create(const std::function<Value(const std::string&)>& shape,
                       std::string_view prefix) {
        std::string name = testing::unique_table_name(prefix);
        const Value response = client.call(Operation::CreateTable, shape(name));
        EXPECT_EQ(response.at("TableDescription").at("TableName").as_string(), name);
        tables.push_back(name);
        return name;
    }

    void TearDown() override {
        for (const auto& t : tables) {
            try {
                (void)client.call(Operation::DeleteTable, with_table(t, Value::object()));
            } catch (const ResourceNotFound&) {
            }
        }
    }

    void put(const std::string& table, const Item& item) {
        Value request;
        request["TableName"] = table;
        request["Item"] = json::to_json(item);
        (void)client.call(Operation::PutItem, request);
    }

    std::optional<Item> get(const std::string& table, const Item& k) {
        Value request;
        request["TableName"] = table;
        request["Key"] = json::to_json(k);
        request["ConsistentRead"] = true;
        const Value response = client.call(Operation::GetItem, request);
        if (const Value* item = response.find("Item")) return json::to_item(*item);
        return std::nullopt;
    }
};

TEST_F(ClientIntegration, TableLifecycle) {
    const std::string table = create(account_table, "lifecycle");

    const Value described =
        client.call(Operation::DescribeTable, with_table(table, Value::object()));
    const Value& d = described.at("Table");
    EXPECT_EQ(d.at("TableStatus").as_string(), "ACTIVE");
    EXPECT_EQ(d.at("KeySchema").as_array()[0].at("AttributeName").as_string(), "id");
    EXPECT_EQ(d.at("GlobalSecondaryIndexes").as_array()[0].at("IndexName").as_string(), "by_email");
    EXPECT_EQ(d.at("StreamSpecification").at("StreamViewType").as_string(), "NEW_AND_OLD_IMAGES");
    EXPECT_FALSE(d.at("LatestStreamArn").as_string().empty());

    const Value listed = client.call(Operation::ListTables, parse(R"({"Limit": 100})"));
    bool found = false;
    for (const auto& name : listed.at("TableNames").as_array()) found |= name.as_string() == table;
    EXPECT_TRUE(found);

    Value update = with_table(
        table,
        parse(R"({"ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}})"));
    (void)client.call(Operation::UpdateTable, update);
    const Value after = client.call(Operation::DescribeTable, with_table(table, Value::object()));
    EXPECT_EQ(after.at("Table").at("ProvisionedThroughput").at("WriteCapacityUnits").as_int(), 3);

    EXPECT_THROW((void)client.call(Operation::CreateTable, account_table(table)), ResourceInUse);

    (void)client.call(Operation::DeleteTable, with_table(table, Value::object()));
    try {
        (void)client.call(Operation::DescribeTable, with_table(table, Value::object()));
        FAIL() << "table still described after DeleteTable";
    } catch (const ResourceNotFound& e) {
        EXPECT_EQ(e.http_status(), 400);
        EXPECT_EQ(e.error_code(), "ResourceNotFoundException");
        EXPECT_FALSE(e.request_id().empty());
        EXPECT_EQ(e.operation(), "DescribeTable");
    }
}

// Any operation of the API models by name: PartiQL, which no part of the engine sends.
TEST_F(ClientIntegration, PartiQlStatementsByTheirOperationNames) {
    const std::string table = create(account_table, "Partiql");
    Value insert;
    insert["Statement"] = "INSERT INTO \"" + table + "\" VALUE {'id': ?, 'email': ?}";
    insert["Parameters"] = json::parse(R"([{"S":"p1"},{"S":"p1@example.com"}])");
    (void)client.call(Operation::ExecuteStatement, insert);
    Value select;
    select["Statement"] = "SELECT * FROM \"" + table + "\" WHERE id = ?";
    select["Parameters"] = json::parse(R"([{"S":"p1"}])");
    select["ConsistentRead"] = true;
    const Value found = client.call("ExecuteStatement", select);
    ASSERT_EQ(found.at("Items").as_array().size(), 1u);
    const Item item = json::to_item(found.at("Items").as_array()[0]);
    EXPECT_EQ(item.at("email"), AttributeValue::string("p1@example.com"));
    EXPECT_EQ(get(table, key("p1")), item);
}

TEST_F(ClientIntegration, TimeToLive) {
    const std::string table = create(account_table, "ttl");
    (void)client.call(
        Operation::UpdateTimeToLive,
        with_table(
            table,
            parse(
                R"({"TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}})")));
    const Value ttl =
        client.call(Operation::DescribeTimeToLive, with_table(table, Value::object()));
    EXPECT_EQ(ttl.at("TimeToLiveDescription").at("TimeToLiveStatus").as_string(), "ENABLED");
    EXPECT_EQ(ttl.at("TimeToLiveDescription").at("AttributeName").as_string(), "expires");
}

TEST_F(ClientIntegration, EveryAttributeTypeRoundTripsExactly) {
    const std::string table = create(account_table, "types");
    std::string every_byte;
    for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<char>(i));
    const Item item{
        {"id", AttributeValue::string("types-1")},
        {"s", AttributeValue::string("h\xc3\xa9llo \xf0\x9f\x98\x80 \"q\" \\ \n\t end")},
        {"n38", AttributeValue::number("12345678901234567890123456789012345678")},
        {"nsmall", AttributeValue::number("1E-130")},
        {"nbig", AttributeValue::number("-9.9999999999999999999999999999999999999E+125")},
        {"b", AttributeValue::binary(Binary(every_byte))},
        {"ss", AttributeValue::string_set({"x", "y", "\xe2\x9c\x93"})},
        {"ns", AttributeValue::number_set({"1", "2.5", "-3"})},
        {"bs", AttributeValue::binary_set({Binary{0}, Binary{1, 2}})},
        {"m", AttributeValue::map({{"inner", AttributeValue::list({AttributeValue::boolean(true),
                                                                   AttributeValue::null()})}})},
        {"l", AttributeValue::list({AttributeValue::string("a"), AttributeValue::number("1")})},
        {"t", AttributeValue::boolean(false)},
        {"z", AttributeValue::null()},
    };
    put(table, item);
    const auto loaded = get(table, key("types-1"));
    ASSERT_TRUE(loaded);
    // DynamoDB keeps every digit but answers numbers in plain notation.
    Item expected = item;
    expected["nsmall"] = AttributeValue::number("0." + std::string(129, '0') + "1");
    expected["nbig"] = AttributeValue::number("-" + std::string(38, '9') + std::string(88, '0'));
    EXPECT_EQ(*loaded, expected);
    EXPECT_FALSE(get(table, key("missing")));
}

TEST_F(ClientIntegration, UpdateAndDeleteWithExpressions) {
    const std::string table = create(account_table, "update");
    put(table, {{"id", AttributeValue::string("u1")}, {"count", AttributeValue::number("1")}});

    Value update = parse(R"js({
        "UpdateExpression": "SET #c = #c + :one, #n = :name",
        "ConditionExpression": "attribute_exists(#c)",
        "ExpressionAttributeNames": {"#c": "count", "#n": "name"},
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":name": {"S": "Ann"}},
        "ReturnValues": "ALL_NEW"})js");
    update["TableName"] = table;
    update["Key"] = json::to_json(key("u1"));
    const Value updated = client.call(Operation::UpdateItem, update);
    const Item attributes = json::to_item(updated.at("Attributes"));
    EXPECT_EQ(attributes.at("count"), AttributeValue::number("2"));
    EXPECT_EQ(attributes.at("name"), AttributeValue::string("Ann"));

    Value conditional = parse(R"({
        "UpdateExpression": "SET #c = :v",
        "ConditionExpression": "#c = :expected",
        "ExpressionAttributeNames": {"#c": "count"},
        "ExpressionAttributeValues": {":v": {"N": "10"}, ":expected": {"N": "99"}}})");
    conditional["TableName"] = table;
    conditional["Key"] = json::to_json(key("u1"));
    try {
        (void)client.call(Operation::UpdateItem, conditional);
        FAIL();
    } catch (const ConditionalCheckFailed& e) {
        EXPECT_EQ(e.message(), "The conditional request failed");
        EXPECT_FALSE(e.retryable());
    }
    EXPECT_EQ(get(table, key("u1"))->at("count"), AttributeValue::number("2"));

    Value remove;
    remove["TableName"] = table;
    remove["Key"] = json::to_json(key("u1"));
    remove["ReturnValues"] = "ALL_OLD";
    const Value removed = client.call(Operation::DeleteItem, remove);
    EXPECT_EQ(json::to_item(removed.at("Attributes")).at("name"), AttributeValue::string("Ann"));
    EXPECT_FALSE(get(table, key("u1")));
}

TEST_F(ClientIntegration, InvalidRequestsBecomeValidationErrors) {
    const std::string table = create(account_table, "invalid");
    Value bad = parse(
        R"({"UpdateExpression": "SET = = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}})");
    bad["TableName"] = table;
    bad["Key"] = json::to_json(key("x"));
    try {
        (void)client.call(Operation::UpdateItem, bad);
        FAIL();
    } catch (const ValidationError& e) {
        EXPECT_NE(e.message().find("Invalid UpdateExpression"), std::string::npos) << e.message();
    }
    Value missing;
    missing["TableName"] = "no_such_table_" + table;
    missing["Key"] = json::to_json(key("x"));
    EXPECT_THROW((void)client.call(Operation::GetItem, missing), ResourceNotFound);
}

TEST_F(ClientIntegration, BatchWriteAndBatchGet) {
    const std::string table = create(account_table, "batch");
    Value writes = Value::array();
    for (int i = 0; i < 25; ++i) {
        Value put_request;
        put_request["PutRequest"]["Item"] =
            json::to_json(Item{{"id", AttributeValue::string("b" + std::to_string(i))},
                               {"n", AttributeValue::number(std::int64_t{i})}});
        writes.push_back(std::move(put_request));
    }
    Value batch_write;
    batch_write["RequestItems"][table] = std::move(writes);
    const Value written = client.call(Operation::BatchWriteItem, batch_write);
    EXPECT_EQ(written.at("UnprocessedItems").size(), 0u);

    Value keys = Value::array();
    for (int i = 0; i < 30; ++i) keys.push_back(json::to_json(key("b" + std::to_string(i))));
    Value batch_get;
    batch_get["RequestItems"][table]["Keys"] = std::move(keys);
    std::set<std::string> ids;
    std::int64_t sum = 0;
    while (true) {
        const Value got = client.call(Operation::BatchGetItem, batch_get);
        for (const auto& item : got.at("Responses").at(table).as_array()) {
            const Item i = json::to_item(item);
            ids.insert(i.at("id").as_string());
            sum += std::stoll(i.at("n").as_number());
        }
        const Value* unprocessed = got.find("UnprocessedKeys");
        if (unprocessed == nullptr || unprocessed->size() == 0) break;
        batch_get["RequestItems"] = *unprocessed;
    }
    EXPECT_EQ(ids.size(), 25u);
    EXPECT_EQ(sum, 24 * 25 / 2);
}

TEST_F(ClientIntegration, QueryAndScanWithPaging) {
    const std::string table = create(range_table, "query");
    for (int i = 0; i < 10; ++i) {
        put(table, {{"pk", AttributeValue::string(i < 7 ? "a" : "b")},
                    {"sk", AttributeValue::number(std::int64_t{i})},
                    {"other", AttributeValue::string("o" + std::to_string(9 - i))}});
    }
    Value query = parse(R"({
        "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
        "ExpressionAttributeValues": {":pk": {"S": "a"}, ":lo": {"N": "1"}, ":hi": {"N": "5"}},
        "ScanIndexForward": false, "Limit": 2})");
    query["TableName"] = table;
    std::vector<std::string> order;
    int pages = 0;
    while (true) {
        const Value page = client.call(Operation::Query, query);
        ++pages;
        for (const auto& item : page.at("Items").as_array()) {
            order.push_back(json::to_item(item).at("sk").as_number());
        }
        const Value* last = page.find("LastEvaluatedKey");
        if (last == nullptr) break;
        query["ExclusiveStartKey"] = *last;
    }
    EXPECT_EQ(order, (std::vector<std::string>{"5", "4", "3", "2", "1"}));
    EXPECT_EQ(pages, 3);

    Value by_index = parse(R"({"IndexName": "by_other", "KeyConditionExpression": "pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": "b"}}})");
    by_index["TableName"] = table;
    const Value indexed = client.call(Operation::Query, by_index);
    ASSERT_EQ(indexed.at("Count").as_int(), 3);
    EXPECT_EQ(json::to_item(indexed.at("Items").as_array()[0]).at("other"),
              AttributeValue::string("o0"));

    Value scan = parse(
        R"({"FilterExpression": "sk >= :min", "ExpressionAttributeValues": {":min": {"N": "4"}},
        "Select": "COUNT"})");
    scan["TableName"] = table;
    const Value counted = client.call(Operation::Scan, scan);
    EXPECT_EQ(counted.at("Count").as_int(), 6);
    EXPECT_EQ(counted.at("ScannedCount").as_int(), 10);
    EXPECT_EQ(counted.find("Items"), nullptr);
}

TEST_F(ClientIntegration, Transactions) {
    const std::string table = create(account_table, "txn");
    Value write = Value::object();
    for (const char* id : {"t1", "t2"}) {
        Value op;
        op["Put"]["TableName"] = table;
        op["Put"]["Item"] =
            json::to_json({{"id", AttributeValue::string(id)}, {"v", AttributeValue::number("1")}});
        write["TransactItems"].push_back(std::move(op));
    }
    write["ClientRequestToken"] = "bloop-txn-token-1";
    (void)client.call(Operation::TransactWriteItems, write);

    Value read = Value::object();
    for (const char* id : {"t1", "t2", "t3"}) {
        Value op;
        op["Get"]["TableName"] = table;
        op["Get"]["Key"] = json::to_json(key(id));
        read["TransactItems"].push_back(std::move(op));
    }
    const Value got = client.call(Operation::TransactGetItems, read);
    const auto& responses = got.at("Responses").as_array();
    ASSERT_EQ(responses.size(), 3u);
    EXPECT_EQ(json::to_item(responses[0].at("Item")).at("id"), AttributeValue::string("t1"));
    EXPECT_EQ(json::to_item(responses[1].at("Item")).at("id"), AttributeValue::string("t2"));
    EXPECT_EQ(responses[2].find("Item"), nullptr);

    Value failing = Value::object();
    Value check;
    check["ConditionCheck"]["TableName"] = table;
    check["ConditionCheck"]["Key"] = json::to_json(key("t1"));
    check["ConditionCheck"]["ConditionExpression"] = "attribute_not_exists(id)";
    Value put_op;
    put_op["Put"]["TableName"] = table;
    put_op["Put"]["Item"] = json::to_json(key("t9"));
    failing["TransactItems"].push_back(std::move(put_op));
    failing["TransactItems"].push_back(std::move(check));
    try {
        (void)client.call(Operation::TransactWriteItems, failing);
        FAIL();
    } catch (const TransactionCanceled& e) {
        ASSERT_EQ(e.reasons().size(), 2u);
        EXPECT_EQ(e.reasons()[0].code, "None");
        EXPECT_EQ(e.reasons()[1].code, "ConditionalCheckFailed");
    }
    EXPECT_FALSE(get(table, key("t9"))) << "a cancelled transaction writes nothing";
}

TEST_F(ClientIntegration, StreamShowsEveryWriteInOrder) {
    const std::string table = create(account_table, "stream");
    put(table, {{"id", AttributeValue::string("s1")}, {"email", AttributeValue::string("a@b.c")}});
    put(table, {{"id", AttributeValue::string("s1")}, {"email", AttributeValue::string("x@y.z")}});
    Value remove;
    remove["TableName"] = table;
    remove["Key"] = json::to_json(key("s1"));
    (void)client.call(Operation::DeleteItem, remove);

    const Value streams = client.call(Operation::ListStreams, with_table(table, Value::object()));
    ASSERT_EQ(streams.at("Streams").size(), 1u);
    const std::string arn = streams.at("Streams").as_array()[0].at("StreamArn").as_string();

    Value describe;
    describe["StreamArn"] = arn;
    const Value description = client.call(Operation::DescribeStream, describe);
    const auto& shards = description.at("StreamDescription").at("Shards").as_array();
    ASSERT_EQ(shards.size(), 1u);
    EXPECT_EQ(description.at("StreamDescription").at("StreamViewType").as_string(),
              "NEW_AND_OLD_IMAGES");

    Value iterator_request;
    iterator_request["StreamArn"] = arn;
    iterator_request["ShardId"] = shards[0].at("ShardId");
    iterator_request["ShardIteratorType"] = "TRIM_HORIZON";
    const Value iterator = client.call(Operation::GetShardIterator, iterator_request);

    Value records_request;
    records_request["ShardIterator"] = iterator.at("ShardIterator");
    const Value records = client.call(Operation::GetRecords, records_request);
    const auto& list = records.at("Records").as_array();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].at("eventName").as_string(), "INSERT");
    EXPECT_EQ(list[1].at("eventName").as_string(), "MODIFY");
    EXPECT_EQ(list[2].at("eventName").as_string(), "REMOVE");
    const Item inserted = json::to_item(list[0].at("dynamodb").at("NewImage"));
    EXPECT_EQ(inserted.at("email"), AttributeValue::string("a@b.c"));
    const Item old_image = json::to_item(list[1].at("dynamodb").at("OldImage"));
    const Item new_image = json::to_item(list[1].at("dynamodb").at("NewImage"));
    EXPECT_EQ(old_image.at("email"), AttributeValue::string("a@b.c"));
    EXPECT_EQ(new_image.at("email"), AttributeValue::string("x@y.z"));
    EXPECT_EQ(json::to_item(list[2].at("dynamodb").at("Keys")), key("s1"));
    EXPECT_LT(list[0].at("dynamodb").at("SequenceNumber").as_string(),
              list[1].at("dynamodb").at("SequenceNumber").as_string());
    EXPECT_NE(records.find("NextShardIterator"), nullptr)
        << "an open shard always has a next iterator";

    Value bad_iterator;
    bad_iterator["ShardIterator"] = "not-an-iterator";
    EXPECT_THROW((void)client.call(Operation::GetRecords, bad_iterator), ServiceError);
}

TEST_F(ClientIntegration, ManyConcurrentRequestsAllLand) {
    const std::string table = create(account_table, "concurrent");
    ClientOptions options = test::client_options();
    options.max_in_flight = 8;
    const Client concurrent(options);
    std::vector<std::future<Value>> futures;
    for (int i = 0; i < 64; ++i) {
        Value request;
        request["TableName"] = table;
        request["Item"] = json::to_json(key("c" + std::to_string(i)));
        futures.push_back(concurrent.call_async(Operation::PutItem, std::move(request)));
    }
    for (auto& f : futures) EXPECT_NO_THROW((void)f.get());
    Value scan = parse(R"({"Select": "COUNT"})");
    scan["TableName"] = table;
    EXPECT_EQ(client.call(Operation::Scan, scan).at("Count").as_int(), 64);
}

TEST_F(ClientIntegration, WireDecodersReadRealResponses) {
    const std::string table = create(account_table, "items");
    const Item stored{{"id", AttributeValue::string("i1")},
                      {"email", AttributeValue::string("i@x.y")},
                      {"tags", AttributeValue::string_set({"a", "b"})}};
    Value request;
    request["TableName"] = table;
    request["Item"] = json::to_json(stored);
    (void)client.call(Operation::PutItem, request);

    detail::wire::Scan scan;
    scan.table_name = table;
    const auto page = detail::wire::ItemsPage::decode(
        client.call_raw(Operation::Scan, detail::wire::encode(scan)), "Scan");
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0], stored);
    EXPECT_EQ(page.count, 1);
    EXPECT_EQ(page.scanned_count, 1);
    EXPECT_FALSE(page.last_evaluated_key);

    const Value streams = client.call(Operation::ListStreams, with_table(table, Value::object()));
    Value describe;
    describe["StreamArn"] = streams.at("Streams").as_array()[0].at("StreamArn");
    const Value shards = client.call(Operation::DescribeStream, describe);
    Value iterator;
    iterator["StreamArn"] = describe.at("StreamArn");
    iterator["ShardId"] = shards.at("StreamDescription").at("Shards").as_array()[0].at("ShardId");
    iterator["ShardIteratorType"] = "TRIM_HORIZON";
    Value records_request;
    records_request["ShardIterator"] =
        client.call(Operation::GetShardIterator, iterator).at("ShardIterator");
    const auto records = detail::wire::RecordsPage::decode(
        client.call_raw(Operation::GetRecords, json::to_string(records_request)));
    ASSERT_EQ(records.records.size(), 1u);
    const auto& record = records.records[0];
    ASSERT_TRUE(record.new_image);
    EXPECT_EQ(*record.new_image, stored);
    EXPECT_EQ(record.keys, (Item{{"id", AttributeValue::string("i1")}}));
}

TEST_F(ClientIntegration, RawJsonCalls) {
    const std::string table = create(account_table, "raw");
    const std::string response = client.call_raw(
        Operation::PutItem,
        R"({"TableName":")" + table + R"(","Item":{"id":{"S":"r1"}},"ReturnValues":"NONE"})");
    EXPECT_EQ(response, "{}");
    EXPECT_TRUE(get(table, key("r1")));
}

}  // namespace
}  // namespace bloop
