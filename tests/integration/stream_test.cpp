// Streams against DynamoDB Local: order and images for each stream view, positions, tokens.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/stream/stream.hpp>

#include "integration.hpp"
#include "stream_view_models.hpp"

#include <gtest/gtest.h>

namespace stream_app {

struct Silent {  // no stream
    std::string id;
};

}  // namespace stream_app

using namespace stream_app;

template <>
struct bloop::Model<Silent> {
    static constexpr Meta meta{.table_name = "StreamSilent"};
    static constexpr auto columns = bloop::columns(column<&Silent::id>().hash_key());
};

namespace bloop {
namespace {

class StreamTest : public ::testing::Test {
  protected:
    Engine engine{Client(test::client_options())};
    void SetUp() override { engine.bind<Both, Keys, New, Old, Silent>(); }

    // Insert, modify and remove one object; returns the records read from the trim horizon.
    template <class T>
    std::vector<Record<T>> lifecycle(const std::string& id) {
        auto stream = engine.stream<T>(latest);  // only this object's records follow
        T object{id, "first"};
        engine.save(object);
        object.value = "second";
        engine.save(object);
        engine.remove(object);
        std::vector<Record<T>> out;
        for (int poll = 0; poll < 20 && out.size() < 3; ++poll) {
            while (auto r = stream.next()) out.push_back(*r);
        }
        return out;
    }
};

TEST_F(StreamTest, NewAndOldImagesInOrder) {
    const auto records = lifecycle<Both>("both-1");
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].meta.event_type, "insert");
    EXPECT_EQ(records[1].meta.event_type, "modify");
    EXPECT_EQ(records[2].meta.event_type, "remove");
    EXPECT_FALSE(records[0].old_image);
    EXPECT_EQ(records[0].new_image->value, "first");
    EXPECT_EQ(records[1].old_image->value, "first");
    EXPECT_EQ(records[1].new_image->value, "second");
    EXPECT_EQ(records[2].old_image->value, "second");
    EXPECT_FALSE(records[2].new_image);
    EXPECT_FALSE(records[0].key) << "NEW_AND_OLD_IMAGES does not include keys";
    EXPECT_LT(Decimal(records[0].meta.sequence_number), Decimal(records[1].meta.sequence_number));
    EXPECT_FALSE(records[0].meta.event_id.empty());
}

TEST_F(StreamTest, EachViewCarriesOnlyItsImages) {
    const auto keys = lifecycle<Keys>("keys-1");
    ASSERT_EQ(keys.size(), 3u);
    for (const auto& r : keys) {
        EXPECT_EQ(r.key->id, "keys-1");
        EXPECT_EQ(r.key->value, "") << "a key image holds only the key";
        EXPECT_FALSE(r.new_image);
        EXPECT_FALSE(r.old_image);
    }
    const auto news = lifecycle<New>("new-1");
    ASSERT_EQ(news.size(), 3u);
    EXPECT_EQ(news[1].new_image->value, "second");
    EXPECT_FALSE(news[1].old_image);
    EXPECT_FALSE(news[2].new_image) << "a remove has no new image";
    EXPECT_FALSE(news[2].key) << "and keys only come with the keys view, as in bloop";
    const auto olds = lifecycle<Old>("old-1");
    ASSERT_EQ(olds.size(), 3u);
    EXPECT_FALSE(olds[0].old_image);
    EXPECT_EQ(olds[1].old_image->value, "first");
    EXPECT_FALSE(olds[1].new_image);
}

TEST_F(StreamTest, ATokenTakenMidwayResumesInANewEngineWithNoGapOrDuplicate) {
    auto stream = engine.stream<Both>(latest);
    for (int i = 0; i < 8; ++i) {
        Both b{"token-" + std::to_string(i), "v"};
        engine.save(b);
    }
    std::vector<std::string> seen;
    while (seen.size() < 3) {
        if (auto r = stream.next()) seen.push_back(r->new_image->id);
    }
    const std::string token = stream.token();

    Engine other{Client(test::client_options())};
    other.bind<Both>(BindOptions{.skip_table_setup = false});
    auto resumed = other.stream<Both>(StreamPosition::from_token(token));
    for (int poll = 0; poll < 20 && seen.size() < 8; ++poll) {
        while (auto r = resumed.next()) seen.push_back(r->new_image->id);
    }
    std::vector<std::string> expected;
    for (int i = 0; i < 8; ++i) expected.push_back("token-" + std::to_string(i));
    EXPECT_EQ(seen, expected);
    EXPECT_FALSE(resumed.next());
}

TEST_F(StreamTest, LatestSeesOnlyNewRecordsAndSignalsImages) {
    Both before{"latest-before", "v"};
    engine.save(before);
    auto stream = engine.stream<Both>(StreamPosition::from_name("LATEST"));  // any case
    int loaded = 0;
    auto c = engine.object_loaded.connect([&](const ObjectEvent&) { ++loaded; });
    Both after{"latest-after", "v"};
    engine.save(after);
    std::vector<std::string> seen;
    for (int poll = 0; poll < 10; ++poll) {
        while (auto r = stream.next()) seen.push_back(r->new_image->id);
    }
    EXPECT_EQ(seen, std::vector<std::string>{"latest-after"});
    EXPECT_EQ(loaded, 1);
}

TEST_F(StreamTest, PositionsAndModelsAreChecked) {
    EXPECT_NO_THROW((void)StreamPosition::from_name("Trim_Horizon"));
    EXPECT_THROW((void)StreamPosition::from_name("beginning"), InvalidPosition);
    EXPECT_THROW((void)engine.stream<Silent>(trim_horizon), InvalidStream);
    EXPECT_THROW((void)engine.stream<Both>(StreamPosition::from_token("{}")), InvalidPosition);
}

}  // namespace
}  // namespace bloop
