// Table settings and migrations against DynamoDB Local: on-demand billing, deletion protection and
// TTL created and validated; each mismatch reported; each in-place migration applied with
// `update` and refused without it; a TTL deletion seen on the stream.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "integration.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace settings_app {
struct Lease {  // the model as it is now
    std::string id;
    std::string owner;
    bloop::Timestamp expires{};
    bloop::ObjectState state{};  // read in part through its keys-only GSI
};
struct OldLease {  // an older version: provisioned, no GSI, no TTL, no stream
    std::string id;
    std::string owner;
};
struct OtherKey {  // the same table with another key: never migratable
    std::int64_t id = 0;
};
struct Expiring {
    std::string id;
    bloop::Timestamp expires{};
};
struct Archived {
    std::string id;
};
inline constexpr bloop::TableTag archived_tags[] = {{"team", "core"}};
}  // namespace settings_app

using settings_app::Archived;
using settings_app::Expiring;
using settings_app::Lease;
using settings_app::OldLease;
using settings_app::OtherKey;

template <>
struct bloop::Model<Lease> {
    static constexpr Meta meta{.table_name = "SettingsLease",
                               .stream = StreamView::new_and_old_images,
                               .billing = Billing::on_demand,
                               .deletion_protection = true};
    static constexpr auto hash_key = &Lease::id;
    static constexpr auto ttl = &Lease::expires;
    static constexpr auto by_owner = global_index().hash_key<&Lease::owner>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes<&by_owner>();
};
template <>
struct bloop::Model<OldLease> {
    static constexpr Meta meta{.table_name = "SettingsLease",
                               .read_units = 2,
                               .write_units = 2,
                               .stream = StreamView::keys_only};
    static constexpr auto hash_key = &OldLease::id;
};
template <>
struct bloop::Model<OtherKey> {
    static constexpr Meta meta{.table_name = "SettingsLease"};
    static constexpr auto hash_key = &OtherKey::id;
};
template <>
struct bloop::Model<Expiring> {
    static constexpr Meta meta{.table_name = "SettingsExpiring", .stream = StreamView::old_image};
    static constexpr auto hash_key = &Expiring::id;
    static constexpr auto ttl = &Expiring::expires;
};

template <>
struct bloop::Model<Archived> {
    static constexpr Meta meta{.table_name = "SettingsArchived",
                               .encryption = Encryption{.kms = true, .kms_key = {}},
                               .point_in_time_recovery = true,
                               .table_class = TableClass::standard_infrequent_access,
                               .tags = settings_app::archived_tags};
    static constexpr auto hash_key = &Archived::id;
};

namespace bloop {
namespace {

class TableSettingsTest : public ::testing::Test {
  protected:
    // Each test its own table names.
    EngineOptions names{.client = {},
                        .table_name_template = testing::unique_table_name("{table_name}"),
                        .bind_timeout = EngineOptions::default_bind_timeout};
    Engine engine{Client(test::client_options()), names};

