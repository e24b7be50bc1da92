// Single-table design against DynamoDB Local: entities of one shared table, key templates, the
// entity type on every item, conditions on key members, collections and entity streams — the
// requests sent and the items stored, read back past the engine.

#include <bloop/bloop.hpp>

#include "integration.hpp"
#include "recording_transport.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace st {

struct Shop {
    static constexpr bloop::Meta meta{.table_name = "StShop",
                                      .stream = bloop::StreamView::new_and_old_images};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
    static constexpr bloop::TableIndex gsi1{.name = "gsi1", .hash = "gsi1pk", .range = "gsi1sk"};
    static constexpr auto indexes = bloop::table_indexes<&gsi1>();
};

struct Org {
    std::string org{};
    std::string name{};
    bloop::ObjectState state{};
};

struct Member {
    std::string org{};
    std::string email{};
    std::string role{};
    std::int64_t logins = 0;
    std::int64_t version = 0;
    bloop::ObjectState state{};
};

struct Invoice {
    std::string org{};
    std::int64_t year = 0;
    std::int64_t seq = 0;
    std::string email{};
    bloop::Decimal total{};
    bloop::ObjectState state{};
};

struct Visit {
    std::string org{};
    std::string day{};
    std::string who{};
    std::string note{};
};

// Same keys as Member, another entity: for a load of the wrong key.
struct Impostor {
    std::string org{};
    std::string email{};
};

// A table whose untyped items raise.
struct Strict {
    static constexpr bloop::Meta meta{.table_name = "StStrict",
                                      .stream = bloop::StreamView::new_and_old_images};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
    static constexpr bloop::EntityTypes entities{.unknown = bloop::UnknownEntities::raise};
};
struct Note {
    std::string topic{};
    std::string text{};
};
struct Tag {
    std::string topic{};
    std::string tag{};
};

}  // namespace st

template <>
struct bloop::Model<st::Org> {
    using table = st::Shop;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "#META">);
};
template <>
struct bloop::Model<st::Member> {
    using table = st::Shop;
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "MEMBER#{email}">,
                    key<"gsi1pk", "MEMBER#{email}">, key<"gsi1sk", "#PROFILE">);
    static constexpr auto version = &st::Member::version;
};
template <>
struct bloop::Model<st::Invoice> {
    using table = st::Shop;
    static constexpr Entity entity{.name = "invoice", .version = 3};
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "INV#{year:04}#{seq:06}">,
                    key<"gsi1pk", "MEMBER#{email}">, key<"gsi1sk", "INV#{year:04}">);
};
template <>
struct bloop::Model<st::Visit> {
    using table = st::Shop;
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "VISIT#{day}#{who}">);
};
template <>
struct bloop::Model<st::Impostor> {
    using table = st::Shop;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "MEMBER#{email}">);
};
template <>
struct bloop::Model<st::Note> {
    using table = st::Strict;
    static constexpr auto keys = bloop::keys(key<"pk", "TOPIC#{topic}">, key<"sk", "NOTE">);
};
template <>
struct bloop::Model<st::Tag> {
    using table = st::Strict;
    static constexpr auto keys = bloop::keys(key<"pk", "TOPIC#{topic}">, key<"sk", "TAG#{tag}">);
};

namespace bloop {
namespace {

using st::Impostor;
using st::Invoice;
using st::Member;
using st::Org;

Item key_of(const std::string& pk, const std::string& sk) {
    return Item{{"pk", AttributeValue::string(pk)}, {"sk", AttributeValue::string(sk)}};
}

std::vector<std::string> names_of(const Item& item) {
    std::vector<std::string> out;
    for (const auto& [name, value] : item) out.push_back(name);
    return out;
}

class SingleTable : public ::testing::Test {
  protected:
    std::shared_ptr<test::RecordingTransport> sent =
        std::make_shared<test::RecordingTransport>(make_socket_transport(16));
    Engine engine{Client([this] {
        ClientOptions o = test::client_options();
        o.transport = sent;
        return o;
    }())};
    void SetUp() override { engine.bind<Org, Member, Invoice>(); }

