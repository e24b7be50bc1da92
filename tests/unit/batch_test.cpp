// Batch writes against a scripted transport: the exact BatchWriteItem bodies, 25 items a request,
// UnprocessedItems sent again, a request refused as a whole split into single items, and the input
// refused before sending.

#include <bloop/engine/batch.hpp>
#include <bloop/exceptions.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace batch_unit {
struct Thing {
    std::string id;
    std::int64_t n = 0;
    std::optional<std::string> label;
    bloop::ObjectState state;
};
struct Log {
    std::string day;
    std::int64_t seq = 0;
};
struct Versioned {
    std::string id;
    std::int64_t version = 0;
};
}  // namespace batch_unit

using batch_unit::Log;
using batch_unit::Thing;
using batch_unit::Versioned;

template <>
struct bloop::Model<Thing> {
    static constexpr Meta meta{.table_name = "BatchThing"};
    static constexpr auto hash_key = &Thing::id;
};
template <>
struct bloop::Model<Log> {
    static constexpr Meta meta{.table_name = "BatchLog"};
    static constexpr auto hash_key = &Log::day;
    static constexpr auto range_key = &Log::seq;
};
template <>
struct bloop::Model<Versioned> {
    static constexpr Meta meta{.table_name = "BatchVersioned"};
    static constexpr auto hash_key = &Versioned::id;
    static constexpr auto version = &Versioned::version;
};

