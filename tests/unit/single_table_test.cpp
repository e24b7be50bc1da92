// Single-table design without a server: the runtime a shared-table model is lowered into, key
// templates rendered and parsed back, and conditions on key members written on key attributes.

#include <bloop/bloop.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace unit_st {

struct Books {
    static constexpr bloop::Meta meta{.table_name = "Books"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
    static constexpr bloop::TableIndex by_isbn{.name = "by_isbn",
                                               .hash = "ipk",
                                               .range = "isk",
                                               .projection = bloop::ProjectionMode::keys};
    static constexpr auto indexes = bloop::table_indexes<&by_isbn>();
    static constexpr bloop::EntityTypes entities{.attribute = "kind"};
};

struct Author {
    std::string name{};
    std::string country{};
};

struct Edition {
    std::string author{};
    std::string title{};
    std::int64_t year = 0;
    std::int64_t printing = 0;
    std::string isbn{};
    std::optional<std::string> notes{};
};

// A member kept in a key and, asked, as an attribute of its own.
struct Review {
    std::string author{};
    std::string book{};
    std::int64_t stars = 0;
};

}  // namespace unit_st

template <>
struct bloop::Model<unit_st::Review> {
    using table = unit_st::Books;
    static constexpr auto keys =
        bloop::keys(key<"pk", "AUTHOR#{author}">, key<"sk", "REVIEW#{book}">);
    static constexpr auto column_options =
        bloop::column_options(also_stored<&unit_st::Review::book>);
};

template <>
struct bloop::Model<unit_st::Author> {
    using table = unit_st::Books;
    static constexpr auto keys = bloop::keys(key<"pk", "AUTHOR#{name}">, key<"sk", "#PROFILE">);
};

template <>
struct bloop::Model<unit_st::Edition> {
    using table = unit_st::Books;
    static constexpr Entity entity{.name = "edition", .version = 2};
    static constexpr auto keys =
        bloop::keys(key<"pk", "AUTHOR#{author}">, key<"sk", "ED#{title}#{year:04}#{printing:03}">,
                    key<"ipk", "ISBN#{isbn}">, key<"isk", "ED">);
};

