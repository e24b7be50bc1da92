// The item operations' wire structs moved so far: each request's exact bytes and a page of items
// read back, with no server.

#include <bloop/exceptions.hpp>

#include "wire/items.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bloop::detail::wire {
namespace {

Item key() {
    return Item{{"consumer", AttributeValue::string("c")}, {"lease", AttributeValue::string("l")}};
}

TEST(WireItems, UpdateItemInTheApiOrder) {
    const UpdateItem r{
        "Leases",
        key(),
        "SET #n = :n REMOVE #o",
        "#n = :was",
        {{{"#n", "counter"}, {"#o", "owner"}},
         Item{{":n", AttributeValue::number(2)}, {":was", AttributeValue::number(1)}}},
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
}

TEST(WireItems, DeleteItem) {
    const DeleteItem r{"Leases",  key(),
                       "#c = :c", {{{"#c", "counter"}}, Item{{":c", AttributeValue::number(7)}}},
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
    q.attributes = {{{"#c", "consumer"}}, Item{{":c", AttributeValue::string("app")}}};
    EXPECT_EQ(
        encode(q),
        R"j({"TableName":"Leases","ConsistentRead":true,"KeyConditionExpression":"#c = :c","ExpressionAttributeNames":{"#c":"consumer"},"ExpressionAttributeValues":{":c":{"S":"app"}}})j");
    q.index_name = "by_owner";
    q.consistent_read.reset();
    q.exclusive_start_key = key();
    EXPECT_EQ(
        encode(q),
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

}  // namespace
}  // namespace bloop::detail::wire
