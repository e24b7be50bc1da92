// The Engine against DynamoDB Local: bind, save, delete, load, signals and errors.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>

#include "integration.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <set>

namespace engine_app {

struct Account {
    bloop::Uuid id;
    std::string name;
    std::optional<std::string> email;
    bloop::Decimal balance;
    std::set<std::string> tags;
    bloop::ObjectState state;
};

// Two models in one table.
struct Left {
    std::string id;
    std::string left;
};
struct Right {
    std::string id;
    std::string right;
};

// Hash + range keys (bloop's load key-collision defect).
struct Pair {
    std::string h;
    std::int64_t r = 0;
    std::string value;
};

// A numeric hash key that DynamoDB normalises ("1.10" comes back as "1.1").
struct Priced {
    bloop::Decimal price;
    std::string label;
};

// A floating column.
struct Measured {
    std::string id;
    std::string label;
    double ratio = 0;
};

// A table created by hand with another shape.
struct Mismatched {
    std::string id;
    std::string email;
};

// bloop's own test model: a GSI whose include<> names only key columns (issue 14's bind bug).
struct Acct {
    std::string id;
    std::int64_t level = 0;
    bloop::Decimal balance;
};
}  // namespace engine_app

using namespace engine_app;

template <>
struct bloop::Model<Account> {
    static constexpr Meta meta{.table_name = "EngineAccount",
                               .stream = StreamView::new_and_old_images};
    static constexpr auto columns = bloop::columns(
        column<&Account::id>().hash_key(), column<&Account::name>(), column<&Account::email>(),
        column<&Account::balance>(), column<&Account::tags>());
    static constexpr auto by_email =
        global_index("by_email").hash_key<&Account::email>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_email);
    static constexpr auto state = &Account::state;
};
template <>
struct bloop::Model<Left> {
    static constexpr Meta meta{.table_name = "EngineShared"};
    static constexpr auto columns =
        bloop::columns(column<&Left::id>().hash_key(), column<&Left::left>());
};
template <>
struct bloop::Model<Right> {
    static constexpr Meta meta{.table_name = "EngineShared"};
    static constexpr auto columns =
        bloop::columns(column<&Right::id>().hash_key(), column<&Right::right>());
};
template <>
struct bloop::Model<Pair> {
    static constexpr Meta meta{.table_name = "EnginePair"};
    static constexpr auto columns = bloop::columns(
        column<&Pair::h>().hash_key(), column<&Pair::r>().range_key(), column<&Pair::value>());
};
template <>
struct bloop::Model<Priced> {
    static constexpr Meta meta{.table_name = "EnginePriced"};
    static constexpr auto columns =
        bloop::columns(column<&Priced::price>().hash_key(), column<&Priced::label>());
};
template <>
struct bloop::Model<Measured> {
    static constexpr Meta meta{.table_name = "EngineMeasured"};
    static constexpr auto columns = bloop::columns(
        column<&Measured::id>().hash_key(), column<&Measured::label>(), column<&Measured::ratio>());
};
template <>
struct bloop::Model<Mismatched> {
    static constexpr Meta meta{.table_name = "EngineMismatched", .stream = StreamView::keys_only};
    static constexpr auto columns =
        bloop::columns(column<&Mismatched::id>().hash_key(), column<&Mismatched::email>());
    static constexpr auto by_email =
        global_index("by_email").hash_key<&Mismatched::email>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_email);
};

template <>
struct bloop::Model<engine_app::Acct> {
    static constexpr Meta meta{.table_name = "EngineAcct"};
    static constexpr auto hash_key = &engine_app::Acct::id;
    static constexpr auto by_level = global_index()
                                         .hash_key<&engine_app::Acct::level>()
                                         .range_key<&engine_app::Acct::balance>()
                                         .projection(include<&engine_app::Acct::balance>);
    static constexpr auto indexes = bloop::indexes<&by_level>();
};

namespace bloop {
namespace {

using json::Value;

class EngineTest : public ::testing::Test {
  protected:
    Engine engine{Client(test::client_options())};

    void SetUp() override { engine.bind<Account, Left, Right, Pair, Priced, Measured>(); }

    std::optional<Item> stored(const std::string& table, Item key) {
        return test::stored_item(engine.client(), table, std::move(key));
    }
    // The table as DescribeTable reports it.
    Value described(const std::string& table) {
        Value request;
        request["TableName"] = table;
        return engine.client().call(Operation::DescribeTable, request).at("Table");
    }
    std::optional<Item> stored(const Account& a) {
        return stored("EngineAccount", {{"id", AttributeValue::string(a.id.to_string())}});
    }