    std::optional<Item> stored(const std::string& pk, const std::string& sk) {
        return test::stored_item(engine.client(), "StShop", key_of(pk, sk));
    }
};

TEST_F(SingleTable, SaveWritesRenderedKeysAndTheEntityTypeAndLoadParsesThemBack) {
    Invoice i{.org = "save",
              .year = 2026,
              .seq = 42,
              .email = "ann@save.example",
              .total = Decimal("12.50")};
    engine.save(i);
    const auto item = stored("ORG#save", "INV#2026#000042");
    ASSERT_TRUE(item);
    // The members live in the keys only: no attribute of their own.
    EXPECT_EQ(names_of(*item),
              (std::vector<std::string>{"_et", "_ev", "gsi1pk", "gsi1sk", "pk", "sk", "total"}));
    EXPECT_EQ(item->at("_et").as_string(), "invoice");
    EXPECT_EQ(item->at("_ev").as_number(), "3");
    EXPECT_EQ(item->at("gsi1pk").as_string(), "MEMBER#ann@save.example");
    EXPECT_EQ(item->at("gsi1sk").as_string(), "INV#2026");

    Invoice back{.org = "save", .year = 2026, .seq = 42};
    engine.load(back);
    EXPECT_EQ(back.email, "ann@save.example");
    EXPECT_EQ(back.total, Decimal("12.50"));
    EXPECT_EQ(back.year, 2026);
    EXPECT_EQ(back.seq, 42);
    EXPECT_TRUE(back.state.synced());
}

TEST_F(SingleTable, LoadOfAKeyHoldingAnotherEntityRaisesWrongEntityAndLeavesTheObject) {
    engine.bind<Impostor>();  // same keys as Member: bound apart, or bind refuses the pair
    Member m{.org = "wrong", .email = "bob@wrong.example", .role = "admin"};
    engine.save(m);
    Impostor i{.org = "wrong", .email = "bob@wrong.example"};
    try {
        engine.load(i);
        FAIL() << "no WrongEntity";
    } catch (const WrongEntity& e) {
        EXPECT_EQ(std::string(e.what()),
                  "table 'StShop' item (pk='ORG#wrong', sk='MEMBER#bob@wrong.example') holds an "
                  "item of entity 'Member', not of 'Impostor'");
    }
    EXPECT_EQ(i.org, "wrong");
    EXPECT_EQ(i.email, "bob@wrong.example");
}

TEST_F(SingleTable, AValueHoldingTheSeparatorIsRefusedBeforeAnyRequest) {
    engine.bind<st::Visit>();
    const std::size_t before = sent->count();
    st::Visit v{.org = "v", .day = "2026#05", .who = "ann"};
    try {
        engine.save(v);
        FAIL() << "no InvalidValue";
    } catch (const InvalidValue& e) {
        EXPECT_EQ(std::string(e.what()),
                  "Visit(pk='ORG#v', sk=(invalid)).sk: member 'day' is '2026#05', which holds "
                  "'#', the separator after it in key template 'VISIT#{day}#{who}' of 'sk': the "
                  "key could not be parsed back");
    }
    // The last placeholder takes the rest of the key: any text parses back.
    st::Visit last{.org = "v", .day = "2026-05", .who = "ann#1"};
    engine.save(last);
    st::Visit back{.org = "v", .day = "2026-05", .who = "ann#1"};
    engine.load(back);
    EXPECT_EQ(back.note, "");
    const std::size_t written = sent->count();
    Invoice wide{.org = "w", .year = 2026, .seq = 1234567, .email = "e@w.example"};
    EXPECT_THROW(engine.save(wide), InvalidValue);
    Invoice negative{.org = "w", .year = -1, .seq = 1, .email = "e@w.example"};
    EXPECT_THROW(engine.save(negative), InvalidValue);
    EXPECT_EQ(sent->count(), written);
    EXPECT_EQ(written, before + 2);  // the save and the load of `last`
}

TEST_F(SingleTable, AQueryOfOneEntityReadsOnlyItsItemsOnTheRenderedKey) {
    Org o{.org = "q", .name = "Q"};
    Member m{.org = "q", .email = "m@q.example", .role = "r"};
    engine.save(o, m);
    std::vector<Invoice> invoices;
    for (int s = 1; s <= 3; ++s)
        invoices.push_back({.org = "q", .year = 2026, .seq = s, .email = "m@q.example"});
    engine.save(invoices);

    auto q = engine.query<Invoice>(attr<&Invoice::org> == "q");
    std::vector<std::int64_t> seqs;
    for (const Invoice& i : q) seqs.push_back(i.seq);
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 3}));
    const std::string body = sent->last("Query");
    EXPECT_NE(body.find(R"x("KeyConditionExpression":"(#n3 = :v8)")x"), std::string::npos) << body;
    EXPECT_NE(body.find(R"x("FilterExpression":"(#n0 = :v1)")x"), std::string::npos) << body;
    EXPECT_NE(body.find(R"x(":v1":{"S":"invoice"})x"), std::string::npos) << body;
    EXPECT_NE(body.find(R"x(":v8":{"S":"ORG#q"})x"), std::string::npos) << body;
    EXPECT_EQ(engine.scan<Org>().one().name, "Q");
}

TEST_F(SingleTable, KeyConditionsFollowTheTemplateLeftToRight) {
    std::vector<Invoice> invoices;
    for (int s = 1; s <= 30; ++s)
        invoices.push_back({.org = "k", .year = 2025 + s % 2, .seq = s, .email = "e@k.example"});
    engine.save(invoices);
    const auto seqs = [&](const ConditionOf<Invoice>& key) {
        std::vector<std::int64_t> out;
        for (const Invoice& i : engine.query<Invoice>(key)) out.push_back(i.seq);
        return out;
    };
    // Equal year, a range of numbers: sk BETWEEN INV#2026#000010 AND INV#2026#000014 (odd
    // numbers are of 2026).
    EXPECT_EQ(seqs(attr<&Invoice::org> == "k" && attr<&Invoice::year> == 2026 &&
                   attr<&Invoice::seq>.between(10, 14)),
              (std::vector<std::int64_t>{11, 13}));
    EXPECT_NE(sent->last("Query").find(R"x({"S":"INV#2026#000010"})x"), std::string::npos);
    EXPECT_NE(sent->last("Query").find(R"x({"S":"INV#2026#000014"})x"), std::string::npos);
    // Equal year alone: begins_with(sk, INV#2025#).
    EXPECT_EQ(seqs(attr<&Invoice::org> == "k" && attr<&Invoice::year> == 2025).size(), 15u);
    EXPECT_NE(sent->last("Query").find("begins_with"), std::string::npos);
    // Every placeholder equal: one item.
    EXPECT_EQ(seqs(attr<&Invoice::org> == "k" && attr<&Invoice::year> == 2025 &&
                   attr<&Invoice::seq> == 8),
              (std::vector<std::int64_t>{8}));
    // A comparison on a placeholder that is not the template's last cannot be a key condition.
    const std::size_t before = sent->count();
    EXPECT_THROW(
        (void)engine.query<Invoice>(attr<&Invoice::org> == "k" && attr<&Invoice::year> > 2025),
        InvalidCondition);
    EXPECT_EQ(sent->count(), before);
}

TEST_F(SingleTable, AnOverloadedIndexIsQueriedOnKeyMembers) {
    std::vector<Invoice> invoices;
    for (int s = 1; s <= 6; ++s)
        invoices.push_back({.org = "g", .year = 2024 + s % 3, .seq = s, .email = "ix@g.example"});
    engine.save(invoices);
    Member m{.org = "g", .email = "ix@g.example", .role = "r"};
    engine.save(m);
    auto q = engine.query(st::Shop::gsi1,
                          attr<&Invoice::email> == "ix@g.example" && attr<&Invoice::year> == 2026);
    std::vector<std::int64_t> seqs;
    for (const Invoice& i : q) seqs.push_back(i.seq);
    std::sort(seqs.begin(), seqs.end());
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{2, 5}));
    const std::string body = sent->last("Query");
    EXPECT_NE(body.find(R"x("IndexName":"gsi1")x"), std::string::npos) << body;
    EXPECT_NE(body.find(R"x({"S":"MEMBER#ix@g.example"})x"), std::string::npos) << body;
    EXPECT_NE(body.find(R"x({"S":"INV#2026"})x"), std::string::npos) << body;
    // The member's profile shares the partition of the index; only Members come back as such.
    auto profile = engine.query(st::Shop::gsi1, attr<&Member::email> == "ix@g.example");
    EXPECT_EQ(profile.one().role, "r");
}

TEST_F(SingleTable, ACollectionReturnsEachItemAsItsOwnModelPagedAndResumable) {
    Org o{.org = "c", .name = "C"};
    engine.save(o);
    std::vector<Member> members;
    for (int i = 0; i < 4; ++i)
        members.push_back({.org = "c", .email = "m" + std::to_string(i) + "@c.example"});
    engine.save(members);
    std::vector<Invoice> invoices;
    for (int s = 1; s <= 9; ++s)
        invoices.push_back({.org = "c", .year = 2026, .seq = s, .email = "m0@c.example"});
    engine.save(invoices);
    // Another organization's items are in another partition.
    Org other{.org = "c2", .name = "C2"};
    engine.save(other);

    auto all = engine.query<Org, Member, Invoice>(attr<&Org::org> == "c");
    const auto found = all.collect();
    EXPECT_EQ(found.of<Org>().size(), 1u);
    EXPECT_EQ(found.of<Org>()[0].name, "C");
    EXPECT_EQ(found.of<Member>().size(), 4u);
    EXPECT_EQ(found.of<Invoice>().size(), 9u);
    EXPECT_EQ(all.count(), 14);
    const std::string body = sent->last("Query");
    EXPECT_EQ(body.find("ProjectionExpression"), std::string::npos) << body;
    EXPECT_NE(body.find(" IN ("), std::string::npos) << body;
    // Sorted by sk: #META, INV#..., MEMBER#...
    EXPECT_TRUE(std::holds_alternative<Org>(all.first()));

    // Entities not listed are not read.
    auto people = engine.query<Member, Invoice>(attr<&Member::org> == "c", {.page_size = 5});
    for (int i = 0; i < 7; ++i) ASSERT_TRUE(people.next());
    const std::string token = people.token();
    auto rest = engine.query<Member, Invoice>(attr<&Member::org> == "c");
    rest.resume(token);
    std::size_t remaining = 0;
    while (rest.next()) ++remaining;  // the type holds only Member and Invoice
    EXPECT_EQ(remaining, 13u - 7u);
}

TEST_F(SingleTable, WriteConditionsAtomicSavesVersionsAndActionsWorkPerEntity) {
    Member m{.org = "w", .email = "w@w.example", .role = "member"};
    engine.save(m);
    EXPECT_EQ(m.version, 1);
    m.role = "admin";
    // A condition on a key member is written on the key attribute.
    engine.save(m, {.condition = attr<&Member::org> == "w", .atomic = true});
    EXPECT_NE(sent->last("UpdateItem").find(R"x({"S":"ORG#w"})x"), std::string::npos);
    EXPECT_EQ(m.version, 2);
    EXPECT_THROW(engine.save(m, {.condition = attr<&Member::email> == "other@w.example"}),
                 ConstraintViolation);
    engine.save(m, {.actions = {attr<&Member::logins>.add(5)}, .sync = Sync::after});
    EXPECT_EQ(m.logins, 5);
    const auto item = stored("ORG#w", "MEMBER#w@w.example");
    ASSERT_TRUE(item);
    EXPECT_EQ(item->at("role").as_string(), "admin");
    EXPECT_EQ(item->at("logins").as_number(), "5");
    EXPECT_EQ(item->at("version").as_number(), "3");
    EXPECT_EQ(item->at("_et").as_string(), "Member");

    std::vector<std::string> saved;
    engine.object_saved.connect([&](const ObjectEvent& e) { saved.push_back(e.model.name); });
    Org o{.org = "w", .name = "W"};
    engine.save(o);
    EXPECT_EQ(saved, (std::vector<std::string>{"Org"}));
}

TEST_F(SingleTable, TransactionsAndBatchWritesMixEntitiesOfTheTable) {
    Org o{.org = "t", .name = "T"};
    Member m{.org = "t", .email = "t@t.example", .role = "owner"};
    WriteTransaction tx(engine);
    tx.save(o).save(m);
    tx.commit();
    EXPECT_EQ(stored("ORG#t", "#META")->at("_et").as_string(), "Org");
    EXPECT_EQ(stored("ORG#t", "MEMBER#t@t.example")->at("role").as_string(), "owner");

    std::vector<Invoice> invoices{{.org = "t", .year = 2026, .seq = 1, .email = "t@t.example"},
                                  {.org = "t", .year = 2026, .seq = 2, .email = "t@t.example"}};
    Org renamed{.org = "t", .name = "T2"};
    BatchWrite batch(engine);
    batch.put(std::span(invoices)).put(renamed);
    batch.commit();
    EXPECT_EQ(stored("ORG#t", "INV#2026#000002")->at("_et").as_string(), "invoice");
    EXPECT_EQ(stored("ORG#t", "#META")->at("name").as_string(), "T2");

    ReadTransaction rx(engine);
    Member back{.org = "t", .email = "t@t.example"};
    Org org_back{.org = "t"};
    rx.load(back).load(org_back);
    rx.commit();
    EXPECT_EQ(back.role, "owner");
    EXPECT_EQ(org_back.name, "T2");
}

TEST_F(SingleTable, AnEntityStreamDeliversEachRecordAsItsModel) {
    auto stream = engine.stream<Org, Invoice>(trim_horizon);
    auto members = engine.stream<Member>(trim_horizon);  // one entity: only its records
    Org o{.org = "s", .name = "S"};
    Member m{.org = "s", .email = "s@s.example"};
    Invoice i{.org = "s", .year = 2026, .seq = 1, .email = "s@s.example"};
    engine.save(o, m);
    engine.save(i);
    bool saw_org = false;
    bool saw_invoice = false;
    for (int poll = 0; poll < 50 && !(saw_org && saw_invoice); ++poll) {
        while (auto record = stream.next()) {
            // Members are another entity of the table: never delivered here.
            if (const auto* r = std::get_if<Record<Org>>(&*record)) {
                if (r->new_image && r->new_image->org == "s") saw_org = r->new_image->name == "S";
            } else {
                const auto& inv = std::get<Record<Invoice>>(*record);
                if (inv.new_image && inv.new_image->org == "s")
                    saw_invoice = inv.new_image->email == "s@s.example";
            }
        }
    }
    EXPECT_TRUE(saw_org);
    EXPECT_TRUE(saw_invoice);
    bool saw_member = false;
    for (int poll = 0; poll < 50 && !saw_member; ++poll) {
        while (auto record = members.next()) {
            if (record->new_image && record->new_image->org == "s")
                saw_member = record->new_image->email == "s@s.example";
        }
    }
    EXPECT_TRUE(saw_member);
}

TEST_F(SingleTable, AStreamProcessorHandsOverEachRecordAsItsEntity) {
    StreamProcessor processor(engine, {.consumer = "single-table",
                                       .take_interval = std::chrono::milliseconds(200),
                                       .idle_poll = std::chrono::milliseconds(100),
                                       .idle_exit = std::chrono::seconds(2)});
    std::vector<std::string> seen;
    processor.subscribe<Org, Invoice>([&](RecordBatch<Org, Invoice>& batch) {
        for (const auto& record : batch.records) {
            if (const auto* o = std::get_if<Record<Org>>(&record)) {
                if (o->new_image && o->new_image->org == "p")
                    seen.push_back("Org " + o->new_image->name);
            } else {
                const auto& i = std::get<Record<Invoice>>(record);
                if (i.new_image && i.new_image->org == "p")
                    seen.push_back("invoice " + std::to_string(i.new_image->seq));
            }
        }
    });
    Org o{.org = "p", .name = "P"};
    Member m{.org = "p", .email = "p@p.example"};  // another entity: not handed over
    Invoice i{.org = "p", .year = 2026, .seq = 9, .email = "p@p.example"};
    engine.save(o, m);
    engine.save(i);
    processor.run();  // returns once idle and caught up
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, (std::vector<std::string>{"Org P", "invoice 9"}));
}

TEST(SingleTableRules, UntypedItemsAreMatchedByTheirKeysOrRaiseAsTheTableSays) {
    Engine engine{Client(test::client_options())};
    engine.bind<st::Note, st::Tag>();
    auto stream = engine.stream<st::Note, st::Tag>(trim_horizon);
    // An item written past the engine, without a type: its keys fit Tag's templates.
    json::Value put;
    put["TableName"] = "StStrict";
    put["Item"] = json::to_json(Item{{"pk", AttributeValue::string("TOPIC#raw")},
                                     {"sk", AttributeValue::string("TAG#loose")}});
    (void)engine.client().call(Operation::PutItem, put);
    // One whose keys fit nothing: the table says raise.
    put["Item"] = json::to_json(
        Item{{"pk", AttributeValue::string("TOPIC#raw")}, {"sk", AttributeValue::string("ELSE")}});
    (void)engine.client().call(Operation::PutItem, put);
    std::optional<std::string> tag;
    std::string error;
    for (int poll = 0; poll < 50 && error.empty(); ++poll) {
        try {
            while (auto record = stream.next()) {
                if (const auto* r = std::get_if<Record<st::Tag>>(&*record)) tag = r->new_image->tag;
            }
        } catch (const WrongEntity& e) {
            error = e.what();
        }
    }
    EXPECT_EQ(tag, "loose");
    EXPECT_EQ(error,
              "table 'StStrict' holds an item of no entity type whose keys fit none of the "
              "entities read");
}

}  // namespace
}  // namespace bloop

namespace st_once {
struct Table {
    static constexpr bloop::Meta meta{.table_name = "StOnce"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
};
struct Other {
    static constexpr bloop::Meta meta{.table_name = "StOnce"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
    static constexpr bloop::TableIndex by_b{.name = "by_b", .hash = "b"};
    static constexpr auto indexes = bloop::table_indexes<&by_b>();
};
struct A {
    std::string a;
};
struct B {
    std::string b;
};
struct Late {
    std::string b;
};
struct Twin {
    std::string a;
};
struct Prefix {
    std::string a;
    std::string x;
};
struct Sessions {
    static constexpr bloop::Meta meta{.table_name = "StTtl"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
};
struct Session {
    std::string id;
    bloop::Timestamp expires;
};
struct Token {
    std::string id;
    bloop::Timestamp ends;
};
}  // namespace st_once

template <>
struct bloop::Model<st_once::A> {
    using table = st_once::Table;
    static constexpr auto keys = bloop::keys(key<"pk", "A#{a}">, key<"sk", "A">);
};
template <>
struct bloop::Model<st_once::B> {
    using table = st_once::Table;
    static constexpr auto keys = bloop::keys(key<"pk", "A#{b}">, key<"sk", "B">);
};
template <>
struct bloop::Model<st_once::Late> {
    using table = st_once::Other;
    static constexpr auto keys = bloop::keys(key<"pk", "L#{b}">, key<"sk", "L">);
};
template <>
struct bloop::Model<st_once::Twin> {
    using table = st_once::Table;
    static constexpr Entity entity{.name = "A"};
    static constexpr auto keys = bloop::keys(key<"pk", "T#{a}">, key<"sk", "T">);
};
template <>
struct bloop::Model<st_once::Prefix> {
    using table = st_once::Table;
    static constexpr auto keys = bloop::keys(key<"pk", "A#{a}">, key<"sk", "AX{x}">);
};

template <>
struct bloop::Model<st_once::Session> {
    using table = st_once::Sessions;
    static constexpr auto keys = bloop::keys(key<"pk", "S#{id}">, key<"sk", "SESSION">);
    static constexpr auto ttl = &st_once::Session::expires;
};
template <>
struct bloop::Model<st_once::Token> {
    using table = st_once::Sessions;
    static constexpr auto keys = bloop::keys(key<"pk", "T#{id}">, key<"sk", "TOKEN">);
    static constexpr auto ttl = &st_once::Token::ends;
};

namespace bloop {
namespace {

TEST(SingleTableRules, EntitiesOfOneTableShareItsTtlAttribute) {
    Engine engine{Client(test::client_options())};
    engine.bind<st_once::Session>();  // creates StTtl with TTL on 'expires'
    try {
        engine.bind<st_once::Token>();
        FAIL() << "no TableMismatch";
    } catch (const TableMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("TTL is on 'expires', expected 'ends'"),
                  std::string::npos)
            << e.what();
    }
}

TEST(SingleTableRules, BindCreatesASharedTableOnceAndValidatesEachModel) {
    Engine engine{Client(test::client_options())};
    const BindReport report = engine.bind<st_once::A, st_once::B>();
    EXPECT_EQ(report.changes, (std::vector<std::string>{"StOnce: created the table"}));
    // A model declaring the same table with another shape is told what differs.
    try {
        engine.bind<st_once::Late>();
        FAIL() << "no TableMismatch";
    } catch (const TableMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("by_b"), std::string::npos) << e.what();
    }
}

TEST(SingleTableRules, BindRefusesEntitiesWithOneNameOrSortKeysThatReadEachOther) {
    Engine engine{Client(test::client_options())};
    try {
        engine.bind<st_once::A, st_once::Twin>();
        FAIL() << "no InvalidModel";
    } catch (const InvalidModel& e) {
        EXPECT_EQ(std::string(e.what()),
                  "'A' and 'Twin' of table 'StOnce' have the same entity type name 'A'");
    }
    try {
        engine.bind<st_once::A, st_once::Prefix>();
        FAIL() << "no InvalidModel";
    } catch (const InvalidModel& e) {
        EXPECT_EQ(std::string(e.what()),
                  "'A' and 'Prefix' of table 'StOnce' have sort keys 'A' and 'AX{x}' whose fixed "
                  "text begins alike ('A', 'AX'): a query for one would read the other's items");
    }
}

}  // namespace
}  // namespace bloop
