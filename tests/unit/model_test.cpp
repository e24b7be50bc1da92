// Models: lowering into ModelInfo, bloop's validation rules, item dump/load, documents, state.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>
#include <bloop/model/model.hpp>

#include <gtest/gtest.h>

namespace app {

struct Profile {  // a document
    std::optional<int> age;
    std::string city;
    friend bool operator==(const Profile&, const Profile&) = default;
};

// The benchmark's Account model (../shared/bench/WORKLOAD.md).
struct Account {
    bloop::Uuid id;
    std::string name;
    std::string email;
    bloop::DateTime created;
    bloop::Decimal balance;
    std::set<std::string> tags;
    Profile profile;
    bloop::ObjectState state;
};

struct Post {
    std::string forum;
    std::int64_t number = 0;
    std::string author;
    bloop::DateTime date;
    std::string body;
};

struct Base {  // abstract: no table, no key rules
    std::string anything;
};

}  // namespace app

template <>
struct bloop::Model<app::Profile> {
    static constexpr auto columns =
        bloop::columns(column<&app::Profile::age>(), column<&app::Profile::city>());
};

template <>
struct bloop::Model<app::Account> {
    static constexpr Meta meta{.stream = StreamView::new_and_old_images};
    static constexpr auto columns =
        bloop::columns(column<&app::Account::id>().hash_key(), column<&app::Account::name>(),
                       column<&app::Account::email>(), column<&app::Account::created>(),
                       column<&app::Account::balance>(), column<&app::Account::tags>(),
                       column<&app::Account::profile>());
    static constexpr auto by_email =
        global_index("by_email").hash_key<&app::Account::email>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_email);
    static constexpr auto state = &app::Account::state;
};

template <>
struct bloop::Model<app::Post> {
    static constexpr Meta meta{.table_name = "Posts", .read_units = 5, .write_units = 2};
    static constexpr auto columns = bloop::columns(
        column<&app::Post::forum>().hash_key(), column<&app::Post::number>("n").range_key(),
        column<&app::Post::author>(), column<&app::Post::date>(), column<&app::Post::body>());
    static constexpr auto by_author = global_index("by_author", "PostsByAuthor")
                                          .hash_key<&app::Post::author>()
                                          .range_key<&app::Post::date>()
                                          .projection(include<&app::Post::body>)
                                          .read_units(3)
                                          .write_units(4);
    static constexpr auto by_date =
        local_index("by_date").range_key<&app::Post::date>().projection(all_attributes);
    static constexpr auto by_author_loose = local_index("by_author_loose")
                                                .range_key<&app::Post::author>()
                                                .projection(keys_only)
                                                .strict(false);
    static constexpr auto indexes = bloop::indexes(by_author, by_date, by_author_loose);
};

template <>
struct bloop::Model<app::Base> {
    static constexpr Meta meta{.abstract = true};
    static constexpr auto columns = bloop::columns(column<&app::Base::anything>());
};

