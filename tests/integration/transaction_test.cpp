// Write and read transactions against DynamoDB Local: mixed models, failed conditions that write
// nothing, the 100-item limit, a lost answer retried with its token, version conflicts between
// engines, missing objects, and signals only after commit.

#include <bloop/engine/transaction.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "fault_proxy.hpp"
#include "integration.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace tx_app {
struct Wallet {
    std::string id;
    std::int64_t balance = 0;
    std::int64_t version = 0;
};
struct Receipt {
    std::string id;
    std::string memo;
    std::int64_t amount = 0;
    bloop::ObjectState state;
};
}  // namespace tx_app

using tx_app::Receipt;
using tx_app::Wallet;

template <>
struct bloop::Model<Wallet> {
    static constexpr Meta meta{.table_name = "TxWallet"};
    static constexpr auto hash_key = &Wallet::id;
    static constexpr auto version = &Wallet::version;
};
template <>
struct bloop::Model<Receipt> {
    static constexpr Meta meta{.table_name = "TxReceipt"};
    static constexpr auto hash_key = &Receipt::id;
};

namespace bloop {
namespace {

class TransactionTest : public ::testing::Test {
  protected:
    std::atomic<int> transact_requests{0};
    Engine engine{Client(counting_options())};
    void SetUp() override { engine.bind<Wallet, Receipt>(); }

    ClientOptions counting_options() {
        ClientOptions o = test::client_options();
        o.log = [this](LogLevel level, std::string_view message) {
            if (level == LogLevel::debug && message.rfind("TransactWriteItems ->", 0) == 0)
                ++transact_requests;
        };
        return o;
    }

