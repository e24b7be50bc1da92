// Write and read transactions against a scripted transport: exact TransactWriteItems and
// TransactGetItems bodies, the limits refused before sending, cancellation reasons mapped to the
// objects, conflicts retried with the same token, objects and signals untouched until commit.

#include <bloop/engine/transaction.hpp>
#include <bloop/exceptions.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tx_unit {
struct Account {
    std::string id;
    std::int64_t balance = 0;
    std::int64_t version = 0;
};
struct Entry {
    std::string id;
    std::string note;
    bloop::ObjectState state;
};
struct Tag {
    std::string name;
};
}  // namespace tx_unit

using tx_unit::Account;
using tx_unit::Entry;
using tx_unit::Tag;

template <>
struct bloop::Model<Account> {
    static constexpr Meta meta{.table_name = "TxAccount"};
    static constexpr auto hash_key = &Account::id;
    static constexpr auto version = &Account::version;
};
template <>
struct bloop::Model<Entry> {
    static constexpr Meta meta{.table_name = "TxEntry"};
    static constexpr auto hash_key = &Entry::id;
};
template <>
struct bloop::Model<Tag> {
    static constexpr Meta meta{.table_name = "TxTag"};
    static constexpr auto hash_key = &Tag::name;
};

namespace bloop {
namespace {

struct Harness : test::ScriptedEngine {
    std::vector<std::string> saved, deleted;

