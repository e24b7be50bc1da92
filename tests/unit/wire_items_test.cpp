// The item operations' wire structs: each request's exact bytes and each answer read back, with no
// server.

#include <bloop/exceptions.hpp>

#include "wire/items.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bloop::detail::wire {
namespace {

Item key() {
    return Item{{"consumer", AttributeValue::string("c")}, {"lease", AttributeValue::string("l")}};
}

// Expression attributes as a Renderer leaves them: names in order, values as JSON members.
ExpressionAttributes attributes(std::vector<std::pair<std::string, std::string>> names,
                                const std::vector<std::pair<std::string, AttributeValue>>& values) {
    ExpressionAttributes a{std::move(names), {}};
    for (const auto& [placeholder, value] : values) a.add_value(placeholder, value);
    return a;
}

TEST(WireItems, UpdateItemInTheApiOrder) {
    const UpdateItem r{
        "Leases",
        key(),
        "SET #n = :n REMOVE #o",
        "#n = :was",
        attributes({{"#n", "counter"}, {"#o", "owner"}},
                   {{":n", AttributeValue::number(2)}, {":was", AttributeValue::number(1)}}),
        "ALL_NEW",
        "ALL_OLD"};
    EXPECT_EQ(
        encode(r),
        R"j({"TableName":"Leases","Key":{"consumer":{"S":"c"},"lease":{"S":"l"}},"UpdateExpression":"SET #n = :n REMOVE #o","ConditionExpression":"#n = :was","ExpressionAttributeNames":{"#n":"counter","#o":"owner"},"ExpressionAttributeValues":{":n":{"N":"2"},":was":{"N":"1"}},"ReturnValues":"ALL_NEW","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})j");
    const UpdateItem bare{
        "T", Item{{"id", AttributeValue::string("a\"b")}}, "SET a = b", "", {}, "", ""};
    EXPECT_EQ(encode(bare),
              R"j({"TableName":"T","Key":{"id":{"S":"a\"b"}},"UpdateExpression":"SET a = b"})j")
        << "what is empty is left out";
    const UpdateItem key_only{"T", Item{{"id", AttributeValue::number(1)}}, "", "", {}, "", ""};
    EXPECT_EQ(encode(key_only), R"j({"TableName":"T","Key":{"id":{"N":"1"}}})j")
        << "a save of the key alone has no UpdateExpression";
}