namespace bloop {
namespace {

using namespace std::chrono;
using app::Account;
using app::Post;

std::vector<std::string> names(const ModelInfo& m, const std::vector<std::size_t>& columns) {
    std::vector<std::string> out;
    for (auto i : columns) out.push_back(m.columns[i].name);
    return out;
}

TEST(Model, LowersTheAccountModel) {
    const ModelInfo& m = model_info<Account>();
    EXPECT_EQ(m.name, "Account");
    EXPECT_EQ(m.table_name, "Account") << "defaults to the struct's name";
    EXPECT_FALSE(m.document);
    ASSERT_EQ(m.columns.size(), 7u);
    EXPECT_EQ(m.columns[0].name, "id");
    EXPECT_EQ(m.columns[0].backing, AttributeType::S);
    EXPECT_EQ(m.columns[4].backing, AttributeType::N);
    EXPECT_EQ(m.columns[5].backing, AttributeType::SS);
    EXPECT_EQ(m.columns[6].backing, AttributeType::M);
    EXPECT_EQ(m.hash_key, 0u);
    EXPECT_FALSE(m.range_key);
    const KeyColumns keys = m.key_columns();
    EXPECT_EQ(std::vector<std::size_t>(keys.begin(), keys.end()), std::vector<std::size_t>{0});
    EXPECT_EQ(m.stream, StreamView::new_and_old_images);
    EXPECT_TRUE(m.state);
    ASSERT_EQ(m.indexes.size(), 1u);
    const IndexInfo& by_email = m.indexes[0];
    EXPECT_EQ(by_email.kind, IndexKind::global);
    EXPECT_EQ(by_email.dynamo_name, "by_email");
    EXPECT_EQ(names(m, by_email.projection.included), (std::vector<std::string>{"id", "email"}));
    EXPECT_EQ(by_email.projection.available, by_email.projection.included);
    EXPECT_EQ(&model_info<Account>(), &m) << "lowered once";
}

TEST(Model, LowersIndexesAndProjections) {
    const ModelInfo& m = model_info<Post>();
    EXPECT_EQ(m.table_name, "Posts");
    EXPECT_EQ(m.read_units, 5);
    EXPECT_EQ(m.columns[1].dynamo_name, "n");
    EXPECT_EQ(m.range_key, 1u);
    const KeyColumns keys = m.key_columns();
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0], 0u) << "hash first";
    EXPECT_EQ(keys[1], 1u);
    const IndexInfo* by_author = m.index("by_author");
    ASSERT_NE(by_author, nullptr);
    EXPECT_EQ(by_author->dynamo_name, "PostsByAuthor");
    EXPECT_EQ(by_author->projection.mode, ProjectionMode::include);
    EXPECT_EQ(names(m, by_author->projection.included),
              (std::vector<std::string>{"forum", "number", "author", "date", "body"}));
    EXPECT_EQ(by_author->read_units, 3);
    EXPECT_EQ(by_author->write_units, 4);
    const IndexInfo* by_date = m.index("by_date");
    EXPECT_EQ(by_date->hash_key, m.hash_key) << "an LSI shares the table's hash key";
    EXPECT_EQ(by_date->projection.included.size(), 5u);
    const IndexInfo* loose = m.index("by_author_loose");
    EXPECT_EQ(names(m, loose->projection.included),
              (std::vector<std::string>{"forum", "number", "author"}));
    EXPECT_EQ(loose->projection.available.size(), 5u) << "not strict: everything is available";
    EXPECT_EQ(names(m, m.dynamo_order),
              (std::vector<std::string>{"author", "body", "date", "forum", "number"}));
}

struct Announced {
    std::string id;
};

}  // namespace

template <>
struct Model<Announced> {
    static constexpr Meta meta{.table_name = "Announced"};
    static constexpr auto columns = bloop::columns(column<&Announced::id>().hash_key());
};

