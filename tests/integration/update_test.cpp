// Update actions and returned values against DynamoDB Local: counters under concurrency, set
// add/remove, list append/prepend, set_if_missing, remove, objects synced from returned items.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "integration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace update_app {
struct Counter {
    std::string id;
    std::int64_t hits = 0;
    std::set<std::string> tags;
    std::vector<std::string> log;
    std::optional<std::string> created;
    std::optional<std::string> note;
    bloop::ObjectState state;
};
}  // namespace update_app

using update_app::Counter;

template <>
struct bloop::Model<Counter> {
    static constexpr Meta meta{.table_name = "UpdateCounter"};
    static constexpr auto hash_key = &Counter::id;
};

namespace bloop {
namespace {

class UpdateTest : public ::testing::Test {
  protected:
    Engine engine{Client(test::client_options())};
    void SetUp() override { engine.bind<Counter>(); }

    Item stored(const std::string& id) {
        return test::stored_by_id(engine.client(), "UpdateCounter", id).value_or(Item{});
    }
    static Counter counter(const std::string& id) {
        Counter c;
        c.id = id;
        return c;
    }
};

TEST_F(UpdateTest, ConcurrentAddsWithoutAReadLoseNothing) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                Counter c = counter("concurrent");
                engine.save(c, {.actions = {attr<&Counter::hits>.add(1)}});
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(stored("concurrent").at("hits").as_number(), "400");
}

TEST_F(UpdateTest, SetsGainAndLoseElements) {
    Counter c = counter("sets");
    engine.save(c, {.actions = {attr<&Counter::tags>.add({"a", "b", "c"})}});
    engine.save(c, {.actions = {attr<&Counter::tags>.remove_from({"b", "zzz"})}});
    EXPECT_EQ(stored("sets").at("tags"), AttributeValue::string_set({"a", "c"}));
    engine.save(c, {.actions = {attr<&Counter::tags>.remove_from({"a", "c"})}});
    EXPECT_FALSE(stored("sets").contains("tags")) << "an emptied set is removed";
}

TEST_F(UpdateTest, ListsGrowAtEitherEndStartingFromNothing) {
    Counter c = counter("lists");
    engine.save(c, {.actions = {attr<&Counter::log>.append({"b"})}});  // no list yet
    engine.save(c, {.actions = {attr<&Counter::log>.append({"c", "d"})}});
    engine.save(c, {.actions = {attr<&Counter::log>.prepend({"a"})}});
    Counter loaded = counter("lists");
    engine.load(loaded);
    EXPECT_EQ(loaded.log, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST_F(UpdateTest, SetIfMissingKeepsWhatIsStoredAndRemoveDropsIt) {
    Counter c = counter("missing");
    c.note = "n";
    engine.save(c, {.actions = {attr<&Counter::created>.set_if_missing("first")}});
    engine.save(c, {.actions = {attr<&Counter::created>.set_if_missing("second")}});
    EXPECT_EQ(stored("missing").at("created"), AttributeValue::string("first"));
    EXPECT_EQ(stored("missing").at("note"), AttributeValue::string("n"));
    Counter other = counter("missing");  // does not know the note
    engine.save(other, {.actions = {attr<&Counter::note>.remove()}});
    EXPECT_FALSE(stored("missing").contains("note"));
    EXPECT_EQ(stored("missing").at("created"), AttributeValue::string("first"));
}

TEST_F(UpdateTest, SyncAfterGivesTheObjectTheStoredCounter) {
    Counter seed = counter("synced");
    seed.hits = 10;
    seed.tags = {"x"};
    engine.save(seed);
    Counter c = counter("synced");  // never loaded: hits 0, no tags
    engine.save(c, {.actions = {attr<&Counter::hits>.add(5)}, .sync = Sync::after});
    EXPECT_EQ(c.hits, 15) << "the counter as stored after the add";
    EXPECT_EQ(c.tags, (std::set<std::string>{"x"})) << "loaded from the stored item";
    EXPECT_TRUE(c.state.synced());
    // Synced: an atomic save now holds.
    c.note = "atomic";
    engine.save(c, {.atomic = true});
    EXPECT_EQ(stored("synced").at("note"), AttributeValue::string("atomic"));

    Counter before = counter("synced");
    engine.save(before, {.actions = {attr<&Counter::hits>.add(1)}, .sync = Sync::before});
    EXPECT_EQ(before.hits, 15) << "the counter as it was before the add";
    EXPECT_EQ(stored("synced").at("hits").as_number(), "16");
}

TEST_F(UpdateTest, ARemoveCanReadBackTheItemItDeleted) {
    Counter seed = counter("old");
    seed.hits = 3;
    seed.note = "last words";
    engine.save(seed);
    Counter c = counter("old");
    engine.remove(c, {.sync = Sync::before});
    EXPECT_EQ(c.hits, 3);
    EXPECT_EQ(c.note, "last words");
    EXPECT_TRUE(stored("old").empty());
}

TEST_F(UpdateTest, AnActionWithoutSyncLeavesItsColumnUnknownSoALaterSaveKeepsTheCounter) {
    Counter c = counter("unknown");
    c.note = "a";
    engine.save(c);  // hits 0 stored, every column known
    engine.save(c, {.actions = {attr<&Counter::hits>.add(7)}});
    c.note = "b";
    engine.save(c);  // hits is no longer known and unchanged since: not written
    EXPECT_EQ(stored("unknown").at("hits").as_number(), "7");
    EXPECT_EQ(stored("unknown").at("note"), AttributeValue::string("b"));
}

}  // namespace
}  // namespace bloop
