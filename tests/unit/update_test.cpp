// Update actions and returned values against a scripted transport: the exact UpdateExpression of
// every action and of their combinations with the save's own SET/REMOVE, a condition and atomic;
// the misuses refused before sending; the object synced from the returned item.

#include <bloop/engine/transaction.hpp>
#include <bloop/exceptions.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace update_unit {
struct Page {
    std::string page;
    std::int64_t views = 0;
    std::set<std::string> tags;
    std::vector<std::string> log;
    std::optional<std::string> first_seen;
    std::optional<std::string> note;
    std::map<std::string, std::int64_t> scores;
    bloop::ObjectState state;
};
struct Versioned {
    std::string id;
    std::int64_t hits = 0;
    std::int64_t version = 0;
};
}  // namespace update_unit

using update_unit::Page;
using update_unit::Versioned;

template <>
struct bloop::Model<Page> {
    static constexpr Meta meta{.table_name = "UpPage"};
    static constexpr auto hash_key = &Page::page;
};
template <>
struct bloop::Model<Versioned> {
    static constexpr Meta meta{.table_name = "UpVersioned"};
    static constexpr auto hash_key = &Versioned::id;
    static constexpr auto version = &Versioned::version;
};

namespace bloop {
namespace {

struct Harness : test::ScriptedEngine {
    Harness() { engine.bind<Page, Versioned>({.skip_table_setup = true}); }
    // The UpdateExpression and the attribute maps of request `i`.
    std::string update(std::size_t i = 0) const {
        return json::parse(bodies().at(i)).at("UpdateExpression").as_string();
    }
    std::string body(std::size_t i = 0) const { return bodies().at(i); }
};

Page page(const std::string& id) {
    Page p;
    p.page = id;
    return p;
}

TEST(UpdateActions, AddToANumberIsTheWholeUpdateOfACounter) {
    Harness h;
    h.transport->respond(200, "{}");
    Page p = page("home");
    p.tags = {"x"};
    h.engine.save(p, {.actions = {attr<&Page::views>.add(1)}});
    // tags is written as usual; views only by the action (never SET from the object's 0).
    EXPECT_EQ(
        h.body(),
        R"j({"TableName":"UpPage","Key":{"page":{"S":"home"}},"UpdateExpression":"SET #n0=:v1 ADD #n2 :v3","ExpressionAttributeNames":{"#n0":"tags","#n2":"views"},"ExpressionAttributeValues":{":v1":{"SS":["x"]},":v3":{"N":"1"}}})j");
}

TEST(UpdateActions, EveryActionRendersInItsClause) {
    Harness h;
    h.transport->respond(200, "{}");
    Page p = page("all");
    h.engine.save(
        p, {.actions = {attr<&Page::views>.add(-2), attr<&Page::tags>.remove_from({"a", "b"}),
                        attr<&Page::log>.append({"seen"}),
                        attr<&Page::first_seen>.set_if_missing("2026-11-29"),
                        attr<&Page::note>.remove()}});
    EXPECT_EQ(h.update(),
              "SET #n0=if_not_exists(#n0, :v1), #n2=list_append(if_not_exists(#n2, :v3), :v4) "
              "REMOVE #n5 ADD #n6 :v7 DELETE #n8 :v9");
    EXPECT_EQ(
        h.body(),
        R"j({"TableName":"UpPage","Key":{"page":{"S":"all"}},"UpdateExpression":"SET #n0=if_not_exists(#n0, :v1), #n2=list_append(if_not_exists(#n2, :v3), :v4) REMOVE #n5 ADD #n6 :v7 DELETE #n8 :v9","ExpressionAttributeNames":{"#n0":"first_seen","#n2":"log","#n5":"note","#n6":"views","#n8":"tags"},"ExpressionAttributeValues":{":v1":{"S":"2026-11-29"},":v3":{"L":[]},":v4":{"L":[{"S":"seen"}]},":v7":{"N":"-2"},":v9":{"SS":["a","b"]}}})j");
}

TEST(UpdateActions, PrependPutsTheValueFirst) {
    Harness h;
    h.transport->respond(200, "{}");
    Page p = page("pre");
    h.engine.save(p, {.actions = {attr<&Page::log>.prepend(std::vector<std::string>{"first"})}});
    // views (an integer, always a value) is written as usual.
    EXPECT_EQ(h.update(), "SET #n0=:v1, #n2=list_append(:v3, if_not_exists(#n2, :v4))");
}

TEST(UpdateActions, ReachIntoDocuments) {
    Harness h;
    h.transport->respond(200, "{}");
    Page p = page("doc");
    h.engine.save(p, {.actions = {attr<&Page::scores>["monday"].add(3)}});
    EXPECT_EQ(h.update(), "SET #n0=:v1 ADD #n2.#n3 :v4");  // views, then scores.monday
    EXPECT_EQ(json::parse(h.body()).at("ExpressionAttributeNames").at("#n2").as_string(), "scores");
}

TEST(UpdateActions, CombineWithTheSavesOwnSetRemoveConditionAndAtomic) {
    Harness h;
    h.transport->respond(
        200,
        R"j({"Responses":{"UpPage":[{"page":{"S":"c"},"note":{"S":"old"},"views":{"N":"4"}}]}})j");
    h.transport->respond(200, "{}");
    Page p = page("c");
    h.engine.load(p);  // every column known: atomic asserts each, absent ones included
    p.note.reset();    // a known column became empty: REMOVE
    p.first_seen = "today";
    h.engine.save(p, {.condition = attr<&Page::views> < 100,
                      .atomic = true,
                      .actions = {attr<&Page::views>.add(1), attr<&Page::tags>.add({"hot"})}});
    EXPECT_EQ(
        h.body(1),
        R"j({"TableName":"UpPage","Key":{"page":{"S":"c"}},"UpdateExpression":"SET #n2=:v11 REMOVE #n3, #n4, #n8 ADD #n0 :v12, #n9 :v13","ConditionExpression":"((#n0 < :v1) AND (attribute_not_exists(#n2)) AND (attribute_not_exists(#n3)) AND (#n4 = :v5) AND (#n6 = :v7) AND (attribute_not_exists(#n8)) AND (attribute_not_exists(#n9)) AND (#n0 = :v10))","ExpressionAttributeNames":{"#n0":"views","#n2":"first_seen","#n3":"log","#n4":"note","#n6":"page","#n8":"scores","#n9":"tags"},"ExpressionAttributeValues":{":v1":{"N":"100"},":v5":{"S":"old"},":v7":{"S":"c"},":v10":{"N":"4"},":v11":{"S":"today"},":v12":{"N":"1"},":v13":{"SS":["hot"]}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"})j");
    // views was changed relative to itself: no longer known, so no later atomic save asserts it.
    const ModelInfo& m = model_info<Page>();
    EXPECT_FALSE(p.state.known(*m.column_index("views")));
    EXPECT_TRUE(p.state.known(*m.column_index("first_seen")));
}

template <class F>
std::string refused(Harness& h, F&& write) {
    try {
        write();
    } catch (const InvalidUpdate& e) {
        EXPECT_TRUE(h.bodies().empty()) << "refused before sending";
        return e.what();
    }
    return "no InvalidUpdate";
}

TEST(UpdateActions, MisusesAreRefusedBeforeSending) {
    Harness h;
    Page p = page("bad");
    EXPECT_EQ(refused(h,
                      [&] {
                          h.engine.save(p, {.actions = {attr<&Page::views>.add(1),
                                                        attr<&Page::views>.set_if_missing(0)}});
                      }),
              "Page(page='bad').views: two update actions on one column (add on views "
              "and set_if_missing on views)");
    EXPECT_EQ(
        refused(h, [&] { h.engine.save(p, {.actions = {attr<&Page::page>.set_if_missing("x")}}); }),
        "Page(page='bad').page: set_if_missing on a key column (a key is never "
        "changed by a save)");
    EXPECT_EQ(refused(h, [&] { h.engine.remove(p, {.actions = {attr<&Page::views>.add(1)}}); }),
              "update actions belong to a save; the delete of Page(page='bad') has 1");
    EXPECT_EQ(refused(h, [&] { h.engine.remove(p, {.sync = Sync::after}); }),
              "a delete of Page(page='bad') leaves no item to sync with after it: use "
              "Sync::before");
    Versioned v{"v", 0, 3};
    EXPECT_EQ(
        refused(h, [&] { h.engine.save(v, {.actions = {attr<&Versioned::version>.add(1)}}); }),
        "Versioned(id='v').version: add on the version column, which bloop writes "
        "itself");
    // An empty operand is refused by the save it is given to, naming the object.
    const auto empty_add = attr<&Page::tags>.add(std::set<std::string>{});  // not yet refused
    EXPECT_EQ(refused(h, [&] { h.engine.save(p, {.actions = {empty_add}}); }),
              "Page(page='bad').tags: add needs a value (an empty set or list, or no "
              "value, has none)");
    EXPECT_EQ(refused(h,
                      [&] {
                          WriteTransaction(h.engine)
                              .save(p,
                                    {.actions = {attr<&Page::views>.add(1)}, .sync = Sync::after})
                              .commit();
                      }),
              "a transactional save of Page(page='bad') cannot sync: DynamoDB returns "
              "no items from a transaction");
}

TEST(UpdateActions, GoIntoTransactions) {
    Harness h;
    h.transport->respond(200, "{}");
    Versioned v{"v", 0, 2};
    WriteTransaction(h.engine, {.token = "t"})
        .save(v, {.actions = {attr<&Versioned::hits>.add(5)}})
        .commit();
    EXPECT_EQ(
        h.body(),
        R"j({"TransactItems":[{"Update":{"TableName":"UpVersioned","Key":{"id":{"S":"v"}},"UpdateExpression":"SET #n0=:v2 ADD #n3 :v4","ConditionExpression":"(#n0 = :v1)","ExpressionAttributeNames":{"#n0":"version","#n3":"hits"},"ExpressionAttributeValues":{":v1":{"N":"2"},":v2":{"N":"3"},":v4":{"N":"5"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}],"ClientRequestToken":"t"})j");
    EXPECT_EQ(v.version, 3);
}

TEST(ReturnedValues, SyncAfterLoadsTheStoredItemIntoTheObject) {
    Harness h;
    h.transport->respond(
        200, R"j({"Attributes":{"page":{"S":"r"},"views":{"N":"41"},"tags":{"SS":["a"]}}})j");
    Page p = page("r");
    p.note = "kept?";
    int loaded = 0;
    h.engine.object_loaded.connect([&](const ObjectEvent&) { ++loaded; });
    h.engine.save(p, {.actions = {attr<&Page::views>.add(1)}, .sync = Sync::after});
    EXPECT_EQ(json::parse(h.body()).at("ReturnValues").as_string(), "ALL_NEW");
    EXPECT_EQ(p.views, 41) << "the object holds the stored counter";
    EXPECT_EQ(p.tags, (std::set<std::string>{"a"}));
    EXPECT_FALSE(p.note) << "loaded from the whole item: what is not stored is empty";
    EXPECT_TRUE(p.state.known(*model_info<Page>().column_index("views")));
    EXPECT_EQ(loaded, 1);
}

TEST(ReturnedValues, SyncBeforeReadsBackTheOldItemOfARemove) {
    Harness h;
    h.transport->respond(200, R"j({"Attributes":{"page":{"S":"gone"},"views":{"N":"9"}}})j");
    Page p = page("gone");
    h.engine.remove(p, {.sync = Sync::before});
    EXPECT_EQ(json::parse(h.body()).at("ReturnValues").as_string(), "ALL_OLD");
    EXPECT_EQ(p.views, 9);
    EXPECT_FALSE(p.state.synced()) << "deleted: its state is forgotten";
}

}  // namespace
}  // namespace bloop
