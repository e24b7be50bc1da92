// Models declared once: columns derived from the struct, with Model<T> saying only what differs.

#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/render.hpp>
#include <bloop/model/model.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace derived {

struct Address {
    std::string street;
    std::string city;
};

struct Order {
    std::string customer;
    std::int64_t placed = 0;
    std::optional<std::string> note;
    std::vector<Address> ship_to;
    int retries_in_memory = 0;  // not stored
    bloop::ObjectState state{};
};

struct Plain {  // no state, no options: every member a column
    std::string id;
    bloop::Decimal amount;
};

}  // namespace derived

template <>
struct bloop::Model<derived::Address> {};

template <>
struct bloop::Model<derived::Order> {
    static constexpr Meta meta{.table_name = "Orders"};
    static constexpr auto hash_key = &derived::Order::customer;
    static constexpr auto range_key = &derived::Order::placed;
    static constexpr auto column_options =
        bloop::column_options(column<&derived::Order::note>("n").named("comment"),
                              not_stored<&derived::Order::retries_in_memory>);
    static constexpr auto by_note =
        local_index().range_key<&derived::Order::note>().projection(keys_only);
    static constexpr auto by_customer_note = global_index("by_cn", "ByCustomerNote")
                                                 .hash_key<&derived::Order::note>()
                                                 .projection(all_attributes);
    static constexpr auto indexes = bloop::indexes<&by_note, &by_customer_note>();
};

template <>
struct bloop::Model<derived::Plain> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &derived::Plain::id;
};

namespace {

using derived::Order;

TEST(DerivedModel, EveryStoredMemberIsAColumnInDeclarationOrder) {
    const bloop::ModelInfo& m = bloop::model_info<Order>();
    ASSERT_EQ(m.columns.size(), 4u);
    EXPECT_EQ(m.columns[0].name, "customer");
    EXPECT_TRUE(m.columns[0].hash_key);
    EXPECT_EQ(m.columns[1].name, "placed");
    EXPECT_TRUE(m.columns[1].range_key);
    EXPECT_EQ(m.columns[1].backing, bloop::AttributeType::N);
    EXPECT_EQ(m.columns[2].name, "comment");
    EXPECT_EQ(m.columns[2].dynamo_name, "n");
    EXPECT_EQ(m.columns[3].name, "ship_to");
    EXPECT_EQ(m.columns[3].backing, bloop::AttributeType::L);
    EXPECT_TRUE(m.state);  // found by type, not named
    EXPECT_EQ(m.table_name, "Orders");
    ASSERT_EQ(m.indexes.size(), 2u);
    EXPECT_EQ(m.indexes[0].range_key_column, "comment");
}

TEST(DerivedModel, IndexesAreNamedOnceByTheirStaticMember) {
    const bloop::ModelInfo& m = bloop::model_info<Order>();
    EXPECT_EQ(m.indexes[0].name, "by_note");
    EXPECT_EQ(m.indexes[0].dynamo_name, "by_note");
    EXPECT_EQ(m.index_declared_by(bloop::Model<Order>::by_note), &m.indexes[0]);
    EXPECT_TRUE(m.indexes[0].declared_by.is(bloop::Model<Order>::by_note));
    EXPECT_EQ(m.indexes[1].name, "by_cn") << "a name given explicitly wins";
    EXPECT_EQ(m.indexes[1].dynamo_name, "ByCustomerNote");
    EXPECT_EQ(m.index_declared_by(bloop::Model<Order>::by_customer_note), &m.indexes[1]);
    EXPECT_EQ(m.index_declared_by(m), nullptr);
}

TEST(DerivedModel, TypedAccessToColumnsAndState) {
    const bloop::ModelInfo& m = bloop::model_info<Order>();
    Order o{.customer = "c1", .placed = 7, .note = "rush", .ship_to = {}};
    ASSERT_TRUE(m.column_index("comment"));  // the member `note`, renamed
    const std::size_t note = *m.column_index("comment");
    EXPECT_EQ(m.dump(note, o), bloop::AttributeValue::string("rush"));
    m.load(note, o, bloop::AttributeValue::string("slow"));
    EXPECT_EQ(o.note, "slow");
    EXPECT_EQ(m.state_of(o), &o.state);
    EXPECT_TRUE(m.columns[note].access);
    // An object of another model is refused, naming both.
    bloop::ModelInfo hand_built;
    hand_built.name = "Hand";
    try {
        (void)hand_built.dump(0, o);
        ADD_FAILURE() << "dumped";
    } catch (const bloop::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "an object of 'Order' is not one of model 'Hand'");
    }
}

TEST(DerivedModel, DumpsAndLoadsThroughTheDerivedColumns) {
    Order o{.customer = "c1", .placed = 7, .note = "rush", .ship_to = {{"1 Way", "Town"}}};
    o.retries_in_memory = 3;
    const bloop::Item item = bloop::dump_item(o);
    std::string json;
    bloop::json::write_item(json, item);
    EXPECT_EQ(json, R"({"customer":{"S":"c1"},"n":{"S":"rush"},"placed":{"N":"7"},)"
                    R"("ship_to":{"L":[{"M":{"city":{"S":"Town"},"street":{"S":"1 Way"}}}]}})");
    const Order back = bloop::load_item<Order>(item);
    EXPECT_EQ(back.customer, "c1");
    EXPECT_EQ(back.placed, 7);
    EXPECT_EQ(back.note, "rush");
    ASSERT_EQ(back.ship_to.size(), 1u);
    EXPECT_EQ(back.ship_to[0].city, "Town");
    EXPECT_EQ(back.retries_in_memory, 0);  // not stored, so not loaded
    EXPECT_TRUE(back.state.synced());
}

TEST(DerivedModel, ConditionsNameDerivedColumnsByMember) {
    const auto c = bloop::attr<&Order::note> == "rush" && bloop::attr<&Order::placed> > 3;
    bloop::Renderer r;
    EXPECT_EQ(r.condition(c.condition()), "((#n0 = :v1) AND (#n2 > :v3))");
    bloop::json::Value request = bloop::json::Value::object();
    r.write_attributes(request);
    EXPECT_EQ(bloop::json::to_string(request),
              R"({"ExpressionAttributeNames":{"#n0":"n","#n2":"placed"},)"
              R"("ExpressionAttributeValues":{":v1":{"S":"rush"},":v3":{"N":"3"}}})");
}

TEST(DerivedModel, AModelWithoutStateOrOptions) {
    const bloop::ModelInfo& m = bloop::model_info<derived::Plain>();
    ASSERT_EQ(m.columns.size(), 2u);
    EXPECT_TRUE(m.columns[0].hash_key);
    EXPECT_EQ(m.columns[1].name, "amount");
    EXPECT_FALSE(m.state);
}

}  // namespace