namespace {

TEST(Model, ModelCreatedFiresOncePerModel) {
    std::vector<std::string> created;
    Connection c = model_created().connect([&](const ModelInfo& m) {
        created.push_back(m.name);
        EXPECT_EQ(&model_info<Announced>(), &m) << "receivers may use the model";
    });
    (void)model_info<Announced>();
    (void)model_info<Announced>();
    c.disconnect();
    EXPECT_EQ(created, std::vector<std::string>{"Announced"});
}

TEST(Model, AbstractModelsSkipKeyRules) {
    const ModelInfo& m = model_info<app::Base>();
    EXPECT_TRUE(m.abstract);
    EXPECT_FALSE(m.hash_key);
}

Account sample() {
    Account a;
    a.id = Uuid("6d8b54a2-fa07-47e1-9305-717699459293");
    a.name = "Ada Lovelace";
    a.email = "ada@example.com";
    a.created = sys_days(2015y / 3 / 1) + hours(12) + microseconds(5);
    a.balance = Decimal("6571.15");
    a.tags = {"vip", "admin"};
    a.profile = {42, "London"};
    return a;
}

TEST(Model, DumpsAnObjectToItsItem) {
    std::string out;
    json::write_item(out, dump_item(sample()));
    EXPECT_EQ(
        out,
        R"({"balance":{"N":"6571.15"},"created":{"S":"2015-03-01T12:00:00.000005+00:00"},)"
        R"("email":{"S":"ada@example.com"},"id":{"S":"6d8b54a2-fa07-47e1-9305-717699459293"},)"
        R"("name":{"S":"Ada Lovelace"},"profile":{"M":{"age":{"N":"42"},"city":{"S":"London"}}},)"
        R"("tags":{"SS":["admin","vip"]}})");
}

TEST(Model, EmptyColumnsAreLeftOut) {
    Account a;
    a.id = Uuid("6d8b54a2-fa07-47e1-9305-717699459293");
    const Item item = dump_item(a);
    // created (epoch) and balance (0) are values; the empty string, set and document are not.
    EXPECT_EQ(item.size(), 3u);
    EXPECT_TRUE(item.contains("id"));
    EXPECT_FALSE(item.contains("name"));
    EXPECT_FALSE(item.contains("tags"));
    EXPECT_FALSE(item.contains("profile"));
}

TEST(Model, LoadsAnItemAndSyncsState) {
    const Account a = load_item<Account>(dump_item(sample()));
    EXPECT_EQ(a.id, sample().id);
    EXPECT_EQ(a.balance, Decimal("6571.15"));
    EXPECT_EQ(a.tags, (std::set<std::string>{"admin", "vip"}));
    EXPECT_EQ(a.profile, (app::Profile{42, "London"}));
    EXPECT_TRUE(a.state.synced());
    for (std::size_t i = 0; i < 7; ++i) EXPECT_TRUE(a.state.known(i)) << i;
    EXPECT_EQ(*a.state.snapshot(), dump_item(sample()));

    const Account copy = a;  // copying an object copies its state
    EXPECT_EQ(copy.state, a.state);
}

TEST(Model, MissingAttributesLoadAsMissingValues) {
    const Account a = load_item<Account>(
        {{"id", AttributeValue::string("6d8b54a2-fa07-47e1-9305-717699459293")}});
    EXPECT_EQ(a.name, "");
    EXPECT_TRUE(a.tags.empty());
    EXPECT_EQ(a.profile.age, std::nullopt);
    EXPECT_EQ(a.balance, Decimal(0));
    EXPECT_TRUE(a.state.known(1)) << "a full load knows every column, absent ones as empty";
    // The snapshot is what is stored: only id, although created (epoch) and balance (0) would
    // dump to values.
    EXPECT_EQ(*a.state.snapshot(),
              (Item{{"id", AttributeValue::string("6d8b54a2-fa07-47e1-9305-717699459293")}}));
}

TEST(Model, PartialLoadsKeepTheRestOfTheSnapshot) {
    Account a = load_item<Account>(dump_item(sample()));
    const ModelInfo& info = model_info<Account>();
    const std::size_t email = *info.column_index("email");
    const std::vector<std::size_t> projected{*info.hash_key, email};
    detail::load_and_sync(info, &a,
                          {{"id", AttributeValue::string("6d8b54a2-fa07-47e1-9305-717699459293")},
                           {"email", AttributeValue::string("new@example.com")}},
                          projected);
    EXPECT_EQ(a.email, "new@example.com");
    EXPECT_EQ(a.name, "Ada Lovelace") << "columns outside the projection are untouched";
    EXPECT_EQ(a.state.snapshot()->at("email"), AttributeValue::string("new@example.com"));
    EXPECT_EQ(a.state.snapshot()->at("name"), AttributeValue::string("Ada Lovelace"));
    EXPECT_EQ(a.state.snapshot()->size(), 7u);
}

TEST(Model, ModelsWithoutStateLoadWithoutTracking) {
    const ModelInfo& info = model_info<Post>();
    EXPECT_FALSE(info.state);
    Post p;
    detail::load_and_sync(
        info, &p, {{"forum", AttributeValue::string("f")}, {"n", AttributeValue::number("3")}},
        info.projection.available);
    EXPECT_EQ(p.forum, "f");
    EXPECT_EQ(p.number, 3);
}

TEST(Model, LoadErrorsNameTheObjectAndColumn) {
    const auto id = AttributeValue::string("6d8b54a2-fa07-47e1-9305-717699459293");
    try {
        (void)load_item<Account>({{"id", id}, {"balance", AttributeValue::string("lots")}});
        FAIL();
    } catch (const AttributeTypeMismatch& e) {
        // "balance" loads before "id": the key still comes from the item.
        EXPECT_STREQ(e.what(),
                     "Account(id='6d8b54a2-fa07-47e1-9305-717699459293').balance: "
                     "attribute value is S, not N");
    }
    try {
        (void)load_item<Account>({{"created", AttributeValue::string("2015-03-01")}});
        FAIL();
    } catch (const InvalidValue& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "Account(id=(missing)).created: \"2015-03-01\" is not a bloop DateTime"),
                  std::string::npos)
            << e.what();
    }
    try {
        (void)load_item<Account>({{"id", id}, {"tags", AttributeValue::number("1")}});
        FAIL();
    } catch (const AttributeTypeMismatch& e) {
        // "id" loaded before "tags": the key comes from the object.
        EXPECT_EQ(std::string(e.what()).rfind(
                      "Account(id='6d8b54a2-fa07-47e1-9305-717699459293').tags: ", 0),
                  0u)
            << e.what();
    }
    try {
        (void)load_item<Account>({{"balance", AttributeValue::number("1E+300")}});
        FAIL();
    } catch (const InvalidNumber& e) {
        EXPECT_EQ(std::string(e.what()).rfind("Account(id=(missing)).balance: ", 0), 0u)
            << e.what();
    }
}