namespace bloop {
namespace {

struct Harness : test::ScriptedEngine {
    std::vector<std::string> saved, deleted;
    Harness() {
        engine.bind<Thing, Log, Versioned>({.skip_table_setup = true});
        engine.object_saved.connect([this](const ObjectEvent& e) {
            if (const auto* t = e.object<Thing>()) saved.push_back(t->id);
        });
        engine.object_deleted.connect([this](const ObjectEvent& e) {
            if (const auto* l = e.object<Log>()) deleted.push_back(l->day);
        });
    }
};

std::vector<Thing> things(int n, const std::string& prefix = "t") {
    std::vector<Thing> out(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)].id = prefix + std::to_string(i);
    return out;
}

TEST(BatchWrite, PutsWholeItemsAndDeletesKeysAcrossTablesInOneRequest) {
    Harness h;
    h.transport->respond(200, "{}");
    Thing a{"a", 1, "first", {}};
    Thing b{"b", 2, std::nullopt, {}};
    Log old{"2026-11-01", 7};
    BatchWrite(h.engine).put(a).put(b).remove(old).commit();
    ASSERT_EQ(h.bodies().size(), 1u);
    EXPECT_EQ(h.targets()[0], "DynamoDB_20120810.BatchWriteItem");
    EXPECT_EQ(
        h.bodies()[0],
        R"j({"RequestItems":{"BatchThing":[{"PutRequest":{"Item":{"id":{"S":"a"},"label":{"S":"first"},"n":{"N":"1"}}}},{"PutRequest":{"Item":{"id":{"S":"b"},"n":{"N":"2"}}}}],"BatchLog":[{"DeleteRequest":{"Key":{"day":{"S":"2026-11-01"},"seq":{"N":"7"}}}}]}})j");
    // A put writes every column: all known, so an atomic save can follow.
    EXPECT_TRUE(b.state.synced());
    EXPECT_TRUE(b.state.known(*model_info<Thing>().column_index("label")));
    EXPECT_EQ(h.saved, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(h.deleted, (std::vector<std::string>{"2026-11-01"}));
}

TEST(BatchWrite, SendsTwentyFiveItemsARequest) {
    Harness h;
    h.transport->respond(200, "{}");
    h.transport->respond(200, "{}");
    auto many = things(30);
    BatchWrite(h.engine).put(std::span(many)).commit();
    const auto bodies = h.bodies();
    ASSERT_EQ(bodies.size(), 2u);
    std::vector<std::size_t> sizes;
    for (const auto& b : bodies)
        sizes.push_back(json::parse(b).at("RequestItems").at("BatchThing").as_array().size());
    std::sort(sizes.begin(), sizes.end());
    EXPECT_EQ(sizes, (std::vector<std::size_t>{5, 25}));
    EXPECT_EQ(h.saved.size(), 30u);
}

TEST(BatchWrite, UnprocessedItemsAreSentAgainUntilWritten) {
    Harness h;
    h.transport->respond(
        200,
        R"j({"UnprocessedItems":{"BatchThing":[{"PutRequest":{"Item":{"id":{"S":"t1"},"n":{"N":"0"}}}}],"BatchLog":[{"DeleteRequest":{"Key":{"day":{"S":"d"},"seq":{"N":"1"}}}}]}})j");
    h.transport->respond(200, "{}");
    auto three = things(3);
    Log log{"d", 1};
    BatchWrite(h.engine).put(std::span(three)).remove(log).commit();
    const auto bodies = h.bodies();
    ASSERT_EQ(bodies.size(), 2u);
    EXPECT_EQ(
        bodies[1],
        R"j({"RequestItems":{"BatchThing":[{"PutRequest":{"Item":{"id":{"S":"t1"},"n":{"N":"0"}}}}],"BatchLog":[{"DeleteRequest":{"Key":{"day":{"S":"d"},"seq":{"N":"1"}}}}]}})j");
    EXPECT_EQ(h.saved.size(), 3u);
    EXPECT_EQ(h.deleted.size(), 1u);
}

TEST(BatchWrite, ItemsStillUnprocessedAfterEveryRoundAreUnprocessedItemsNamingThemOnly) {
    Harness h;
    for (int round = 0; round < 12; ++round) {
        h.transport->respond(
            200,
            R"j({"UnprocessedItems":{"BatchThing":[{"PutRequest":{"Item":{"id":{"S":"t1"},"n":{"N":"0"}}}}]}})j");
    }
    auto three = things(3);
    try {
        BatchWrite(h.engine).put(std::span(three)).commit();
        FAIL();
    } catch (const UnprocessedItems& e) {
        ASSERT_EQ(e.failures().size(), 1u);
        EXPECT_NE(e.failure_of(three[1]), nullptr);
        EXPECT_EQ(e.failure_of(three[0]), nullptr);
        EXPECT_EQ(std::string(e.what()),
                  "1 of 3 batch writes were left unprocessed:\n  - Thing(id='t1') (put): "
                  "BatchWriteItem still returned it as unprocessed after 12 rounds (the table's "
                  "throughput is exceeded)");
    }
    EXPECT_EQ(h.bodies().size(), 12u);
    EXPECT_EQ(h.saved, (std::vector<std::string>{"t0", "t2"}));
}

TEST(BatchWrite, ARequestRefusedAsAWholeIsSplitAndOnlyTheItemAtFaultFails) {
    Harness h;
    h.transport->fail(400, "ValidationException",
                      "Item size has exceeded the maximum allowed size");
    // Then each of the three on its own: the second is the one at fault.
    auto three = things(3);
    h.transport->respond(200, "{}");
    h.transport->fail(400, "ValidationException",
                      "Item size has exceeded the maximum allowed size");
    h.transport->respond(200, "{}");
    // The single requests run concurrently: which one meets the error depends on arrival.
    try {
        BatchWrite(h.engine).put(std::span(three)).commit();
        FAIL();
    } catch (const WriteFailed& e) {
        ASSERT_EQ(e.failures().size(), 1u) << e.what();
        const Thing* failed = nullptr;
        for (const auto& t : three)
            if (e.failure_of(t) != nullptr) failed = &t;
        ASSERT_NE(failed, nullptr);
        EXPECT_EQ(
            e.failures()[0].message.rfind("Thing(id='" + failed->id + "') (put): ", 0),
            0u)
            << e.failures()[0].message;
        EXPECT_FALSE(failed->state.synced());
    }
    EXPECT_EQ(h.bodies().size(), 4u);
    EXPECT_EQ(h.saved.size(), 2u);
}

TEST(BatchWrite, TwoOperationsOnOneItemAndVersionedModelsAreRefusedBeforeSending) {
    Harness h;
    Thing a{"same", 1, std::nullopt, {}};
    Thing b{"same", 2, std::nullopt, {}};
    try {
        BatchWrite(h.engine).put(a).put(a).remove(b).commit();
        FAIL();
    } catch (const InvalidBatch& e) {
        EXPECT_STREQ(e.what(),
                     "a batch holds one operation per item: Thing(id='same') (put) and "
                     "Thing(id='same') (delete) are the same item of table BatchThing");
    }
    Versioned v{"v", 3};
    try {
        BatchWrite(h.engine).put(v).commit();
        FAIL();
    } catch (const InvalidBatch& e) {
        EXPECT_EQ(
            std::string(e.what()).rfind("Versioned(id='v') has a version column", 0), 0u);
    }
    EXPECT_NO_THROW(BatchWrite(h.engine).commit()) << "an empty batch sends nothing";
    EXPECT_TRUE(h.bodies().empty());
}

}  // namespace
}  // namespace bloop