namespace bloop {
namespace {

using unit_st::Author;
using unit_st::Edition;

// The condition as rendered, with its values.
std::string rendered(const Condition& c) {
    Renderer r;
    std::string out = r.condition(c).value_or("");
    const ExpressionAttributes a = r.take_attributes();
    return out + " " + a.values;
}

Edition dune() {
    return {.author = "Herbert",
            .title = "Dune",
            .year = 1965,
            .printing = 7,
            .isbn = "978-0",
            .notes = "first"};
}

TEST(SingleTableModel, AnEntityIsLoweredWithItsTemplatesTypeAndTheTableShape) {
    const ModelInfo& m = model_info<Edition>();
    EXPECT_EQ(m.table_name, "Books");
    ASSERT_TRUE(m.entity);
    EXPECT_EQ(m.entity->name, "edition");
    EXPECT_EQ(m.entity->attribute, "kind");
    EXPECT_EQ(m.entity->version, 2);
    std::vector<std::string> columns;
    for (const auto& c : m.columns) columns.push_back(c.dynamo_name);
    // Members kept in templates are not columns of their own.
    EXPECT_EQ(columns,
              (std::vector<std::string>{"notes", "pk", "sk", "ipk", "isk", "kind", "_ev"}));
    EXPECT_EQ(m.columns[*m.hash_key].dynamo_name, "pk");
    EXPECT_EQ(m.columns[*m.range_key].dynamo_name, "sk");
    ASSERT_EQ(m.key_templates.size(), 4u);
    EXPECT_EQ(m.key_templates[1].literals, (std::vector<std::string>{"ED#", "#", "#", ""}));
    EXPECT_EQ(m.key_templates[1].placeholders[1].member, "year");
    EXPECT_EQ(m.key_templates[1].placeholders[1].width, 4);
    ASSERT_EQ(m.indexes.size(), 1u);
    EXPECT_TRUE(m.indexes[0].declared_by.is(unit_st::Books::by_isbn));
    // A keys-only index of a shared table also holds the entity type.
    EXPECT_EQ(m.indexes[0].projection_mode, ProjectionMode::include);
    EXPECT_EQ(m.indexes[0].include_columns, (std::vector<std::string>{"kind"}));
}

TEST(SingleTableModel, AnEntityWithoutAnIndexKeyStillShapesTheIndexButNeverWritesIt) {
    const ModelInfo& m = model_info<Author>();
    const ColumnInfo* ipk = m.column("ipk");
    ASSERT_NE(ipk, nullptr);
    EXPECT_TRUE(ipk->absent);
    EXPECT_EQ(m.projection.included.size(), m.columns.size() - 2);  // ipk, isk left out
    EXPECT_EQ(repr(AttributeValue::map(dump_item(Author{"Le Guin", "US"}))),
              repr(AttributeValue::map(Item{{"country", AttributeValue::string("US")},
                                            {"kind", AttributeValue::string("Author")},
                                            {"pk", AttributeValue::string("AUTHOR#Le Guin")},
                                            {"sk", AttributeValue::string("#PROFILE")}})));
}

TEST(SingleTableModel, KeysAreRenderedZeroPaddedAndParsedBackIntoTheMembers) {
    const Item item = dump_item(dune());
    EXPECT_EQ(item.at("pk").as_string(), "AUTHOR#Herbert");
    EXPECT_EQ(item.at("sk").as_string(), "ED#Dune#1965#007");
    EXPECT_EQ(item.at("ipk").as_string(), "ISBN#978-0");
    EXPECT_EQ(item.at("isk").as_string(), "ED");
    EXPECT_EQ(item.at("kind").as_string(), "edition");
    EXPECT_EQ(item.at("_ev").as_number(), "2");
    EXPECT_EQ(item.find("title"), item.end());
    const Edition back = load_item<Edition>(item);
    EXPECT_EQ(back.author, "Herbert");
    EXPECT_EQ(back.title, "Dune");
    EXPECT_EQ(back.year, 1965);
    EXPECT_EQ(back.printing, 7);
    EXPECT_EQ(back.isbn, "978-0");
    EXPECT_EQ(back.notes, "first");
}

TEST(SingleTableModel, AMemberAskedToBeAlsoStoredIsInItsKeyAndAnAttributeOfItsOwn) {
    const Item item = dump_item(unit_st::Review{"Herbert", "Dune", 5});
    EXPECT_EQ(item.at("sk").as_string(), "REVIEW#Dune");
    EXPECT_EQ(item.at("book").as_string(), "Dune");
    EXPECT_EQ(item.find("author"), item.end());
    EXPECT_EQ(load_item<unit_st::Review>(item).book, "Dune");
    // Its conditions are still written on the key.
    EXPECT_EQ(rendered((attr<&unit_st::Review::book> == "Dune").condition()),
              R"x((#n0 = :v1) ":v1":{"S":"REVIEW#Dune"})x");
}

TEST(SingleTableModel, AnEmptyPlaceholderLeavesItsKeyOutAsASparseIndexDoes) {
    Edition e = dune();
    e.isbn.clear();
    const Item item = dump_item(e);
    EXPECT_EQ(item.find("ipk"), item.end());
    EXPECT_EQ(item.at("isk").as_string(), "ED");
}

TEST(SingleTableModel, ValuesTheKeyCouldNotHoldAreRefusedNamingTheMember) {
    Edition sep = dune();
    sep.title = "Dune#2";
    try {
        (void)dump_item(sep);
        FAIL() << "no InvalidValue";
    } catch (const InvalidValue& e) {
        EXPECT_EQ(std::string(e.what()),
                  "Edition.sk: member 'title' is 'Dune#2', which holds '#', the separator after "
                  "it in key template 'ED#{title}#{year:04}#{printing:03}' of 'sk': the key could "
                  "not be parsed back");
    }
    Edition wide = dune();
    wide.printing = 1000;
    try {
        (void)dump_item(wide);
        FAIL() << "no InvalidValue";
    } catch (const InvalidValue& e) {
        EXPECT_EQ(std::string(e.what()),
                  "Edition.sk: member 'printing' is 1000, which key template "
                  "'ED#{title}#{year:04}#{printing:03}' of 'sk' cannot hold: it takes 0 to 3 "
                  "digits");
    }
    Edition negative = dune();
    negative.year = -5;
    EXPECT_THROW((void)dump_item(negative), InvalidValue);
}

TEST(SingleTableModel, AStoredKeyThatDoesNotMatchTheTemplateIsRefusedWhole) {
    Item item = dump_item(dune());
    item.insert_or_assign("sk", AttributeValue::string("ED#Dune#19x5#007"));
    try {
        (void)load_item<Edition>(item);
        FAIL() << "no InvalidValue";
    } catch (const InvalidValue& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("table 'Books' key sk = 'ED#Dune#19x5#007' does not match template "
                               "'ED#{title}#{year:04}#{printing:03}' of 'Edition': year is not 4 "
                               "digits"),
                  std::string::npos)
            << message;
    }
    item.insert_or_assign("sk", AttributeValue::string("ED#Dune#1965#007#more"));
    EXPECT_THROW((void)load_item<Edition>(item), InvalidValue);
    item.insert_or_assign("sk", AttributeValue::string("XX#Dune#1965#007"));
    EXPECT_THROW((void)load_item<Edition>(item), InvalidValue);
}

TEST(SingleTableModel, AnItemOfAnotherEntityIsRefusedBeforeAnyMemberIsSet) {
    Item item = dump_item(dune());
    item.insert_or_assign("kind", AttributeValue::string("Author"));
    try {
        (void)load_item<Edition>(item);
        FAIL() << "no WrongEntity";
    } catch (const WrongEntity& e) {
        EXPECT_EQ(std::string(e.what()),
                  "table 'Books' item (pk='AUTHOR#Herbert', sk='ED#Dune#1965#007') holds an item "
                  "of entity 'Author', not of 'edition'");
    }
}

TEST(SingleTableConditions, KeyMembersAreWrittenOnTheKeyAttributeLeftToRight) {
    const auto& author = attr<&Edition::author>;
    EXPECT_EQ(rendered((author == "Herbert").condition()),
              R"x((#n0 = :v1) ":v1":{"S":"AUTHOR#Herbert"})x");
    // Equal leading placeholders, then begins_with on the next.
    EXPECT_EQ(
        rendered((attr<&Edition::title> == "Dune" && attr<&Edition::year> == 1965).condition()),
        R"x((begins_with(#n0, :v1)) ":v1":{"S":"ED#Dune#1965#"})x");
    EXPECT_EQ(rendered(attr<&Edition::title>.begins_with("Du").condition()),
              R"x((begins_with(#n0, :v1)) ":v1":{"S":"ED#Du"})x");
    // A comparison on the last placeholder.
    EXPECT_EQ(
        rendered((attr<&Edition::title> == "Dune" && attr<&Edition::year> == 1965 &&
                  attr<&Edition::printing>.between(2, 5))
                     .condition()),
        R"x((#n0 BETWEEN :v1 AND :v2) ":v1":{"S":"ED#Dune#1965#002"},":v2":{"S":"ED#Dune#1965#005"})x");
    // Every placeholder equal.
    EXPECT_EQ(rendered((attr<&Edition::printing> == 3 && attr<&Edition::title> == "Dune" &&
                        attr<&Edition::year> == 1965)
                           .condition()),
              R"x((#n0 = :v1) ":v1":{"S":"ED#Dune#1965#003"})x");
    // Under OR and NOT each comparison stands alone.
    EXPECT_EQ(
        rendered((author == "A" || !(author == "B")).condition()),
        R"x(((#n0 = :v1) OR (NOT (#n0 = :v2))) ":v1":{"S":"AUTHOR#A"},":v2":{"S":"AUTHOR#B"})x");
}

TEST(SingleTableConditions, AComparisonNoTemplateCanHoldIsRefused) {
    // year is not the last placeholder of sk, and no other template holds it.
    try {
        (void)rendered(
            (attr<&Edition::title> == "Dune" && attr<&Edition::year> > 1960).condition());
        FAIL() << "no InvalidCondition";
    } catch (const InvalidCondition& e) {
        EXPECT_NE(std::string(e.what()).find("'Edition': the condition"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("on key member 'year' cannot be written on a key "
                                             "template of the model"),
                  std::string::npos)
            << e.what();
    }
    // Without the leading equality, a begins_with on the second placeholder cannot be written.
    EXPECT_THROW(
        (void)rendered((attr<&Edition::author> == "x" && attr<&Edition::year> == 1965).condition()),
        InvalidCondition);
}

}  // namespace
}  // namespace bloop