// bloop's Map(a=String, b=Integer, c=Map(x=Boolean)) example.
struct Inner {
    std::optional<bool> x;
    friend bool operator==(const Inner&, const Inner&) = default;
};
struct Outer {
    std::string a;
    std::optional<int> b;
    Inner c;
    friend bool operator==(const Outer&, const Outer&) = default;
};

}  // namespace

template <>
struct Model<Inner> {
    static constexpr auto columns = bloop::columns(column<&Inner::x>());
};
template <>
struct Model<Outer> {
    static constexpr auto columns =
        bloop::columns(column<&Outer::a>(), column<&Outer::b>(), column<&Outer::c>());
};

namespace {

TEST(Documents, BloopsMapExample) {
    const auto dump = [](const Outer& o) {
        const auto d = TypeTraits<Outer>::dump(o);
        if (!d) return std::string("null");
        std::string out;
        json::write_attribute(out, *d);
        return out;
    };
    EXPECT_EQ(dump({"s", 1, {true}}),
              R"({"M":{"a":{"S":"s"},"b":{"N":"1"},"c":{"M":{"x":{"BOOL":true}}}}})");
    EXPECT_EQ(dump({"", std::nullopt, {}}), "null");
    const Outer loaded = TypeTraits<Outer>::load(
        json::to_attribute(json::parse(R"({"M":{"a":{"S":"s"},"zzz":{"S":"q"}}})")));
    EXPECT_EQ(loaded, (Outer{"s", std::nullopt, {std::nullopt}}));
    EXPECT_EQ(TypeTraits<Outer>::missing(), (Outer{}));
    EXPECT_TRUE(model_info<Outer>().document);
}

// ---- runtime rules on hand-built descriptions
// --------------------------------------------------------

ColumnInfo col(std::string name, AttributeType backing = AttributeType::S, bool hash = false,
               bool range = false) {
    ColumnInfo c;
    c.name = name;
    c.dynamo_name = std::move(name);
    c.backing = backing;
    c.hash_key = hash;
    c.range_key = range;
    return c;
}

ModelInfo user_model() {
    ModelInfo m;
    m.name = "User";
    m.columns = {col("id", AttributeType::S, true), col("email"), col("data", AttributeType::M)};
    return m;
}

template <class E>
void expect_invalid(ModelInfo m, const std::string& message) {
    try {
        finalize_model(m);
        FAIL() << "accepted; expected: " << message;
    } catch (const E& e) {
        EXPECT_EQ(std::string(e.what()), message);
    }
}

TEST(ModelRules, KeysFollowBloop) {
    ModelInfo none = user_model();
    none.columns[0].hash_key = false;
    expect_invalid<InvalidModel>(none, "'User' has no hash key.");

    ModelInfo two = user_model();
    two.columns[1].hash_key = true;
    expect_invalid<InvalidModel>(two, "'User' has more than one hash key.");

    ModelInfo ranges = user_model();
    ranges.columns[1].range_key = true;
    ranges.columns[2].range_key = true;
    expect_invalid<InvalidModel>(ranges, "'User' has more than one range key.");

    ModelInfo both = user_model();
    both.columns[0].range_key = true;
    expect_invalid<InvalidModel>(both, "'User' has the same hash and range key.");

    ModelInfo map_key = user_model();
    map_key.columns[0].hash_key = false;
    map_key.columns[2].hash_key = true;
    expect_invalid<InvalidModel>(
        map_key, "'User.data' cannot be a key: it is stored as M (keys must be S, N or B)");
}

TEST(ModelRules, NamesAndUnits) {
    ModelInfo dup = user_model();
    dup.columns[1].dynamo_name = "id";
    expect_invalid<InvalidModel>(dup, "'User' has two columns stored as 'id'");

    ModelInfo table = user_model();
    table.table_name = "ab";
    expect_invalid<InvalidModel>(table,
                                 "'User' has table name 'ab': DynamoDB table names are 3-255 "
                                 "characters of a-z, A-Z, 0-9, '_', '-' and '.'");

    ModelInfo units = user_model();
    units.read_units = 0;
    expect_invalid<InvalidModel>(units, "read_units of 'User' must be at least 1, got 0");
}

IndexInfo lsi(std::string range) {
    IndexInfo ix;
    ix.kind = IndexKind::local;
    ix.name = "by_email";
    ix.range_key_column = std::move(range);
    return ix;
}

TEST(ModelRules, LocalIndexesFollowBloop) {
    ModelInfo no_range = user_model();
    no_range.indexes = {lsi("email")};
    expect_invalid<InvalidIndex>(no_range, "An LSI requires the Model to have a range key.");

    ModelInfo with_range = user_model();
    with_range.columns.push_back(col("date", AttributeType::S, false, true));
    IndexInfo hashed = lsi("email");
    hashed.hash_key_column = "id";
    with_range.indexes = {hashed};
    expect_invalid<InvalidIndex>(with_range, "An LSI shares its hash key with the Model.");

    IndexInfo units = lsi("email");
    units.read_units = 1;
    with_range.indexes = {units};
    expect_invalid<InvalidIndex>(with_range,
                                 "An LSI shares its provisioned throughput with the Model.");
}

TEST(ModelRules, AnIndexNeedsAName) {
    ModelInfo m = user_model();
    IndexInfo gsi;
    gsi.hash_key_column = "email";
    m.indexes = {gsi};
    expect_invalid<InvalidIndex>(m,
                                 "'User' has an index without a name: name it "
                                 "(global_index(\"by_x\")) or list it by its member "
                                 "(bloop::indexes<&by_x>())");
}

TEST(ModelRules, IndexColumnsMustBeColumns) {
    ModelInfo m = user_model();
    IndexInfo gsi;
    gsi.name = "by_email";
    gsi.hash_key_column = "nope";
    m.indexes = {gsi};
    expect_invalid<InvalidIndex>(m,
                                 "'User.by_email' names 'nope', which is not a column of 'User'");

    gsi.hash_key_column = "email";
    gsi.projection_mode = ProjectionMode::include;
    gsi.include_columns = {"missing"};
    m.indexes = {gsi};
    expect_invalid<InvalidIndex>(
        m, "'User.by_email' names 'missing', which is not a column of 'User'");

    gsi.include_columns = {};
    gsi.hash_key_column = "data";
    m.indexes = {gsi};
    expect_invalid<InvalidIndex>(
        m,
        "'User.by_email' cannot use 'data' as a key: it is stored as M (keys must be S, N or B)");

    gsi.hash_key_column = "";
    m.indexes = {gsi};
    expect_invalid<InvalidIndex>(m, "'User.by_email' has no hash key.");
}

TEST(ModelRules, DocumentsCannotHaveIndexes) {
    ModelInfo m = user_model();
    m.document = true;
    IndexInfo gsi;
    gsi.name = "by_email";
    gsi.hash_key_column = "email";
    m.indexes = {gsi};
    expect_invalid<InvalidModel>(m, "'User' is a document (no table) and cannot have indexes");
}

TEST(ModelRules, StreamIncludeSets) {
    EXPECT_EQ(stream_view_from_include({"keys"}), StreamView::keys_only);
    EXPECT_EQ(stream_view_from_include({"new"}), StreamView::new_image);
    EXPECT_EQ(stream_view_from_include({"old"}), StreamView::old_image);
    EXPECT_EQ(stream_view_from_include({"old", "new"}), StreamView::new_and_old_images);
    EXPECT_THROW((void)stream_view_from_include({}), InvalidStream);
    EXPECT_THROW((void)stream_view_from_include({"keys", "new"}), InvalidStream);
    EXPECT_THROW((void)stream_view_from_include({"keys", "old"}), InvalidStream);
    EXPECT_THROW((void)stream_view_from_include({"both"}), InvalidStream);
    EXPECT_EQ(stream_view_type(StreamView::new_and_old_images), "NEW_AND_OLD_IMAGES");
    EXPECT_EQ(stream_view_from_type("KEYS_ONLY"), StreamView::keys_only);
    EXPECT_THROW((void)stream_view_from_type("ALL"), InvalidStream);
}

struct Renamed {
    std::string pk;
    std::string other;
};

}  // namespace