    std::optional<Item> stored(const std::string& table, const std::string& id) {
        return test::stored_by_id(engine.client(), table, id);
    }
    std::string balance_of(const std::string& id) {
        return stored("TxWallet", id)->at("balance").as_number();
    }
};

TEST_F(TransactionTest, SavesRemovesAndChecksOfSeveralModelsCommitTogether) {
    Wallet a{"mix-a", 100, 0};
    Wallet doomed{"mix-doomed", 5, 0};
    engine.save(a, doomed);
    Receipt r{"mix-r1", "a pays 30", 30, {}};
    Wallet bank{"mix-bank", 1000, 0};
    engine.save(bank);

    a.balance -= 30;
    WriteTransaction tx(engine);
    tx.save(a, {.condition = attr<&Wallet::balance> >= 0})
        .save(r)
        .remove(doomed)
        .check(bank, attr<&Wallet::balance> >= 1000);
    tx.commit();

    EXPECT_EQ(balance_of("mix-a"), "70");
    EXPECT_EQ(stored("TxWallet", "mix-a")->at("version").as_number(), "2");
    EXPECT_EQ(a.version, 2);
    EXPECT_EQ(stored("TxReceipt", "mix-r1")->at("memo"), AttributeValue::string("a pays 30"));
    EXPECT_TRUE(r.state.synced());
    EXPECT_FALSE(stored("TxWallet", "mix-doomed"));
    EXPECT_EQ(doomed.version, 0);
    EXPECT_EQ(stored("TxWallet", "mix-bank")->at("version").as_number(), "1")
        << "a check writes nothing";
}

TEST_F(TransactionTest, AFailedConditionNamesItsObjectAndWritesNothing) {
    Wallet a{"fail-a", 10, 0};
    Wallet b{"fail-b", 10, 0};
    engine.save(a, b);
    Receipt r{"fail-r", "too much", 50, {}};
    a.balance -= 50;
    b.balance += 50;
    WriteTransaction tx(engine);
    tx.save(a, {.condition = attr<&Wallet::balance> >= 50}).save(b).save(r);
    try {
        tx.commit();
        FAIL() << "the debit's condition fails";
    } catch (const TransactionFailed& e) {
        ASSERT_EQ(e.failures().size(), 1u) << e.what();
        ASSERT_NE(e.failure_of(a), nullptr);
        EXPECT_EQ(e.failure_of(a)->code, "ConditionalCheckFailed");
        EXPECT_FALSE(e.failure_of(a)->stale);
        EXPECT_EQ(e.failure_of(a)->message,
                  "The condition was not met for Wallet(id='fail-a')");
        EXPECT_FALSE(e.stale());
    }
    EXPECT_EQ(balance_of("fail-a"), "10");
    EXPECT_EQ(balance_of("fail-b"), "10");
    EXPECT_FALSE(stored("TxReceipt", "fail-r")) << "nothing of a cancelled transaction is written";
    EXPECT_EQ(a.version, 1) << "no object changes";
    EXPECT_FALSE(r.state.synced());
}

TEST_F(TransactionTest, OneHundredItemsCommitAndOneHundredAndOneAreRefusedBeforeSending) {
    std::vector<Receipt> receipts(101);
    for (std::size_t i = 0; i < receipts.size(); ++i)
        receipts[i] = {"hundred-" + std::to_string(i), "r", static_cast<std::int64_t>(i), {}};
    WriteTransaction too_many(engine);
    for (auto& r : receipts) too_many.save(r);
    const int before = transact_requests;
    EXPECT_THROW(too_many.commit(), InvalidTransaction);
    EXPECT_EQ(transact_requests, before) << "nothing was sent";
    EXPECT_FALSE(stored("TxReceipt", "hundred-0"));

    WriteTransaction hundred(engine);
    for (std::size_t i = 0; i < 100; ++i) hundred.save(receipts[i]);
    hundred.commit();
    EXPECT_EQ(transact_requests, before + 1);
    EXPECT_TRUE(stored("TxReceipt", "hundred-0"));
    EXPECT_TRUE(stored("TxReceipt", "hundred-99"));
    EXPECT_FALSE(stored("TxReceipt", "hundred-100"));
}

TEST_F(TransactionTest, ALostAnswerIsRetriedWithItsTokenAndAppliedOnce) {
    test::FaultProxy proxy(test::endpoint(), {.rate = 0.0, .seed = 1, .faults = {}, .hold = {}});
    ClientOptions o = testing::local_client_options(proxy.url());
    o.retry.base_delay = std::chrono::milliseconds(1);
    Engine faulty{Client(o)};
    faulty.bind<Wallet, Receipt>();

    Wallet w{"lost-w", 40, 0};
    Receipt r{"lost-r", "once", 1, {}};
    WriteTransaction tx(faulty);
    tx.save(w).save(r);
    const int forwarded = proxy.forwarded();
    // The server applies the first request; its answer never arrives.
    proxy.script({test::Fault::lost_response});
    tx.commit();  // a retry without the token would fail: the version 0 item now exists

    EXPECT_EQ(proxy.forwarded(), forwarded + 2) << "sent twice, applied once";
    EXPECT_EQ(w.version, 1);
    EXPECT_EQ(stored("TxWallet", "lost-w")->at("version").as_number(), "1");
    EXPECT_EQ(stored("TxReceipt", "lost-r")->at("memo"), AttributeValue::string("once"));
}

TEST_F(TransactionTest, AStaleObjectInATransactionIsNamedWithBothVersions) {
    Engine other{Client(test::client_options())};
    other.bind<Wallet, Receipt>();
    Wallet seed{"stale-w", 100, 0};
    engine.save(seed);
    Wallet mine{"stale-w", 0, 0};
    Wallet theirs{"stale-w", 0, 0};
    ReadTransaction(engine).load(mine).commit();
    ReadTransaction(other).load(theirs).commit();
    theirs.balance = 1;
    WriteTransaction(other).save(theirs).commit();

    mine.balance = 2;
    Receipt r{"stale-r", "late", 2, {}};
    try {
        WriteTransaction(engine).save(mine).save(r).commit();
        FAIL() << "mine is stale";
    } catch (const TransactionFailed& e) {
        ASSERT_NE(e.failure_of(mine), nullptr) << e.what();
        EXPECT_EQ(e.failure_of(mine)->message,
                  "Wallet(id='stale-w') is stale: it has version 1, but the table holds "
                  "version 2");
        EXPECT_TRUE(e.stale());
        EXPECT_EQ(e.failure_of(r), nullptr);
    }
    EXPECT_EQ(balance_of("stale-w"), "1");
    EXPECT_EQ(mine.version, 1);
    EXPECT_FALSE(stored("TxReceipt", "stale-r"));

    // Reloaded, it commits.
    ReadTransaction(engine).load(mine).commit();
    mine.balance = 3;
    WriteTransaction(engine).save(mine).save(r).commit();
    EXPECT_EQ(mine.version, 3);
    EXPECT_EQ(balance_of("stale-w"), "3");
}

TEST_F(TransactionTest, AReadTransactionLoadsFoundObjectsAndNamesExactlyTheMissingOnes) {
    Wallet a{"read-a", 7, 0};
    Receipt r{"read-r", "hello", 3, {}};
    engine.save(a);
    engine.save(r);
    Wallet got_a{"read-a", 0, 0};
    Wallet missing{"read-missing", 0, 0};
    Receipt got_r{"read-r", "", 0, {}};
    Receipt missing_r{"read-missing-r", "", 0, {}};
    int loaded = 0;
    engine.object_loaded.connect([&](const ObjectEvent&) { ++loaded; });
    try {
        ReadTransaction(engine).load(got_a, missing, got_r, missing_r).commit();
        FAIL();
    } catch (const MissingObjects& e) {
        EXPECT_EQ(e.objects().size(), 2u);
        EXPECT_TRUE(e.missing(missing));
        EXPECT_TRUE(e.missing(missing_r));
        EXPECT_STREQ(e.what(),
                     "Failed to load some objects: Wallet(id='read-missing'), "
                     "Receipt(id='read-missing-r')");
    }
    EXPECT_EQ(got_a.balance, 7);
    EXPECT_EQ(got_a.version, 1);
    EXPECT_EQ(got_r.memo, "hello");
    EXPECT_EQ(loaded, 2);
}

TEST_F(TransactionTest, SignalsFireOnceEachAfterCommitAndNeverForACancelledOne) {
    Wallet a{"sig-a", 10, 0};
    Receipt r{"sig-r", "x", 1, {}};
    std::vector<std::string> seen;
    engine.object_saved.connect([&](const ObjectEvent& e) {
        // The item is in the table by the time its signal fires.
        if (const auto* w = e.object<Wallet>()) {
            seen.push_back(w->id + (stored("TxWallet", w->id) ? " stored" : " absent"));
        }
        if (const auto* rec = e.object<Receipt>()) {
            seen.push_back(rec->id + (stored("TxReceipt", rec->id) ? " stored" : " absent"));
        }
    });
    WriteTransaction(engine).save(a).save(r).commit();
    EXPECT_EQ(seen, (std::vector<std::string>{"sig-a stored", "sig-r stored"}));

    seen.clear();
    Wallet fresh{"sig-a", 10, 0};  // version 0: the item exists, so this is refused
    Receipt r2{"sig-r2", "y", 1, {}};
    EXPECT_THROW(WriteTransaction(engine).save(r2).save(fresh).commit(), TransactionFailed);
    EXPECT_TRUE(seen.empty());
}

}  // namespace
}  // namespace bloop