TEST(WireItems, DeleteItem) {
    const DeleteItem r{
        "Leases",  key(),
        "#c = :c", attributes({{"#c", "counter"}}, {{":c", AttributeValue::number(7)}}),
        "",        "ALL_OLD"};
    EXPECT_EQ(
        encode(r),
        R"j({"TableName":"Leases","Key":{"consumer":{"S":"c"},"lease":{"S":"l"}},"ConditionExpression":"#c = :c","ExpressionAttributeNames":{"#c":"counter"},"ExpressionAttributeValues":{":c":{"N":"7"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"})j");
    EXPECT_EQ(encode(DeleteItem{"T", Item{{"id", AttributeValue::number(1)}}, "", {}, "", ""}),
              R"j({"TableName":"T","Key":{"id":{"N":"1"}}})j");
}

TEST(WireItems, QueryAndItsNextPage) {
    Query q;
    q.table_name = "Leases";
    q.consistent_read = true;
    q.key_condition_expression = "#c = :c";
    q.attributes = attributes({{"#c", "consumer"}}, {{":c", AttributeValue::string("app")}});
    EXPECT_EQ(
        encode(q),
        R"j({"TableName":"Leases","ConsistentRead":true,"KeyConditionExpression":"#c = :c","ExpressionAttributeNames":{"#c":"consumer"},"ExpressionAttributeValues":{":c":{"S":"app"}}})j");
    q.index_name = "by_owner";
    q.consistent_read.reset();
    const Item start = key();
    EXPECT_EQ(
        encode(q, &start),
        R"j({"TableName":"Leases","IndexName":"by_owner","KeyConditionExpression":"#c = :c","ExpressionAttributeNames":{"#c":"consumer"},"ExpressionAttributeValues":{":c":{"S":"app"}},"ExclusiveStartKey":{"consumer":{"S":"c"},"lease":{"S":"l"}}})j");
}

TEST(WireItems, APageOfItems) {
    const ItemsPage page = ItemsPage::decode(
        R"j({"Items":[{"id":{"S":"a"},"n":{"N":"1"}},{"id":{"S":"b"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"id":{"S":"b"}}})j",
        "Query");
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.items[0].at("n"), AttributeValue::number("1"));
    EXPECT_EQ(page.items[1].at("id"), AttributeValue::string("b"));
    ASSERT_TRUE(page.last_evaluated_key);
    EXPECT_EQ(page.last_evaluated_key->at("id"), AttributeValue::string("b"));
    const ItemsPage last = ItemsPage::decode(R"j({"Items":[],"Count":0})j", "Query");
    EXPECT_TRUE(last.items.empty());
    EXPECT_FALSE(last.last_evaluated_key);
    try {
        (void)ItemsPage::decode(R"j({"Items":[{"id":{"Q":"a"}}]})j", "Query");
        ADD_FAILURE() << "read";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("malformed Query response: ", 0), 0u) << e.what();
    }
}

TEST(WireItems, QueryWithEveryMember) {
    Query q;
    q.table_name = "T";
    q.index_name = "by_email";
    q.consistent_read = false;
    q.select = "SPECIFIC_ATTRIBUTES";
    q.filter_expression = "#n0 > :v1";
    q.projection_expression = "#n2";
    q.key_condition_expression = "#n3 = :v4";
    q.scan_index_forward = false;
    q.attributes =
        attributes({{"#n0", "n"}, {"#n2", "id"}, {"#n3", "email"}},
                   {{":v1", AttributeValue::number(1)}, {":v4", AttributeValue::string("e")}});
    q.limit = 10;
    q.return_consumed_capacity = "TOTAL";
    EXPECT_EQ(
        encode(q),
        R"j({"TableName":"T","IndexName":"by_email","ConsistentRead":false,"Select":"SPECIFIC_ATTRIBUTES","FilterExpression":"#n0 > :v1","ProjectionExpression":"#n2","KeyConditionExpression":"#n3 = :v4","ScanIndexForward":false,"ExpressionAttributeNames":{"#n0":"n","#n2":"id","#n3":"email"},"ExpressionAttributeValues":{":v1":{"N":"1"},":v4":{"S":"e"}},"Limit":10,"ReturnConsumedCapacity":"TOTAL"})j");
}

TEST(WireItems, ScanAndItsSegments) {
    Scan s;
    s.table_name = "T";
    s.select = "COUNT";
    EXPECT_EQ(encode(s), R"j({"TableName":"T","Select":"COUNT"})j");
    s.consistent_read = true;
    s.segment = 2;
    s.total_segments = 4;
    s.limit = 1;
    const Item start{{"id", AttributeValue::string("x")}};
    EXPECT_EQ(
        encode(s, &start),
        R"j({"TableName":"T","ConsistentRead":true,"Select":"COUNT","Segment":2,"TotalSegments":4,"Limit":1,"ExclusiveStartKey":{"id":{"S":"x"}}})j");
}

TEST(WireItems, APageWithItsCountsAndCapacity) {
    const ItemsPage page = ItemsPage::decode(
        R"j({"Count":1,"Items":[{"id":{"S":"a"}}],"ScannedCount":5,"ConsumedCapacity":{"TableName":"T","CapacityUnits":2.5},"LastEvaluatedKey":null})j",
        "Scan");
    EXPECT_EQ(page.count, 1);
    EXPECT_EQ(page.scanned_count, 5);
    EXPECT_EQ(page.consumed_capacity, 2.5);
    EXPECT_FALSE(page.last_evaluated_key) << "null reads as missing";
    const ItemsPage count = ItemsPage::decode(R"j({"Count":7})j", "Query");
    EXPECT_TRUE(count.items.empty());
    EXPECT_EQ(count.count, 7);
    EXPECT_FALSE(count.scanned_count);
    EXPECT_FALSE(count.consumed_capacity);
    EXPECT_THROW((void)ItemsPage::decode(R"j({"Count":"7"})j", "Query"), ProtocolError);
    EXPECT_THROW((void)ItemsPage::decode(R"j([])j", "Query"), ProtocolError);
}

TEST(WireItems, AttributesOfAWrite) {
    EXPECT_FALSE(ItemAttributes::decode("{}", "UpdateItem").attributes);
    const auto written = ItemAttributes::decode(
        R"j({"Attributes":{"id":{"S":"a"},"n":{"N":"2"}},"ConsumedCapacity":null})j", "UpdateItem");
    ASSERT_TRUE(written.attributes);
    EXPECT_EQ(written.attributes->at("n"), AttributeValue::number(2));
    try {
        (void)ItemAttributes::decode(R"j({"Attributes":{"id":"a"}})j", "DeleteItem");
        ADD_FAILURE() << "read";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("malformed DeleteItem response: ", 0), 0u)
            << e.what();
    }
}

TEST(WireItems, IdempotentUpdates) {
    UpdateItem u;
    u.update_expression = "SET #n0=:v1 REMOVE #n2";
    EXPECT_TRUE(idempotent(u));
    u.update_expression = "SET #n0=:v1 ADD #n2 :v3";
    EXPECT_FALSE(idempotent(u));
    u.update_expression = "SET #n0=list_append(#n0, :v1)";
    EXPECT_FALSE(idempotent(u));
}

TEST(WireItems, BatchGetItemAndItsAnswer) {
    BatchGetItem r;
    r.request_items.emplace_back("A", KeysAndAttributes{{Item{{"id", AttributeValue::string("1")}},
                                                         Item{{"id", AttributeValue::string("2")}}},
                                                        true});
    r.request_items.emplace_back(
        "B", KeysAndAttributes{{Item{{"k", AttributeValue::number(3)}}}, false});
    EXPECT_EQ(
        encode(r),
        R"j({"RequestItems":{"A":{"Keys":[{"id":{"S":"1"}},{"id":{"S":"2"}}],"ConsistentRead":true},"B":{"Keys":[{"k":{"N":"3"}}],"ConsistentRead":false}}})j");

    const BatchGetResult answer = BatchGetResult::decode(
        R"j({"Responses":{"A":[{"id":{"S":"1"},"n":{"N":"1"}}],"B":[]},"UnprocessedKeys":{"A":{"Keys":[{"id":{"S":"2"}}],"ConsistentRead":true}}})j");
    ASSERT_EQ(answer.responses.size(), 2u);
    EXPECT_EQ(answer.responses[0].first, "A");
    ASSERT_EQ(answer.responses[0].second.size(), 1u);
    EXPECT_EQ(answer.responses[0].second[0].at("n"), AttributeValue::number(1));
    EXPECT_TRUE(answer.responses[1].second.empty());
    ASSERT_EQ(answer.unprocessed_keys.size(), 1u);
    EXPECT_EQ(answer.unprocessed_keys[0].first, "A");
    EXPECT_EQ(answer.unprocessed_keys[0].second.keys,
              (std::vector<Item>{Item{{"id", AttributeValue::string("2")}}}));
    EXPECT_TRUE(answer.unprocessed_keys[0].second.consistent_read);
    EXPECT_TRUE(
        BatchGetResult::decode(R"j({"Responses":{},"UnprocessedKeys":{}})j").responses.empty());
    EXPECT_THROW((void)BatchGetResult::decode(R"j({"Responses":{"A":{}}})j"), ProtocolError);
}

TEST(WireItems, BatchWriteItemAndItsAnswer) {
    BatchWriteItem r;
    r.request_items.emplace_back(
        "A", std::vector<WriteRequest>{{false, Item{{"id", AttributeValue::string("1")},
                                                    {"n", AttributeValue::number(1)}}},
                                       {true, Item{{"id", AttributeValue::string("2")}}}});
    EXPECT_EQ(
        encode(r),
        R"j({"RequestItems":{"A":[{"PutRequest":{"Item":{"id":{"S":"1"},"n":{"N":"1"}}}},{"DeleteRequest":{"Key":{"id":{"S":"2"}}}}]}})j");

    const BatchWriteResult answer = BatchWriteResult::decode(
        R"j({"UnprocessedItems":{"A":[{"DeleteRequest":{"Key":{"id":{"S":"2"}}}},{"PutRequest":{"Item":{"id":{"S":"1"}}}}]}})j");
    ASSERT_EQ(answer.unprocessed_items.size(), 1u);
    const auto& writes = answer.unprocessed_items[0].second;
    ASSERT_EQ(writes.size(), 2u);
    EXPECT_TRUE(writes[0].remove);
    EXPECT_EQ(writes[0].item, (Item{{"id", AttributeValue::string("2")}}));
    EXPECT_FALSE(writes[1].remove);
    EXPECT_TRUE(BatchWriteResult::decode(R"j({"UnprocessedItems":{}})j").unprocessed_items.empty());
    EXPECT_THROW((void)BatchWriteResult::decode(R"j({"UnprocessedItems":{"A":[{"Other":{}}]}})j"),
                 ProtocolError);
}

TEST(WireItems, TransactWriteItemsWithoutReturnValues) {
    TransactWriteItems r;
    r.transact_items.emplace_back(UpdateItem{
        "A", Item{{"id", AttributeValue::string("1")}}, "SET #n0=:v1", "",
        attributes({{"#n0", "n"}}, {{":v1", AttributeValue::number(1)}}), "ALL_NEW", ""});
    r.transact_items.emplace_back(DeleteItem{"A", Item{{"id", AttributeValue::string("2")}},
                                             "attribute_exists(#n0)",
                                             attributes({{"#n0", "id"}}, {}), "", "ALL_OLD"});
    r.transact_items.emplace_back(
        ConditionCheck{"B", Item{{"id", AttributeValue::string("3")}}, "#n0 = :v1",
                       attributes({{"#n0", "n"}}, {{":v1", AttributeValue::number(0)}}), ""});
    r.client_request_token = "tok";
    EXPECT_EQ(
        encode(r),
        R"j({"TransactItems":[{"Update":{"TableName":"A","Key":{"id":{"S":"1"}},"UpdateExpression":"SET #n0=:v1","ExpressionAttributeNames":{"#n0":"n"},"ExpressionAttributeValues":{":v1":{"N":"1"}}}},)j"
        R"j({"Delete":{"TableName":"A","Key":{"id":{"S":"2"}},"ConditionExpression":"attribute_exists(#n0)","ExpressionAttributeNames":{"#n0":"id"},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},)j"
        R"j({"ConditionCheck":{"TableName":"B","Key":{"id":{"S":"3"}},"ConditionExpression":"#n0 = :v1","ExpressionAttributeNames":{"#n0":"n"},"ExpressionAttributeValues":{":v1":{"N":"0"}}}}],"ClientRequestToken":"tok"})j")
        << "a transaction's Update has no ReturnValues";
    EXPECT_EQ(key_of(r.transact_items[2]), (Item{{"id", AttributeValue::string("3")}}));
}

TEST(WireItems, TransactGetItemsAndItsAnswer) {
    TransactGetItems r;
    r.transact_items.push_back({"A", Item{{"id", AttributeValue::string("1")}}});
    r.transact_items.push_back({"B", Item{{"id", AttributeValue::string("2")}}});
    EXPECT_EQ(
        encode(r),
        R"j({"TransactItems":[{"Get":{"TableName":"A","Key":{"id":{"S":"1"}}}},{"Get":{"TableName":"B","Key":{"id":{"S":"2"}}}}]})j");
    const TransactGetResult answer =
        TransactGetResult::decode(R"j({"Responses":[{"Item":{"id":{"S":"1"}}},{}]})j");
    ASSERT_TRUE(answer.responses);
    ASSERT_EQ(answer.responses->size(), 2u);
    EXPECT_EQ((*answer.responses)[0], (Item{{"id", AttributeValue::string("1")}}));
    EXPECT_FALSE((*answer.responses)[1]) << "no such item";
    EXPECT_FALSE(TransactGetResult::decode("{}").responses);
}

}  // namespace
}  // namespace bloop::detail::wire