template <>
struct Model<Renamed> {
    static constexpr Meta meta{.table_name = "Renamed"};
    static constexpr auto columns = bloop::columns(column<&Renamed::pk>().named("key").hash_key(),
                                                   column<&Renamed::other>("o").named("alt"));
    static constexpr auto by_alt =
        global_index("by_alt").hash_key<&Renamed::other>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_alt);
};

namespace {

TEST(ModelRules, ColumnNamesCanBeGiven) {
    const ModelInfo& m = model_info<Renamed>();
    EXPECT_EQ(m.columns[0].name, "key");
    EXPECT_EQ(m.columns[0].dynamo_name, "key") << "the DynamoDB name follows a given name";
    EXPECT_EQ(m.columns[1].name, "alt");
    EXPECT_EQ(m.columns[1].dynamo_name, "o") << "unless it was given too";
    EXPECT_EQ(m.indexes[0].hash_key, 1u) << "indexes find renamed columns";
}

TEST(ModelRules, NamesAreDeducedFromMembersAndTypes) {
    EXPECT_EQ(detail::member_name<&app::Account::email>(), "email");
    EXPECT_EQ(detail::type_name<app::Account>(), "Account");
    EXPECT_EQ(detail::type_name<std::vector<int>>(), "vector<int>");
    static_assert(column<&app::Account::email>().name == "email");
    static_assert(column<&app::Account::email>("e").dynamo_name == "e");
}

TEST(ObjectStateKnown, ColumnsMarkedInAnyOrderAreKnownAndOnlyThey) {
    ObjectState state;
    const std::vector<std::size_t> marked{5, 1, 3};
    state.mark_known(marked);
    for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(state.known(i), i % 2 == 1 && i <= 5) << i;
    const std::vector<std::size_t> more{0};
    state.mark_known(more);  // within what is already held: the others stay known
    EXPECT_TRUE(state.known(0));
    EXPECT_TRUE(state.known(5));
    const std::vector<std::size_t> changed{3, 9};
    state.mark_unknown(changed);
    EXPECT_FALSE(state.known(3));
    EXPECT_FALSE(state.known(9));
    EXPECT_TRUE(state.known(1));
    state.mark_known({});
    EXPECT_TRUE(state.known(1));
}

}  // namespace
}  // namespace bloop
