// Batch writes against DynamoDB Local: 1,000 puts and deletes across two tables, a put that
// replaces the whole item, and an item DynamoDB refuses reported exactly while the rest are
// written.

#include <bloop/engine/batch.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "integration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace batch_app {
struct Reading {
    std::string sensor;
    std::int64_t at = 0;
    double value = 0;
};
struct Sensor {
    std::string id;
    std::optional<std::string> owner;
    std::optional<std::string> place;
};
}  // namespace batch_app

using batch_app::Reading;
using batch_app::Sensor;

template <>
struct bloop::Model<Reading> {
    static constexpr Meta meta{.table_name = "BatchReading"};
    static constexpr auto hash_key = &Reading::sensor;
    static constexpr auto range_key = &Reading::at;
};
template <>
struct bloop::Model<Sensor> {
    static constexpr Meta meta{.table_name = "BatchSensor"};
    static constexpr auto hash_key = &Sensor::id;
    static constexpr auto by_owner =
        global_index("by_owner").hash_key<&Sensor::owner>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_owner);
};

namespace bloop {
namespace {

class BatchTest : public ::testing::Test {
  protected:
    Engine engine{Client(test::client_options())};
    void SetUp() override { engine.bind<Reading, Sensor>(); }

    std::size_t count(const char* table) {
        json::Value request;
        request["TableName"] = table;
        request["Select"] = "COUNT";
        request["ConsistentRead"] = true;
        std::size_t n = 0;
        for (;;) {
            json::Value page = engine.client().call(Operation::Scan, request);
            n += static_cast<std::size_t>(page.at("Count").as_int());
            const json::Value* last = page.find("LastEvaluatedKey");
            if (last == nullptr) return n;
            request["ExclusiveStartKey"] = *last;
        }
    }
    std::optional<Item> stored_sensor(const std::string& id) {
        return test::stored_by_id(engine.client(), "BatchSensor", id);
    }
};

TEST_F(BatchTest, AThousandPutsAndDeletesAcrossTwoTables) {
    std::vector<Reading> readings;
    std::vector<Sensor> sensors;
    for (int i = 0; i < 800; ++i) readings.push_back({"s" + std::to_string(i % 20), i, i * 0.5});
    for (int i = 0; i < 200; ++i)
        sensors.push_back({"sensor" + std::to_string(i), "owner" + std::to_string(i % 3), "lab"});
    int saved = 0;
    engine.object_saved.connect([&](const ObjectEvent&) { ++saved; });
    BatchWrite(engine).put(std::span(readings)).put(std::span(sensors)).commit();
    EXPECT_EQ(saved, 1000);
    EXPECT_EQ(count("BatchReading"), 800u);
    EXPECT_EQ(count("BatchSensor"), 200u);

    std::vector<Reading> first_half(readings.begin(), readings.begin() + 400);
    BatchWrite(engine).remove(std::span(first_half)).remove(std::span(sensors)).commit();
    EXPECT_EQ(count("BatchReading"), 400u);
    EXPECT_EQ(count("BatchSensor"), 0u);
}

TEST_F(BatchTest, APutReplacesTheWholeItem) {
    Sensor full{"replace", "ann", "roof"};
    engine.save(full);
    Sensor bare{"replace", "ann", std::nullopt};
    BatchWrite(engine).put(bare).commit();
    const auto item = stored_sensor("replace");
    ASSERT_TRUE(item);
    EXPECT_FALSE(item->contains("place")) << "unlike a save, a put leaves nothing it did not write";
}

TEST_F(BatchTest, AnItemDynamoDBRefusesIsReportedExactlyAndTheOthersAreWritten) {
    std::vector<Sensor> sensors;
    for (int i = 0; i < 30; ++i)
        sensors.push_back({"fault" + std::to_string(i), "owner", std::nullopt});
    sensors[17].place = std::string(410'000, 'x');  // over DynamoDB's 400 KB item size
    try {
        BatchWrite(engine).put(std::span(sensors)).commit();
        FAIL() << "DynamoDB refuses an item over 400 KB";
    } catch (const WriteFailed& e) {
        ASSERT_EQ(e.failures().size(), 1u) << e.what();
        EXPECT_NE(e.failure_of(sensors[17]), nullptr);
        EXPECT_NE(e.failures()[0].message.find("Sensor(id='fault17') (put): "),
                  std::string::npos)
            << e.failures()[0].message;
        EXPECT_NE(e.failures()[0].message.find("ValidationException"), std::string::npos);
    }
    for (int i = 0; i < 30; ++i) {
        EXPECT_EQ(stored_sensor("fault" + std::to_string(i)).has_value(), i != 17) << i;
    }
}

}  // namespace
}  // namespace bloop