    Harness() {
        engine.bind<Account, Entry, Tag>({.skip_table_setup = true});
        engine.object_saved.connect([this](const ObjectEvent& e) {
            if (const auto* a = e.object<Account>()) saved.push_back(a->id);
            if (const auto* n = e.object<Entry>()) saved.push_back(n->id);
        });
        engine.object_deleted.connect([this](const ObjectEvent& e) {
            if (const auto* a = e.object<Account>()) deleted.push_back(a->id);
        });
    }
};

const std::string kCancelled =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled","CancellationReasons":[)";

TEST(WriteTransaction, SendsOneRequestOfUpdatesDeletesAndChecksInOrder) {
    Harness h;
    h.transport->respond(200, "{}");
    Account from{"a1", 900, 3};
    Account gone{"a9", 0, 2};
    Entry entry{"e1", "moved 100", {}};
    Account bank{"bank", 0, 0};
    WriteTransaction tx(h.engine, {.token = "token-1"});
    tx.save(from, {.condition = attr<&Account::balance> >= 0})
        .remove(gone)
        .save(entry)
        .check(bank, attr<&Account::balance> > 10);
    EXPECT_EQ(tx.size(), 4u);
    tx.commit();

    ASSERT_EQ(h.bodies().size(), 1u);
    EXPECT_EQ(h.targets()[0], "DynamoDB_20120810.TransactWriteItems");
    EXPECT_EQ(
        h.bodies()[0],
        R"j({"TransactItems":[)j"
        R"j({"Update":{"TableName":"TxAccount","Key":{"id":{"S":"a1"}},"UpdateExpression":"SET #n0=:v4, #n2=:v5","ConditionExpression":"((#n0 >= :v1) AND (#n2 = :v3))","ExpressionAttributeNames":{"#n0":"balance","#n2":"version"},"ExpressionAttributeValues":{":v1":{"N":"0"},":v3":{"N":"3"},":v4":{"N":"900"},":v5":{"N":"4"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},)j"
        R"j({"Delete":{"TableName":"TxAccount","Key":{"id":{"S":"a9"}},"ConditionExpression":"(#n0 = :v1)","ExpressionAttributeNames":{"#n0":"version"},"ExpressionAttributeValues":{":v1":{"N":"2"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},)j"
        R"j({"Update":{"TableName":"TxEntry","Key":{"id":{"S":"e1"}},"UpdateExpression":"SET #n0=:v1","ExpressionAttributeNames":{"#n0":"note"},"ExpressionAttributeValues":{":v1":{"S":"moved 100"}}}},)j"
        R"j({"ConditionCheck":{"TableName":"TxAccount","Key":{"id":{"S":"bank"}},"ConditionExpression":"(#n0 > :v1)","ExpressionAttributeNames":{"#n0":"balance"},"ExpressionAttributeValues":{":v1":{"N":"10"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}],)j"
        R"j("ClientRequestToken":"token-1"})j");

    // Committed: versions and states synced, one signal each (none for the check).
    EXPECT_EQ(from.version, 4);
    EXPECT_EQ(gone.version, 0);
    EXPECT_TRUE(entry.state.synced());
    EXPECT_EQ(bank.version, 0) << "a check changes nothing";
    EXPECT_EQ(h.saved, (std::vector<std::string>{"a1", "e1"}));
    EXPECT_EQ(h.deleted, (std::vector<std::string>{"a9"}));
}

TEST(WriteTransaction, NewVersionedObjectsFollowTheVersionRules) {
    Harness h;
    h.transport->respond(200, "{}");
    Account created{"new", 5, 0};
    Account never_loaded{"other", 0, 0};
    WriteTransaction tx(h.engine, {.token = "t"});
    tx.save(created).remove(never_loaded);
    tx.commit();
    EXPECT_EQ(
        h.bodies()[0],
        R"j({"TransactItems":[)j"
        R"j({"Update":{"TableName":"TxAccount","Key":{"id":{"S":"new"}},"UpdateExpression":"SET #n1=:v2, #n3=:v4","ConditionExpression":"(attribute_not_exists(#n0))","ExpressionAttributeNames":{"#n0":"id","#n1":"balance","#n3":"version"},"ExpressionAttributeValues":{":v2":{"N":"5"},":v4":{"N":"1"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},)j"
        R"j({"Delete":{"TableName":"TxAccount","Key":{"id":{"S":"other"}},"ConditionExpression":"(attribute_not_exists(#n0))","ExpressionAttributeNames":{"#n0":"version"},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}],)j"
        R"j("ClientRequestToken":"t"})j");
    EXPECT_EQ(created.version, 1);
    EXPECT_EQ(never_loaded.version, 0);
}

TEST(WriteTransaction, EachCommitHasAFreshRandomTokenUnlessOneIsGiven) {
    Harness h;
    h.transport->respond(200, "{}");
    h.transport->respond(200, "{}");
    Entry entry{"e1", "x", {}};
    WriteTransaction tx(h.engine);
    tx.save(entry);
    tx.commit();
    entry.note = "y";
    tx.commit();
    const auto bodies = h.bodies();
    ASSERT_EQ(bodies.size(), 2u);
    auto token = [](const std::string& body) {
        return json::parse(body).at("ClientRequestToken").as_string();
    };
    EXPECT_EQ(token(bodies[0]).size(), 36u);
    EXPECT_NE(token(bodies[0]), token(bodies[1]));
}

TEST(WriteTransaction, AnEmptyTransactionSendsNothing) {
    Harness h;
    WriteTransaction tx(h.engine);
    tx.commit();
    ReadTransaction rx(h.engine);
    rx.commit();
    EXPECT_TRUE(h.bodies().empty());
}

template <class F>
std::string refused(Harness& h, F&& commit) {
    try {
        commit();
    } catch (const InvalidTransaction& e) {
        EXPECT_TRUE(h.bodies().empty()) << "refused before sending";
        return e.what();
    }
    return "no InvalidTransaction";
}

TEST(WriteTransaction, MoreThanOneHundredItemsAreRefusedBeforeSending) {
    Harness h;
    std::vector<Entry> entries(101);
    WriteTransaction tx(h.engine);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        entries[i].id = "e" + std::to_string(i);
        entries[i].note = "n";
        tx.save(entries[i]);
    }
    EXPECT_EQ(refused(h, [&] { tx.commit(); }),
              "a transaction holds at most 100 items; this one has 101 (the first beyond: "
              "Entry(id='e100'))");
}

TEST(WriteTransaction, TwoOperationsOnOneItemAreRefusedNamingBoth) {
    Harness h;
    Account a{"same", 1, 0};
    Account b{"same", 2, 0};
    WriteTransaction twice(h.engine);
    twice.save(a).check(a, attr<&Account::balance> > 0);
    EXPECT_EQ(refused(h, [&] { twice.commit(); }),
              "a transaction holds one operation per item: Account(id='same') is in it "
              "twice (save and check)");
    WriteTransaction same_key(h.engine);
    same_key.save(a).remove(b);
    EXPECT_EQ(refused(h, [&] { same_key.commit(); }),
              "a transaction holds one operation per item: Account(id='same') (save) and "
              "Account(id='same') (delete) are the same item of table TxAccount");
}

TEST(WriteTransaction, MoreThanFourMegabytesAreRefusedNamingTheLargestObjects) {
    Harness h;
    std::vector<Entry> entries(11);
    WriteTransaction tx(h.engine);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        entries[i].id = "big" + std::to_string(i);
        entries[i].note = std::string(390'000 + i, 'x');
        tx.save(entries[i]);
    }
    const std::string message = refused(h, [&] { tx.commit(); });
    EXPECT_EQ(message.rfind("a transaction holds at most 4 MB (4,194,304 bytes) of item data; "
                            "this one has 4,290,166 bytes. The largest objects:\n"
                            "  - Entry(id='big10'): 390,021 bytes\n"
                            "  - Entry(id='big9'): 390,019 bytes\n",
                            0),
              0u)
        << message;
}

TEST(WriteTransaction, AChecklessConditionAKeyOnlySaveAndALongTokenAreRefused) {
    Harness h;
    Entry entry{"e", "n", {}};
    WriteTransaction check(h.engine);
    check.check(entry, ConditionOf<Entry>());
    EXPECT_EQ(refused(h, [&] { check.commit(); }), "a check of Entry(id='e') needs a condition");
    Tag tag{"t"};
    WriteTransaction key_only(h.engine);
    key_only.save(tag);
    EXPECT_EQ(refused(h, [&] { key_only.commit(); })
                  .rfind("a transactional save of Tag(name='t') has nothing to write", 0),
              0u);
    WriteTransaction long_token(h.engine, {.token = std::string(37, 'k')});
    long_token.save(entry);
    EXPECT_EQ(
        refused(h, [&] { long_token.commit(); }),
        "a client request token has 1 to 36 characters; \"" + std::string(37, 'k') + "\" has 37");
}

TEST(WriteTransaction, ACancellationNamesTheFailingObjectsAndChangesNothing) {
    Harness h;
    h.transport->respond(
        400,
        kCancelled +
            R"({"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"id":{"S":"a2"},"version":{"N":"5"},"balance":{"N":"1"}}},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"id":{"S":"a3"},"version":{"N":"1"},"balance":{"N":"1"}}}]})",
        {{"x-amzn-RequestId", "REQ-1"}});
    Account ok{"a1", 10, 1};
    Account stale{"a2", 10, 4};
    Account poor{"a3", 10, 1};
    WriteTransaction tx(h.engine);
    tx.save(ok).save(stale).save(poor, {.condition = attr<&Account::balance> >= 5});
    try {
        tx.commit();
        FAIL();
    } catch (const TransactionFailed& e) {
        EXPECT_STREQ(e.what(),
                     "The transaction was cancelled and wrote nothing (REQ-1):\n"
                     "  - Account(id='a2') is stale: it has version 4, but the table "
                     "holds version 5\n"
                     "  - The condition was not met for Account(id='a3')");
        ASSERT_EQ(e.failures().size(), 2u);
        EXPECT_EQ(e.failure_of(ok), nullptr);
        ASSERT_NE(e.failure_of(stale), nullptr);
        EXPECT_TRUE(e.failure_of(stale)->stale);
        EXPECT_EQ(e.failure_of(stale)->code, "ConditionalCheckFailed");
        EXPECT_FALSE(e.failure_of(poor)->stale);
        EXPECT_FALSE(e.stale());
    }
    EXPECT_EQ(h.bodies().size(), 1u) << "a failed condition is not retried";
    EXPECT_EQ(ok.version, 1);
    EXPECT_EQ(stale.version, 4);
    EXPECT_TRUE(h.saved.empty());
}

