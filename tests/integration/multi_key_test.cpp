// Multi-attribute GSI keys against DynamoDB Local: up to four hash and four range members,
// created, validated and queried with keys checked at compile time.

#include <bloop/bloop.hpp>

#include "integration.hpp"
#include "recording_transport.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace multikey {

struct Sale {
    std::string id{};
    std::string tenant{};
    std::string region{};
    std::string day{};
    std::int64_t seq = 0;
    bloop::Decimal amount{};
};

// The same table and index, its range members in another order.
struct Reordered {
    std::string id{};
    std::string tenant{};
    std::string region{};
    std::string day{};
    std::int64_t seq = 0;
};

}  // namespace multikey

template <>
struct bloop::Model<multikey::Sale> {
    static constexpr Meta meta{.table_name = "MultiKeySale"};
    static constexpr auto hash_key = &multikey::Sale::id;
    static constexpr auto by_region =
        global_index()
            .hash_key<&multikey::Sale::tenant, &multikey::Sale::region>()
            .range_key<&multikey::Sale::day, &multikey::Sale::seq>()
            .projection(all_attributes);
    static constexpr auto indexes = bloop::indexes<&by_region>();
};

template <>
struct bloop::Model<multikey::Reordered> {
    static constexpr Meta meta{.table_name = "MultiKeySale"};
    static constexpr auto hash_key = &multikey::Reordered::id;
    static constexpr auto by_region =
        global_index()
            .hash_key<&multikey::Reordered::tenant, &multikey::Reordered::region>()
            .range_key<&multikey::Reordered::seq, &multikey::Reordered::day>()
            .projection(all_attributes);
    static constexpr auto indexes = bloop::indexes<&by_region>();
};

namespace bloop {
namespace {

using multikey::Sale;

class MultiAttributeKeys : public ::testing::Test {
  protected:
    std::shared_ptr<test::RecordingTransport> sent =
        std::make_shared<test::RecordingTransport>(make_socket_transport(16));
    Engine engine{Client([this] {
        ClientOptions o = test::client_options();
        o.transport = sent;
        return o;
    }())};
    void SetUp() override {
        engine.bind<Sale>();
        std::vector<Sale> sales;
        int n = 0;
        for (const std::string region : {"eu", "us"}) {
            for (const std::string day : {"2026-05-01", "2026-05-02", "2026-06-01"}) {
                for (std::int64_t seq = 1; seq <= 3; ++seq) {
                    sales.push_back({"sale-" + std::to_string(n++), "acme", region, day, seq,
                                     Decimal(std::to_string(seq))});
                }
            }
        }
        engine.save(sales);
    }
    static constexpr const auto& by_region = Model<Sale>::by_region;
    std::vector<std::string> ids(Search<Sale> q) {
        std::vector<std::string> out;
        for (const Sale& s : q) out.push_back(s.region + "/" + s.day + "/" + std::to_string(s.seq));
        std::sort(out.begin(), out.end());
        return out;
    }
};

TEST_F(MultiAttributeKeys, TheIndexIsCreatedWithEveryKeyAttributeInOrder) {
    json::Value describe;
    describe["TableName"] = "MultiKeySale";
    const json::Value answer = engine.client().call(Operation::DescribeTable, describe);
    const json::Value& index = answer.at("Table").at("GlobalSecondaryIndexes").as_array().at(0);
    std::vector<std::string> keys;
    for (const auto& k : index.at("KeySchema").as_array())
        keys.push_back(k.at("AttributeName").as_string() + " " + k.at("KeyType").as_string());
    EXPECT_EQ(keys,
              (std::vector<std::string>{"tenant HASH", "region HASH", "day RANGE", "seq RANGE"}));
    // Bound again, the table validates.
    EXPECT_NO_THROW(engine.bind<Sale>());
}

TEST_F(MultiAttributeKeys, ATypedKeyQueriesHashMembersThenRangeMembersLeftToRight) {
    EXPECT_EQ(ids(engine.query(by_region, index_key(by_region)
                                              .equal<&Sale::tenant>("acme")
                                              .equal<&Sale::region>("eu")
                                              .equal<&Sale::day>("2026-05-02")
                                              .greater<&Sale::seq>(1))),
              (std::vector<std::string>{"eu/2026-05-02/2", "eu/2026-05-02/3"}));
    const std::string body = sent->last("Query");
    EXPECT_NE(body.find(R"("IndexName":"by_region")"), std::string::npos) << body;
    EXPECT_EQ(ids(engine.query(by_region, index_key(by_region)
                                              .equal<&Sale::tenant>("acme")
                                              .equal<&Sale::region>("us")
                                              .begins_with<&Sale::day>("2026-05")))
                  .size(),
              6u);
    EXPECT_EQ(ids(engine.query(
                      by_region,
                      index_key(by_region).equal<&Sale::tenant>("acme").equal<&Sale::region>("us")))
                  .size(),
              9u);
}

TEST_F(MultiAttributeKeys, AKeyConditionBreakingTheRulesIsRefusedBeforeSending) {
    const std::size_t before = sent->count();
    // No equality on the second hash member.
    EXPECT_THROW((void)engine.query(by_region, attr<&Sale::tenant> == "acme"), InvalidKeyCondition);
    // A range member skipped.
    EXPECT_THROW(
        (void)engine.query(by_region, attr<&Sale::tenant> == "acme" &&
                                          attr<&Sale::region> == "eu" && attr<&Sale::seq> == 1),
        InvalidKeyCondition);
    // Two conditions that are not equalities.
    EXPECT_THROW((void)engine.query(by_region,
                                    attr<&Sale::tenant> == "acme" && attr<&Sale::region> == "eu" &&
                                        attr<&Sale::day> > "2026" && attr<&Sale::seq> > 1),
                 InvalidKeyCondition);
    EXPECT_EQ(sent->count(), before);
    // The same rules written with attr compile and run when they hold.
    EXPECT_EQ(
        ids(engine.query(by_region, attr<&Sale::region> == "eu" && attr<&Sale::tenant> == "acme" &&
                                        attr<&Sale::day> == "2026-06-01"))
            .size(),
        3u);
}

TEST_F(MultiAttributeKeys, AModelWithTheKeyMembersInAnotherOrderDoesNotMatchTheTable) {
    try {
        engine.bind<multikey::Reordered>();
        FAIL() << "no TableMismatch";
    } catch (const TableMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("GSI 'by_region' has another key schema"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace bloop
