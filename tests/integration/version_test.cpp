// Optimistic locking against DynamoDB Local: a version column guards saves and removes.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "integration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace versioned {
struct Doc {
    std::string id;
    std::string body;
    std::int64_t version = 0;
};
}  // namespace versioned

template <>
struct bloop::Model<versioned::Doc> {
    static constexpr Meta meta{.table_name = "VersionDoc"};
    static constexpr auto hash_key = &versioned::Doc::id;
    static constexpr auto version = &versioned::Doc::version;
};

namespace bloop {
namespace {

using versioned::Doc;

class VersionTest : public ::testing::Test {
  protected:
    Engine engine{Client(test::client_options())};
    void SetUp() override { engine.bind<Doc>(); }

    std::optional<Item> stored(const std::string& id) {
        return test::stored_by_id(engine.client(), "VersionDoc", id);
    }
    std::string stored_version(const std::string& id) {
        return stored(id)->at("version").as_number();
    }
    static std::string violation(const std::function<void()>& write) {
        try {
            write();
        } catch (const ConstraintViolation& e) {
            return e.what();
        }
        return "no ConstraintViolation";
    }
};

TEST_F(VersionTest, ANewObjectIsCreatedAtVersionOneAndOnlyOnce) {
    Doc d{"new-1", "first", 0};
    engine.save(d);
    EXPECT_EQ(d.version, 1);
    EXPECT_EQ(stored_version("new-1"), "1");

    Doc again{"new-1", "second", 0};  // never loaded: it must not overwrite the stored one
    const std::string message = violation([&] { engine.save(again); });
    EXPECT_NE(message.find(
                  "Doc(id='new-1') is stale: it was never loaded or saved (version 0), "
                  "but the table holds it at version 1"),
              std::string::npos)
        << message;
    EXPECT_EQ(again.version, 0) << "a failed save changes nothing";
    EXPECT_EQ(stored("new-1")->at("body"), AttributeValue::string("first"));
}

TEST_F(VersionTest, ALoadedObjectSavesAtItsVersionAndIncrementsIt) {
    Doc d{"inc", "v1", 0};
    engine.save(d);
    Doc loaded{"inc", "", 0};
    engine.load(loaded);
    EXPECT_EQ(loaded.version, 1);
    loaded.body = "v2";
    engine.save(loaded);
    EXPECT_EQ(loaded.version, 2);
    engine.save(loaded);
    EXPECT_EQ(loaded.version, 3);
    EXPECT_EQ(stored_version("inc"), "3");
}

TEST_F(VersionTest, TwoEnginesWritingTheSameItemConflict) {
    Engine other{Client(test::client_options())};
    other.bind<Doc>();
    Doc seed{"shared", "seed", 0};
    engine.save(seed);
    Doc mine{"shared", "", 0};
    Doc theirs{"shared", "", 0};
    engine.load(mine);
    other.load(theirs);
    theirs.body = "theirs";
    other.save(theirs);
    mine.body = "mine";
    const std::string message = violation([&] { engine.save(mine); });
    EXPECT_NE(
        message.find("Doc(id='shared') is stale: it has version 1, but the table holds "
                     "version 2"),
        std::string::npos)
        << message;
    EXPECT_EQ(mine.version, 1);
    EXPECT_EQ(stored("shared")->at("body"), AttributeValue::string("theirs"));
}

TEST_F(VersionTest, RemoveRequiresTheStoredVersion) {
    Doc d{"rm", "x", 0};
    engine.save(d);
    Doc stale = d;
    engine.save(d);  // version 2
    const std::string message = violation([&] { engine.remove(stale); });
    EXPECT_NE(message.find("it has version 1, but the table holds version 2"), std::string::npos)
        << message;
    EXPECT_TRUE(stored("rm"));
    engine.remove(d);
    EXPECT_FALSE(stored("rm"));
    EXPECT_EQ(d.version, 0) << "deleted: a save creates it anew";
    engine.save(d);
    EXPECT_EQ(stored_version("rm"), "1");
}

TEST_F(VersionTest, SavingAnObjectWhoseItemWasDeletedSaysSo) {
    Doc d{"gone", "x", 0};
    engine.save(d);
    Doc copy = d;
    engine.remove(copy);
    const std::string message = violation([&] { engine.save(d); });
    EXPECT_NE(message.find("it has version 1, but the item no longer exists"), std::string::npos)
        << message;
    EXPECT_FALSE(stored("gone")) << "nothing was written";
}

TEST_F(VersionTest, BulkSavesReportExactlyTheStaleObjects) {
    std::vector<Doc> docs;
    for (int i = 0; i < 20; ++i) docs.push_back({"bulk" + std::to_string(i), "a", 0});
    engine.save(docs);
    std::vector<Doc> stale = docs;
    docs[4].body = "moved on";
    docs[11].body = "moved on";
    engine.save(docs[4]);
    engine.save(docs[11]);
    for (auto& d : stale) d.body = "b";
    try {
        engine.save(stale);
        FAIL() << "two objects are stale";
    } catch (const WriteFailed& e) {
        ASSERT_EQ(e.failures().size(), 2u);
        EXPECT_NE(e.failure_of(stale[4]), nullptr);
        EXPECT_NE(e.failure_of(stale[11]), nullptr);
    }
    EXPECT_EQ(stale[0].version, 2);
    EXPECT_EQ(stale[4].version, 1);
    EXPECT_EQ(stored("bulk4")->at("body"), AttributeValue::string("moved on"));
    EXPECT_EQ(stored("bulk0")->at("body"), AttributeValue::string("b"));
}

TEST_F(VersionTest, AUserConditionFailingIsNotCalledStale) {
    Doc d{"cond", "x", 0};
    engine.save(d);
    const std::string message =
        violation([&] { engine.save(d, {.condition = attr<&Doc::body> == "something else"}); });
    EXPECT_NE(message.find("The condition was not met for Doc(id='cond')"),
              std::string::npos)
        << message;
}

}  // namespace
}  // namespace bloop