    json::Value described(const std::string& table) {
        json::Value request;
        request["TableName"] = table;
        return engine.client().call(Operation::DescribeTable, request).at("Table");
    }
    json::Value ttl_of(const std::string& table) {
        json::Value request;
        request["TableName"] = table;
        return engine.client()
            .call(Operation::DescribeTimeToLive, request)
            .at("TimeToLiveDescription");
    }
    template <class T>
    std::string table() {
        return engine.binding<T>().table_name;
    }
};

TEST_F(TableSettingsTest, BillingDeletionProtectionAndTtlAreCreatedAndValidate) {
    const BindReport report = engine.bind<Lease>();
    ASSERT_EQ(report.changes.size(), 1u);
    EXPECT_EQ(report.changes[0], table<Lease>() + ": created the table");
    const json::Value t = described(table<Lease>());
    EXPECT_EQ(t.at("BillingModeSummary").at("BillingMode").as_string(), "PAY_PER_REQUEST");
    EXPECT_TRUE(t.at("DeletionProtectionEnabled").as_bool());
    EXPECT_EQ(t.at("GlobalSecondaryIndexes").as_array()[0].find("ProvisionedThroughput"), nullptr)
        << "an on-demand GSI has no units";
    EXPECT_EQ(ttl_of(table<Lease>()).at("TimeToLiveStatus").as_string(), "ENABLED");
    EXPECT_EQ(ttl_of(table<Lease>()).at("AttributeName").as_string(), "expires");

    Engine again{Client(test::client_options()), names};
    EXPECT_TRUE(again.bind<Lease>().changes.empty()) << "an existing matching table validates";
}

TEST_F(TableSettingsTest, WithoutUpdateEveryDifferenceIsAMismatchAndNothingChanges) {
    engine.bind<OldLease>();
    Engine now{Client(test::client_options()), names};
    try {
        now.bind<Lease>();
        FAIL();
    } catch (const TableMismatch& e) {
        const std::string m = e.what();
        for (const char* d :
             {"the table is billed PROVISIONED, expected PAY_PER_REQUEST",
              "the stream is KEYS_ONLY, expected NEW_AND_OLD_IMAGES", "GSI 'by_owner' is missing",
              "deletion protection is off, expected on", "TTL is not enabled on 'expires'"}) {
            EXPECT_NE(m.find(d), std::string::npos) << d << "\n" << m;
        }
    }
    const json::Value t = described(table<OldLease>());
    EXPECT_EQ(t.find("GlobalSecondaryIndexes"), nullptr);
    EXPECT_EQ(ttl_of(table<OldLease>()).at("TimeToLiveStatus").as_string(), "DISABLED");
}

TEST_F(TableSettingsTest, WithUpdateAnOlderTableIsMigratedInPlace) {
    engine.bind<OldLease>();
    OldLease kept{"kept", "ann"};
    engine.save(kept);
    Engine now{Client(test::client_options()), names};
    const BindReport report = now.bind<Lease>({.update = true});
    const std::string t = now.binding<Lease>().table_name;
    EXPECT_EQ(
        report.changes,
        (std::vector<std::string>{
            t + ": billing PROVISIONED -> PAY_PER_REQUEST", t + ": created GSI 'by_owner'",
            t + ": disabled the KEYS_ONLY stream", t + ": enabled a NEW_AND_OLD_IMAGES stream",
            t + ": deletion protection on", t + ": enabled TTL on 'expires'"}));
    const json::Value d = described(t);
    EXPECT_EQ(d.at("BillingModeSummary").at("BillingMode").as_string(), "PAY_PER_REQUEST");
    EXPECT_EQ(d.at("StreamSpecification").at("StreamViewType").as_string(), "NEW_AND_OLD_IMAGES");
    EXPECT_EQ(ttl_of(t).at("TimeToLiveStatus").as_string(), "ENABLED");
    // The item survived and the new index serves it.
    Lease found = now.query(Model<Lease>::by_owner, attr<&Lease::owner> == "ann").one();
    EXPECT_EQ(found.id, "kept");
    EXPECT_TRUE(
        Engine(Client(test::client_options()), names).bind<Lease>({.update = true}).changes.empty())
        << "a second bind has nothing left to change";
}

TEST_F(TableSettingsTest, ThroughputChangesInPlace) {
    engine.bind<OldLease>();
    json::Value update;  // the table is at 2/2; a model asking 2/2 matches, so lower it first
    update["TableName"] = table<OldLease>();
    update["ProvisionedThroughput"]["ReadCapacityUnits"] = 1;
    update["ProvisionedThroughput"]["WriteCapacityUnits"] = 1;
    (void)engine.client().call(Operation::UpdateTable, update);
    Engine again{Client(test::client_options()), names};
    EXPECT_THROW(again.bind<OldLease>(), TableMismatch);
    const BindReport report = again.bind<OldLease>({.update = true});
    EXPECT_EQ(report.changes, (std::vector<std::string>{table<OldLease>() +
                                                        ": throughput 2/2 (read/write units)"}));
    EXPECT_EQ(
        described(table<OldLease>()).at("ProvisionedThroughput").at("ReadCapacityUnits").as_int(),
        2);
}

TEST_F(TableSettingsTest, AnotherKeyCannotBeMigrated) {
    engine.bind<OldLease>();
    Engine other{Client(test::client_options()), names};
    try {
        other.bind<OtherKey>({.update = true});
        FAIL();
    } catch (const TableMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("attribute 'id' is not defined as N"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(TableSettingsTest, WhatDynamoDBLocalCannotReportIsLoggedAndNotAMismatch) {
    std::vector<std::string> warnings;
    std::mutex mutex;
    ClientOptions o = test::client_options();
    o.log = [&](LogLevel level, std::string_view message) {
        std::lock_guard lock(mutex);
        if (level == LogLevel::warning && message.rfind("bind: ", 0) == 0)
            warnings.emplace_back(message);
    };
    Engine logged{Client(o), names};
    const BindReport report = logged.bind<Archived>();  // CreateTable takes them all
    EXPECT_EQ(report.changes.size(), 1u);
    const std::string t = logged.binding<Archived>().table_name;
    EXPECT_EQ(warnings,
              (std::vector<std::string>{
                  "bind: " + t +
                      ": the server does not support continuous backups "
                      "(UnknownOperationException, as DynamoDB Local); point-in-time recovery "
                      "is not checked",
                  "bind: arn:aws:dynamodb:ddblocal:000000000000:table/" + t +
                      ": the server does not support tags (UnknownOperationException, as "
                      "DynamoDB Local); tags are not checked",
                  "bind: " + t +
                      ": DynamoDB Local does not report encryption or the table class; they "
                      "are not checked"}));
    EXPECT_TRUE(Engine(Client(test::client_options()), names).bind<Archived>().changes.empty());
}

TEST_F(TableSettingsTest, AnItemTtlDeletesArrivesOnTheStreamMarkedAsExpired) {
    engine.bind<Expiring>();
    auto stream = engine.stream<Expiring>(trim_horizon);
    Expiring gone{"gone", std::chrono::floor<std::chrono::seconds>(
                              std::chrono::system_clock::now() - std::chrono::hours(1))};
    Expiring removed{"removed", std::chrono::floor<std::chrono::seconds>(
                                    std::chrono::system_clock::now() + std::chrono::hours(1))};
    engine.save(gone, removed);
    engine.remove(removed);
    bool saw_expiry = false, saw_removal = false;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!(saw_expiry && saw_removal) && std::chrono::steady_clock::now() < until) {
        auto record = stream.next();
        if (!record) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            continue;
        }
        if (record->meta.event_type != "remove") continue;
        ASSERT_TRUE(record->old_image);
        if (record->old_image->id == "gone") {
            EXPECT_TRUE(record->meta.ttl_expired);
            saw_expiry = true;
        } else {
            EXPECT_FALSE(record->meta.ttl_expired) << "a writer's delete";
            saw_removal = true;
        }
    }
    EXPECT_TRUE(saw_expiry) << "DynamoDB Local deletes expired items within seconds";
    EXPECT_TRUE(saw_removal);
}

}  // namespace
}  // namespace bloop