TEST(WriteTransaction, ConflictsAreRetriedWithTheSameBytesThenCommit) {
    Harness h;
    const std::string conflict =
        kCancelled +
        R"({"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"},{"Code":"None"}]})";
    h.transport->respond(400, conflict);
    h.transport->respond(400, conflict);
    h.transport->respond(200, "{}");
    Account a{"a1", 1, 0};
    Entry e{"e1", "n", {}};
    WriteTransaction tx(h.engine);
    tx.save(a).save(e);
    tx.commit();
    const auto bodies = h.bodies();
    ASSERT_EQ(bodies.size(), 3u);
    EXPECT_EQ(bodies[1], bodies[0]);
    EXPECT_EQ(bodies[2], bodies[0]) << "every retry sends the same token and items";
    EXPECT_EQ(a.version, 1);
    EXPECT_EQ(h.saved, (std::vector<std::string>{"a1", "e1"})) << "signalled once each";
}

TEST(WriteTransaction, AConflictThatOutlastsTheRetriesNamesTheObject) {
    Harness h;
    for (int i = 0; i < 8; ++i) {
        h.transport->respond(
            400,
            kCancelled +
                R"({"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"}]})");
    }
    Account a{"a1", 1, 0};
    WriteTransaction tx(h.engine);
    tx.save(a);
    try {
        tx.commit();
        FAIL();
    } catch (const TransactionFailed& e) {
        ASSERT_EQ(e.failures().size(), 1u);
        EXPECT_EQ(e.failures()[0].code, "TransactionConflict");
        EXPECT_EQ(e.failures()[0].message,
                  "Account(id='a1'): TransactionConflict (Transaction is ongoing for the "
                  "item) after 8 attempts");
    }
    EXPECT_EQ(h.bodies().size(), 8u);
    EXPECT_EQ(a.version, 0);
}