    static Account account(std::string name) {
        Account a;
        a.id = Uuid::random();
        a.name = std::move(name);
        a.email = a.name + "@example.com";
        a.balance = Decimal("10.50");
        a.tags = {"new"};
        return a;
    }
};

TEST_F(EngineTest, BindCreatesTheTableAsTheModelSays) {
    const Value table = described("EngineAccount");
    const Value& gsi = table.at("GlobalSecondaryIndexes").as_array()[0];
    EXPECT_EQ(gsi.at("IndexName").as_string(), "by_email");
    EXPECT_EQ(gsi.at("Projection").at("ProjectionType").as_string(), "KEYS_ONLY");
    EXPECT_EQ(table.at("StreamSpecification").at("StreamViewType").as_string(),
              "NEW_AND_OLD_IMAGES");
    EXPECT_EQ(table.at("ProvisionedThroughput").at("ReadCapacityUnits").as_int(), 1)
        << "unset units are 1";
    const Binding b = engine.binding<Account>();
    EXPECT_EQ(b.table_name, "EngineAccount");
    EXPECT_EQ(b.stream_arn, table.at("LatestStreamArn").as_string());
    EXPECT_EQ(b.read_units, 1);
}

TEST_F(EngineTest, TableNameTemplates) {
    EngineOptions options;
    options.table_name_template = "staging_{table_name}";
    Engine staging{Client(test::client_options()), options};
    staging.bind<Left>();
    EXPECT_EQ(staging.binding<Left>().table_name, "staging_EngineShared");
    Left l{"t1", "templated"};
    staging.save(l);
    EXPECT_TRUE(stored("staging_EngineShared", {{"id", AttributeValue::string("t1")}}));
    EXPECT_FALSE(stored("EngineShared", {{"id", AttributeValue::string("t1")}}));
    EngineOptions bad;
    bad.table_name_template = "no placeholder";
    EXPECT_THROW((Engine{Client(test::client_options()), bad}), InvalidConfiguration);
}

TEST_F(EngineTest, BindSignalsInOrderAndAcceptsAnExistingTable) {
    std::vector<std::string> events;
    auto c1 = engine.before_create_table.connect(
        [&](const ModelEvent& e) { events.push_back("create " + e.model.name); });
    auto c2 = engine.model_validated.connect(
        [&](const ModelEvent& e) { events.push_back("validated " + e.model.name); });
    auto c3 = engine.model_bound.connect(
        [&](const ModelEvent& e) { events.push_back("bound " + e.model.name); });
    engine.bind<Account>();  // the table exists now
    EXPECT_EQ(events,
              (std::vector<std::string>{"create Account", "validated Account", "bound Account"}));
    c1.disconnect();
    engine.bind<Account>(BindOptions{.skip_table_setup = true});
    EXPECT_EQ(events.size(), 5u) << "a disconnected receiver is not called";
}

TEST_F(EngineTest, BindingAnExistingTableLogsNoWarning) {
    std::vector<std::string> warnings, debug;
    ClientOptions o = test::client_options();
    o.log = [&](LogLevel level, std::string_view line) {
        (level >= LogLevel::warning ? warnings : debug).emplace_back(line);
    };
    Engine logged{Client(o)};
    logged.bind<Account>();  // created by SetUp already
    EXPECT_EQ(warnings, std::vector<std::string>{});
    EXPECT_NE(std::find_if(debug.begin(), debug.end(),
                           [](const std::string& l) {
                               return l.find("CreateTable failed: ResourceInUseException") !=
                                      std::string::npos;
                           }),
              debug.end());
}

TEST_F(EngineTest, AnIncludeProjectionOfOnlyKeysIsCreatedKeysOnly) {
    engine.bind<Acct>();  // DynamoDB refuses INCLUDE without non-key attributes
    EXPECT_EQ(described("EngineAcct")
                  .at("GlobalSecondaryIndexes")
                  .as_array()[0]
                  .at("Projection")
                  .at("ProjectionType")
                  .as_string(),
              "KEYS_ONLY");
    Engine again{Client(test::client_options())};
    EXPECT_NO_THROW(again.bind<Acct>()) << "the KEYS_ONLY table validates against the model";
}

TEST_F(EngineTest, BindCreatesEveryTableBeforeWaitingForAny) {
    EngineOptions options;
    options.table_name_template = "together_{table_name}";
    Engine fresh{Client(test::client_options()), options};
    std::vector<std::string> events;
    auto c1 = fresh.before_create_table.connect(
        [&](const ModelEvent& e) { events.push_back("create " + e.model.name); });
    auto c2 = fresh.model_bound.connect(
        [&](const ModelEvent& e) { events.push_back("bound " + e.model.name); });
    fresh.bind<Left, Account>();
    EXPECT_EQ(events, (std::vector<std::string>{"create Left", "create Account", "bound Left",
                                                "bound Account"}));
    EXPECT_EQ(fresh.binding<Account>().table_name, "together_EngineAccount");
}

TEST_F(EngineTest, BindReportsEveryDifference) {
    (void)engine.client().call(Operation::CreateTable,
                               json::parse(R"({"TableName":"EngineMismatched",
        "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"N"}],
        "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
        "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}})"));
    try {
        engine.bind<Mismatched>();
        FAIL();
    } catch (const TableMismatch& e) {
        EXPECT_STREQ(e.what(),
                     "The expected and actual tables for 'Mismatched' do not match:\n"
                     "  - attribute 'id' is not defined as S\n"
                     "  - attribute 'email' is not defined as S\n"
                     "  - the table has no stream, expected KEYS_ONLY\n"
                     "  - GSI 'by_email' is missing");
    }
    EXPECT_THROW((void)engine.binding<Mismatched>(), UnboundModel);
}

TEST_F(EngineTest, SaveWritesWhatTheObjectKnows) {
    Account a = account("ada");
    std::vector<std::string> saved;
    std::vector<Account*> typed;
    auto c = engine.object_saved.connect([&](const ObjectEvent& e) {
        saved.push_back(e.model.name);
        typed.push_back(e.object<Account>());
        EXPECT_EQ(e.object<Left>(), nullptr) << "an event hands out only its own model's type";
    });
    engine.save(a);
    EXPECT_EQ(saved, std::vector<std::string>{"Account"});
    EXPECT_EQ(typed, std::vector<Account*>{&a});
    EXPECT_EQ(*stored(a), dump_item(a));
    EXPECT_TRUE(a.state.synced());

    // A loaded object knows every column: clearing one REMOVEs it.
    Account b{.id = a.id, .name = {}, .email = {}, .balance = {}, .tags = {}, .state = {}};
    engine.load(b);
    EXPECT_EQ(b.name, "ada");
    b.email.reset();
    b.tags.clear();
    engine.save(b);
    const Item after = *stored(a);
    EXPECT_FALSE(after.contains("email"));
    EXPECT_FALSE(after.contains("tags"));
    EXPECT_EQ(after.at("name"), AttributeValue::string("ada"));
}

TEST_F(EngineTest, AFreshObjectNeverRemovesWhatItDoesNotKnow) {
    Account a = account("grace");
    engine.save(a);
    Account partial{
        .id = a.id, .name = "renamed", .email = {}, .balance = {}, .tags = {}, .state = {}};
    engine.save(partial);  // email and tags are empty but not known: left alone
    const Item after = *stored(a);
    EXPECT_EQ(after.at("name"), AttributeValue::string("renamed"));
    EXPECT_EQ(after.at("email"), AttributeValue::string("grace@example.com"));
    EXPECT_TRUE(after.contains("tags"));
}

TEST_F(EngineTest, ModelsSharingATableKeepEachOthersAttributes) {
    Left l{"shared-1", "from left"};
    Right r{"shared-1", "from right"};
    engine.save(l);
    engine.save(r);
    const Item item = *stored("EngineShared", {{"id", AttributeValue::string("shared-1")}});
    EXPECT_EQ(item.at("left"), AttributeValue::string("from left"));
    EXPECT_EQ(item.at("right"), AttributeValue::string("from right"));
}

TEST_F(EngineTest, AModelWithoutObjectStateSavesEveryColumnRemovingTheEmptyOnes) {
    Left l{"stateless-1", "set"};
    Right r{"stateless-1", "kept"};
    engine.save(l);
    engine.save(r);
    l.left.clear();
    engine.save(l);  // no ObjectState: the object is the whole truth of Left's columns
    const Item item = *stored("EngineShared", {{"id", AttributeValue::string("stateless-1")}});
    EXPECT_FALSE(item.contains("left"));
    EXPECT_EQ(item.at("right"), AttributeValue::string("kept"));  // another model's: untouched
}

TEST_F(EngineTest, AModelWithoutObjectStateCannotBeReadInPart) {
    Left l{"stateless-2", "whole"};
    engine.save(l);
    EXPECT_THROW((void)engine.scan<Left>({.projection = bloop::project<&Left::id>()}),
                 bloop::InvalidProjection);
    // Read whole, it saves back unchanged.
    Left read = engine.query(bloop::attr<&Left::id> == "stateless-2").one();
    engine.save(read);
    EXPECT_EQ(stored("EngineShared", {{"id", AttributeValue::string("stateless-2")}})->at("left"),
              AttributeValue::string("whole"));
}

TEST_F(EngineTest, ConditionsGuardSaves) {
    Account a = account("cond");
    engine.save(a, {.condition = attr<&Account::email>.is_missing()});  // new item: no email yet
    a.name = "changed";
    try {
        engine.save(a, {.condition = attr<&Account::email>.is_missing()});
        FAIL();
    } catch (const ConstraintViolation& e) {
        EXPECT_NE(std::string(e.what()).find("The condition was not met for Account(id="),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(stored(a)->at("name"), AttributeValue::string("cond")) << "nothing was written";
}

TEST_F(EngineTest, AtomicSavesFailAfterAConcurrentChange) {
    Account a = account("atomic");
    engine.save(a, {.atomic = true});  // never synced: every column must be absent
    Account again = account("atomic");
    again.id = a.id;
    EXPECT_THROW(engine.save(again, {.atomic = true}), ConstraintViolation)
        << "the item exists now";

    Account loaded{.id = a.id, .name = {}, .email = {}, .balance = {}, .tags = {}, .state = {}};
    engine.load(loaded);
    loaded.balance = Decimal("99");
    engine.save(loaded, {.atomic = true});  // unchanged since the load: fine

    // Someone else changes the item.
    Value update;
    update["TableName"] = "EngineAccount";
    update["Key"] = json::to_json(Item{{"id", AttributeValue::string(a.id.to_string())}});
    update["UpdateExpression"] = "SET #n = :v";
    update["ExpressionAttributeNames"]["#n"] = "name";
    update["ExpressionAttributeValues"][":v"] = json::parse(R"({"S":"someone else"})");
    (void)engine.client().call(Operation::UpdateItem, update);

    loaded.balance = Decimal("1");
    EXPECT_THROW(engine.save(loaded, {.atomic = true}), ConstraintViolation);
    EXPECT_EQ(stored(a)->at("balance"), AttributeValue::number("99"));
    EXPECT_THROW(engine.remove(loaded, {.atomic = true}), ConstraintViolation);

    Left stateless{"x", "y"};
    EXPECT_THROW(engine.save(stateless, {.atomic = true}), InvalidModel)
        << "atomic needs an ObjectState";
}

TEST_F(EngineTest, BadInputFailsBeforeAnythingIsSent) {
    Left no_key{"", "value"};
    try {
        engine.save(no_key);
        FAIL();
    } catch (const MissingKey& e) {
        EXPECT_STREQ(e.what(), "Left(id=(missing)) is missing its hash key 'id'");
    }
    Mismatched unbound{"a", "b"};
    EXPECT_THROW(engine.save(unbound), UnboundModel);
    Left fine{"fine", "v"};
    EXPECT_THROW(engine.save(fine, no_key), MissingKey);
    EXPECT_FALSE(stored("EngineShared", {{"id", AttributeValue::string("fine")}}))
        << "no object of the batch was written";
}

TEST_F(EngineTest, InvalidValuesAreRefusedNamingTheObjectAndColumn) {
    std::vector<std::string> sent;
    Measured fine{"m-fine", "ok", 0.5};
    Measured bad_text{"m-text", "caf\xC3", 1.0};  // a cut UTF-8 sequence
    Measured nan{"m-nan", "nan", std::nan("")};
    try {
        engine.save(fine, bad_text);
        FAIL();
    } catch (const InvalidValue& e) {
        EXPECT_STREQ(e.what(),
                     "Measured(id='m-text').label: a string is not valid UTF-8 (byte 3 of 4)");
    }
    try {
        engine.save(nan);
        FAIL();
    } catch (const InvalidNumber& e) {
        EXPECT_EQ(std::string(e.what()).rfind("Measured(id='m-nan').ratio: NaN", 0), 0u)
            << e.what();
    }
    Measured bad_key{"\xFF", "key", 1.0};
    try {
        engine.save(bad_key);
        FAIL();
    } catch (const InvalidValue& e) {
        EXPECT_STREQ(e.what(),
                     "Measured(id='\\xff').id: a string is not valid UTF-8 (byte 0 of 1)");
    }
    for (const char* id : {"m-fine", "m-text", "m-nan"})
        EXPECT_FALSE(stored("EngineMeasured", {{"id", AttributeValue::string(id)}})) << id;
    // The low-level client refuses such a request as well, before sending it.
    Value put;
    put["TableName"] = "EngineMeasured";
    put["Item"]["id"]["S"] = "\xC0\x80";
    EXPECT_THROW((void)engine.client().call(Operation::PutItem, put), InvalidValue);
}

TEST_F(EngineTest, AReceiverThatThrowsNeverTurnsAWriteIntoAFailure) {
    std::vector<Account> accounts;
    for (int i = 0; i < 5; ++i) accounts.push_back(account("loud" + std::to_string(i)));
    int calls = 0;
    auto c = engine.object_saved.connect([&](const ObjectEvent&) {
        if (++calls == 2) throw std::runtime_error("receiver failed");
    });
    try {
        engine.save(accounts);
        FAIL();
    } catch (const WriteFailed& e) {
        FAIL() << "written objects reported failed: " << e.what();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "receiver failed");
    }
    EXPECT_EQ(calls, 5) << "every object was signalled";
    for (const auto& a : accounts) {
        EXPECT_TRUE(stored(a)) << a.name;
        EXPECT_TRUE(a.state.synced()) << a.name;
    }
}

TEST_F(EngineTest, ManySavesRunConcurrentlyAndReportExactlyTheFailures) {
    std::vector<Account> accounts;
    for (int i = 0; i < 50; ++i) accounts.push_back(account("bulk" + std::to_string(i)));
    std::atomic<int> signalled{0};
    auto c = engine.object_saved.connect([&](const ObjectEvent&) { ++signalled; });
    engine.save(accounts);
    EXPECT_EQ(signalled, 50);
    for (const auto& a : accounts) EXPECT_TRUE(stored(a)) << a.name;

    // Three of them changed behind our back: an atomic bulk save fails for exactly those three.
    for (int i : {3, 17, 42}) {
        Value update;
        update["TableName"] = "EngineAccount";
        update["Key"] = json::to_json(Item{
            {"id", AttributeValue::string(accounts[static_cast<std::size_t>(i)].id.to_string())}});
        update["UpdateExpression"] = "SET balance = :v";
        update["ExpressionAttributeValues"][":v"] = json::parse(R"({"N":"-1"})");
        (void)engine.client().call(Operation::UpdateItem, update);
    }
    for (auto& a : accounts) a.name += "!";
    try {
        engine.save(accounts, {.atomic = true});
        FAIL();
    } catch (const WriteFailed& e) {
        std::set<std::size_t> failed;  // which of `accounts`
        for (const auto& f : e.failures()) {
            for (std::size_t i = 0; i < accounts.size(); ++i)
                if (f.object.is(accounts[i])) failed.insert(i);
            EXPECT_THROW(std::rethrow_exception(f.error), ConstraintViolation);
        }
        EXPECT_EQ(failed, (std::set<std::size_t>{3, 17, 42}));
        ASSERT_NE(e.failure_of(accounts[17]), nullptr);
        EXPECT_TRUE(e.failure_of(accounts[17])->object.is(accounts[17]));
        EXPECT_EQ(e.failure_of(accounts[0]), nullptr);
    }
    EXPECT_EQ(stored(accounts[0])->at("name"), AttributeValue::string("bulk0!"))
        << "the others were saved";
    EXPECT_EQ(stored(accounts[3])->at("name"), AttributeValue::string("bulk3"));
}

TEST_F(EngineTest, LoadAcrossTwoTablesReportsExactlyTheMissing) {
    std::vector<Account> accounts;
    std::vector<Pair> pairs;
    for (int i = 0; i < 150; ++i) accounts.push_back(account("load" + std::to_string(i)));
    for (int i = 0; i < 100; ++i) pairs.push_back({"p", i, "v" + std::to_string(i)});
    engine.save(accounts);
    engine.save(pairs);

    std::vector<Account> want_accounts;
    for (const auto& a : accounts)
        want_accounts.push_back(
            {.id = a.id, .name = {}, .email = {}, .balance = {}, .tags = {}, .state = {}});
    std::vector<Pair> want_pairs;
    for (const auto& p : pairs) want_pairs.push_back({p.h, p.r, ""});
    want_accounts[5].id = Uuid::random();
    want_accounts[99].id = Uuid::random();
    want_pairs[50].r = 1000;

    std::atomic<int> loaded{0};
    auto c = engine.object_loaded.connect([&](const ObjectEvent&) { ++loaded; });
    try {
        engine.load(std::span<Account>(want_accounts), std::span<Pair>(want_pairs));
        FAIL();
    } catch (const MissingObjects& e) {
        EXPECT_EQ(e.objects().size(), 3u);
        for (const std::size_t i : {std::size_t{5}, std::size_t{99}})
            EXPECT_TRUE(e.missing(want_accounts[i]));
        EXPECT_EQ(std::count_if(want_accounts.begin(), want_accounts.end(),
                                [&](const Account& a) { return e.missing(a); }),
                  2);
        EXPECT_TRUE(e.missing(want_pairs[50]));
        EXPECT_FALSE(e.missing(want_pairs[49]));
    }
    EXPECT_EQ(loaded, 247);
    EXPECT_EQ(want_accounts[7].name, "load7");
    EXPECT_EQ(want_pairs[7].value, "v7");
}

TEST_F(EngineTest, LoadMatchesKeysByNameAndValue) {
    Pair a{"1", 2, "a"};
    Pair b{"2", 1, "b"};
    engine.save(a, b);
    Pair la{"1", 2, ""};
    Pair lb{"2", 1, ""};
    Pair la_again{"1", 2, ""};
    engine.load(la, lb, la_again);
    EXPECT_EQ(la.value, "a");
    EXPECT_EQ(lb.value, "b") << "bloop 1.x overwrote both with one item";
    EXPECT_EQ(la_again.value, "a") << "objects with the same key share one requested key";
}

TEST_F(EngineTest, LoadFindsNumbersDynamoDbNormalised) {
    Priced p{Decimal("1.10"), "one ten"};
    engine.save(p);
    Priced q{Decimal("1.10"), ""};
    engine.load(q);
    EXPECT_EQ(q.label, "one ten");
}

TEST_F(EngineTest, RemoveDeletesAndForgets) {
    Account a = account("gone");
    engine.save(a);
    std::vector<std::string> deleted;
    auto c = engine.object_deleted.connect(
        [&](const ObjectEvent& e) { deleted.push_back(e.model.name); });
    EXPECT_THROW(engine.remove(a, {.condition = attr<&Account::name> == "someone"}),
                 ConstraintViolation);
    EXPECT_TRUE(stored(a));
    engine.remove(a, {.condition = attr<&Account::name> == "gone"});
    EXPECT_FALSE(stored(a));
    EXPECT_FALSE(a.state.synced());
    EXPECT_EQ(deleted, std::vector<std::string>{"Account"});
}

// ---- query and scan
// ---------------------------------------------------------------------------------------

TEST_F(EngineTest, QueryByIndexThenSaveLeavesTheRestUntouched) {
    Account a = account("queried");
    a.email = "queried-" + a.id.to_string() + "@example.com";
    engine.save(a);
    auto q = engine.query(Model<Account>::by_email, attr<&Account::email> == *a.email);
    Account found = q.first();
    EXPECT_EQ(found.id, a.id);
    EXPECT_EQ(found.name, "") << "keys-only: name was not fetched";
    EXPECT_TRUE(found.state.known(0));
    EXPECT_FALSE(found.state.known(1));
    engine.save(found);  // knows only id and email: name, balance and tags stay as they are
    const Item after = *stored(a);
    EXPECT_EQ(after.at("name"), AttributeValue::string("queried"));
    EXPECT_EQ(after.at("balance"), AttributeValue::number("10.50"));
    found.balance = Decimal("77");  // a change to a column the query did not fetch is saved
    engine.save(found);
    EXPECT_EQ(stored(a)->at("balance"), AttributeValue::number("77"));
    EXPECT_EQ(stored(a)->at("name"), AttributeValue::string("queried"));
    EXPECT_NO_THROW((void)engine
                        .query(Model<Account>::by_email, attr<&Account::email> == *a.email,
                               {.consistent = true})
                        .first())
        << "ConsistentRead is not sent to a GSI";
}

TEST_F(EngineTest, SearchesAreValidatedBeforeSending) {
    EXPECT_THROW((void)engine.query(Model<Account>::by_email, attr<&Account::email> == "x",
                                    {.projection = project<&Account::name>()}),
                 InvalidProjection);
    EXPECT_THROW((void)engine.query(Model<Account>::by_email, attr<&Account::name> == "x"),
                 InvalidKeyCondition);
    EXPECT_THROW((void)engine.query(Model<Account>::by_email, attr<&Account::email> == "x",
                                    {.filter = attr<&Account::balance> > 1}),
                 InvalidFilterCondition);
    EXPECT_THROW((void)engine.scan<Account>({.parallel = Segment{4, 4}}), InvalidArgument);
}

TEST_F(EngineTest, FirstAndOne) {
    const std::string h = "fo-" + Uuid::random().to_string();
    auto none = engine.query(attr<&Pair::h> == h);
    try {
        (void)none.first();
        FAIL();
    } catch (const ConstraintViolation& e) {
        EXPECT_STREQ(e.what(), "Query did not find any results.");
    }
    std::vector<Pair> two{{h, 1, "a"}, {h, 2, "b"}};
    engine.save(two);
    auto q = engine.query(attr<&Pair::h> == h);
    EXPECT_EQ(q.first().r, 1);
    try {
        (void)q.one();
        FAIL();
    } catch (const ConstraintViolation& e) {
        EXPECT_STREQ(e.what(), "Query found more than one result.");
    }
    EXPECT_EQ(engine.query((attr<&Pair::h> == h) && (attr<&Pair::r> > 1)).one().value, "b");
}

TEST_F(EngineTest, QueryPagesLazilyAndCanBeReset) {
    const std::string h = "lazy-" + Uuid::random().to_string();
    std::vector<Pair> pairs;
    for (int i = 0; i < 30; ++i)
        pairs.push_back({h, i, std::string(40000, 'x')});  // 1.2 MB: two 1 MB pages
    engine.save(pairs);

    std::atomic<int> queries{0};
    ClientOptions options = test::client_options();
    options.log = [&](LogLevel, std::string_view line) {
        if (line.rfind("Query -> ", 0) == 0) ++queries;
    };
    Engine counted{Client(options)};
    counted.bind<Pair>(BindOptions{.skip_table_setup = true});
    auto q = counted.query(attr<&Pair::h> == h, {.forward = false});
    EXPECT_EQ(queries, 0) << "nothing is sent before results are asked for";
    EXPECT_EQ(q.next()->r, 29);
    EXPECT_EQ(queries, 1);
    std::vector<std::int64_t> order{29};
    for (const Pair& p : q) order.push_back(p.r);
    EXPECT_EQ(queries, 2) << "the second page was fetched when the first ran out";
    ASSERT_EQ(order.size(), 30u);
    EXPECT_EQ(order.back(), 0);
    EXPECT_TRUE(q.exhausted());
    EXPECT_EQ(q.count(), 30);
    EXPECT_FALSE(q.next()) << "not cached: nothing until reset";
    q.reset();
    EXPECT_EQ(q.next()->r, 29);
    EXPECT_EQ(queries, 3);
}

TEST_F(EngineTest, CountProjectionAndLimit) {
    const std::string h = "count-" + Uuid::random().to_string();
    std::vector<Pair> pairs;
    for (int i = 0; i < 12; ++i) pairs.push_back({h, i, "v"});
    engine.save(pairs);
    auto counted =
        engine.query((attr<&Pair::h> == h) && (attr<&Pair::r> >= 4), {.projection = count_only()});
    EXPECT_EQ(counted.count(), 8);
    EXPECT_EQ(counted.scanned(), 8);
    auto limited = engine.query(attr<&Pair::h> == h, {.limit = 5});
    std::vector<std::int64_t> got;
    for (const Pair& p : limited) got.push_back(p.r);
    EXPECT_EQ(got, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
    EXPECT_TRUE(limited.exhausted());
}

TEST_F(EngineTest, ResumeTokenContinuesInAFreshSearch) {
    const std::string h = "resume-" + Uuid::random().to_string();
    std::vector<Pair> pairs;
    for (int i = 0; i < 40; ++i) pairs.push_back({h, i, "v"});
    engine.save(pairs);
    auto first = engine.query(attr<&Pair::h> == h);
    for (int i = 0; i < 15; ++i) (void)first.next();
    const std::string token = first.token();

    Engine other{Client(test::client_options())};  // another engine, as another process would have
    other.bind<Pair>();
    auto second = other.query(attr<&Pair::h> == h);
    second.resume(token);
    std::vector<std::int64_t> rest;
    for (const Pair& p : second) rest.push_back(p.r);
    ASSERT_EQ(rest.size(), 25u) << "no gap, no duplicate";
    EXPECT_EQ(rest.front(), 15);
    EXPECT_EQ(rest.back(), 39);
    EXPECT_THROW(engine.scan<Account>().resume(token), InvalidArgument)
        << "a token of another search";

    auto limited = engine.query(attr<&Pair::h> == h, {.limit = 10});
    for (const Pair& p : limited) (void)p;
    auto after_limit = engine.query(attr<&Pair::h> == h);
    after_limit.resume(limited.token());
    std::size_t remaining = 0;
    for (const Pair& p : after_limit) remaining += p.r >= 10 ? 1 : 0;
    EXPECT_EQ(remaining, 30u) << "the token is a position; the resuming search's own limit applies";
}

TEST_F(EngineTest, ParallelScanCoversEveryItemOnce) {
    const std::string h = "parallel-" + Uuid::random().to_string();
    std::vector<Pair> pairs;
    for (int i = 0; i < 60; ++i) pairs.push_back({h, i, "v"});
    engine.save(pairs);
    const std::vector<Pair> all =
        engine.scan_all_segments<Pair>(4, {.filter = attr<&Pair::h> == h});
    std::multiset<std::int64_t> seen;
    for (const auto& p : all) seen.insert(p.r);
    ASSERT_EQ(seen.size(), 60u);
    for (int i = 0; i < 60; ++i) EXPECT_EQ(seen.count(i), 1u) << i;

    // More segments than the client's 64 threads; a limit over all of them.
    std::set<std::int64_t> many;
    for (const auto& p : engine.scan_all_segments<Pair>(100, {.filter = attr<&Pair::h> == h}))
        EXPECT_TRUE(many.insert(p.r).second) << p.r;
    EXPECT_EQ(many.size(), 60u);
    std::set<std::int64_t> limited;
    for (const auto& p :
         engine.scan_all_segments<Pair>(8, {.filter = attr<&Pair::h> == h, .limit = 25}))
        EXPECT_TRUE(limited.insert(p.r).second) << p.r;
    EXPECT_EQ(limited.size(), 25u);

    // Handed on as they come instead of kept.
    std::mutex mutex;
    std::multiset<std::int64_t> handed;
    engine.scan_all_segments<Pair>(4, {.filter = attr<&Pair::h> == h}, [&](Pair&& p) {
        std::lock_guard lock(mutex);
        handed.insert(p.r);
    });
    ASSERT_EQ(handed.size(), 60u);
    for (int i = 0; i < 60; ++i) EXPECT_EQ(handed.count(i), 1u) << i;
}

// page_size sends DynamoDB's Limit: 25 items (and any other test's) in pages of 10 evaluated; a
// read rate reads the same items (DynamoDB Local reports ConsumedCapacity).
TEST_F(EngineTest, ScansPageAsAskedAndAtAReadRate) {
    std::vector<Measured> items;
    for (int i = 0; i < 25; ++i) items.push_back({"paged-" + std::to_string(i), "paged", 0.5});
    engine.save(items);
    std::atomic<int> scans{0};
    ClientOptions options = test::client_options();
    options.log = [&](LogLevel, std::string_view line) {
        if (line.rfind("Scan -> ", 0) == 0) ++scans;  // one line per request sent
    };
    Engine logged{Client(options)};
    logged.bind<Measured>({.skip_table_setup = true});
    const auto paged = [](auto&& search) {
        int n = 0;
        for (const Measured& m : search) n += m.label == "paged" ? 1 : 0;
        return n;
    };
    EXPECT_EQ(
        paged(logged.scan<Measured>(
            {.filter = attr<&Measured::label> == "paged", .consistent = true, .page_size = 10})),
        25);
    // Other tests' items may share the table: a page ends at 10 evaluated, and a full last page
    // still names a LastEvaluatedKey, so one more (empty) request follows it.
    std::int64_t total = 0;
    for (const Measured& m : engine.scan<Measured>({.consistent = true}))
        total += m.id.empty() ? 0 : 1;
    EXPECT_EQ(scans.load(), total / 10 + 1);
    EXPECT_EQ(paged(logged.scan<Measured>({.consistent = true, .read_rate = 1000.0})), 25);
    engine.remove(items);
}

}  // namespace
}  // namespace bloop