TEST(ReadTransaction, GetsEachItemOnceAndNamesTheMissingObjects) {
    Harness h;
    h.transport->respond(
        200,
        R"({"Responses":[{"Item":{"id":{"S":"a1"},"balance":{"N":"7"},"version":{"N":"3"}}},{},{"Item":{"id":{"S":"e1"},"note":{"S":"hi"}}}]})");
    Account a{"a1", 0, 0};
    Account a_again{"a1", 0, 0};
    Account missing{"nope", 0, 0};
    Entry e{"e1", "", {}};
    ReadTransaction rx(h.engine);
    rx.load(a, a_again, missing).load(e);
    try {
        rx.commit();
        FAIL();
    } catch (const MissingObjects& m) {
        EXPECT_STREQ(m.what(), "Failed to load some objects: Account(id='nope')");
        EXPECT_TRUE(m.missing(missing));
        EXPECT_FALSE(m.missing(a));
    }
    ASSERT_EQ(h.bodies().size(), 1u);
    EXPECT_EQ(h.targets()[0], "DynamoDB_20120810.TransactGetItems");
    EXPECT_EQ(h.bodies()[0],
              R"({"TransactItems":[{"Get":{"TableName":"TxAccount","Key":{"id":{"S":"a1"}}}},)"
              R"({"Get":{"TableName":"TxAccount","Key":{"id":{"S":"nope"}}}},)"
              R"({"Get":{"TableName":"TxEntry","Key":{"id":{"S":"e1"}}}}]})");
    EXPECT_EQ(a.balance, 7);
    EXPECT_EQ(a.version, 3);
    EXPECT_EQ(a_again.balance, 7);
    EXPECT_EQ(e.note, "hi");
    EXPECT_TRUE(e.state.synced());
}

TEST(ReadTransaction, MoreThanOneHundredItemsAreRefusedBeforeSending) {
    Harness h;
    std::vector<Entry> entries(101);
    for (std::size_t i = 0; i < entries.size(); ++i) entries[i].id = "e" + std::to_string(i);
    ReadTransaction rx(h.engine);
    rx.load(std::span<Entry>(entries));
    EXPECT_EQ(refused(h, [&] { rx.commit(); }),
              "a read transaction holds at most 100 items; Entry(id='e100') would be "
              "the 101st");
}

}  // namespace
}  // namespace bloop
