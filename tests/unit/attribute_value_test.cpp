#include <bloop/types/attribute_value.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include <gtest/gtest.h>

namespace bloop {
namespace {

std::string wire(const AttributeValue& v) {
    std::string out;
    json::write_attribute(out, v);
    return out;
}

AttributeValue from_wire(const std::string& text) {
    return json::to_attribute(json::parse(text));
}

struct WireCase {
    const char* name;
    AttributeValue value;
    const char* text;
};

class AttributeWire : public ::testing::TestWithParam<WireCase> {};

TEST_P(AttributeWire, WritesExactlyAndReadsBack) {
    EXPECT_EQ(wire(GetParam().value), GetParam().text);
    EXPECT_EQ(from_wire(GetParam().text), GetParam().value);
}

INSTANTIATE_TEST_SUITE_P(
    AttributeValue, AttributeWire,
    ::testing::Values(
        WireCase{"S", AttributeValue::string("héllo \"w\"\n"), R"({"S":"héllo \"w\"\n"})"},
        WireCase{"N38", AttributeValue::number("12345678901234567890123456789012345678"),
                 R"({"N":"12345678901234567890123456789012345678"})"},
        WireCase{"NTrailingZero", AttributeValue::number("1.10"), R"({"N":"1.10"})"},
        WireCase{"NInt", AttributeValue::number(std::int64_t{-42}), R"({"N":"-42"})"},
        WireCase{"B", AttributeValue::binary(Binary{0x00, 0xff, 0x10}), R"({"B":"AP8Q"})"},
        WireCase{"SS", AttributeValue::string_set({"b", "a"}), R"({"SS":["b","a"]})"},
        WireCase{"NS", AttributeValue::number_set({"1", "2.5"}), R"({"NS":["1","2.5"]})"},
        WireCase{"BS", AttributeValue::binary_set({Binary{'a'}, Binary{'b', 'c'}}),
                 R"({"BS":["YQ==","YmM="]})"},
        WireCase{"M",
                 AttributeValue::map({{"z", AttributeValue::boolean(true)},
                                      {"a", AttributeValue::null()}}),
                 R"({"M":{"a":{"NULL":true},"z":{"BOOL":true}}})"},
        WireCase{"L",
                 AttributeValue::list({AttributeValue::string("x"), AttributeValue::number("1")}),
                 R"({"L":[{"S":"x"},{"N":"1"}]})"},
        WireCase{"BOOLFalse", AttributeValue::boolean(false), R"({"BOOL":false})"},
        WireCase{"NULL", AttributeValue::null(), R"({"NULL":true})"},
        WireCase{"EmptyS", AttributeValue::string(""), R"({"S":""})"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(AttributeValue, ItemsWriteInNameOrder) {
    Item item{{"b", AttributeValue::string("2")}, {"a", AttributeValue::number("1")}};
    std::string out;
    json::write_item(out, item);
    EXPECT_EQ(out, R"({"a":{"N":"1"},"b":{"S":"2"}})");
    EXPECT_EQ(json::to_item(json::parse(out)), item);
}

TEST(AttributeValue, SetsCompareWithoutOrder) {
    EXPECT_EQ(AttributeValue::string_set({"a", "b"}), AttributeValue::string_set({"b", "a"}));
    EXPECT_NE(AttributeValue::string_set({"a", "b"}), AttributeValue::string_set({"a", "c"}));
    EXPECT_NE(AttributeValue::string_set({"1"}), AttributeValue::number_set({"1"}));
    EXPECT_NE(AttributeValue::string("1"), AttributeValue::number("1"));
}

TEST(AttributeValue, AccessorsThrowOnTheWrongType) {
    const AttributeValue v = AttributeValue::number("3");
    EXPECT_EQ(v.type(), AttributeType::N);
    try {
        (void)v.as_string();
        FAIL();
    } catch (const AttributeTypeMismatch& e) {
        EXPECT_STREQ(e.what(), "attribute value is N, not S");
    }
    EXPECT_THROW((void)v.as_map(), std::invalid_argument);
    EXPECT_TRUE(AttributeValue().is_null());
}

TEST(AttributeValue, BinaryRoundTripsEveryByte) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t n = 0; n < 7; ++n) {
        const Binary b(all.substr(0, n) + all);
        EXPECT_EQ(Binary::from_base64(b.to_base64()), b);
    }
    EXPECT_EQ(Binary(std::string("foobar")).to_base64(), "Zm9vYmFy");
    EXPECT_EQ(Binary(std::string("fo")).to_base64(), "Zm8=");
}

TEST(AttributeValue, RejectsBadBase64) {
    EXPECT_THROW((void)Binary::from_base64("abc"), InvalidArgument);
    EXPECT_THROW((void)Binary::from_base64("ab!="), InvalidArgument);
    EXPECT_THROW((void)Binary::from_base64("a==="), InvalidArgument);
    EXPECT_THROW((void)Binary::from_base64("=abc"), InvalidArgument);
}

class AttributeWireRejects : public ::testing::TestWithParam<const char*> {};

TEST_P(AttributeWireRejects, WithInvalidJson) {
    EXPECT_THROW((void)from_wire(GetParam()), InvalidJson) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(AttributeValue, AttributeWireRejects,
                         ::testing::Values(R"({})", R"({"S":"a","N":"1"})", R"({"X":"a"})",
                                           R"({"S":1})", R"({"N":""})", R"({"B":"***"})",
                                           R"({"SS":"a"})", R"({"SS":[1]})", R"({"NULL":false})",
                                           R"({"BOOL":"true"})", R"({"M":[]})", R"({"L":{}})",
                                           R"("S")", R"({"L":[{"Q":1}]})"));

}  // namespace
}  // namespace bloop

namespace bloop {
namespace {

TEST(AttributeMap, KeepsNamesSortedAndUnique) {
    Item item{{"b", AttributeValue::number("2")},
              {"a", AttributeValue::number("1")},
              {"b", AttributeValue::number("3")}};
    ASSERT_EQ(item.size(), 2u);
    EXPECT_EQ(item.begin()->first, "a");
    EXPECT_EQ(item.at("b"), AttributeValue::number("2")) << "the first of repeated names is kept";
    item["c"] = AttributeValue::string("x");
    item["a"] = AttributeValue::string("y");
    std::vector<std::string> names;
    for (const auto& [name, value] : item) names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(item.at("a"), AttributeValue::string("y"));
}

TEST(AttributeMap, FromEntriesKeepsTheLastOfRepeatedNames) {
    Item::container_type entries;
    entries.emplace_back("z", AttributeValue::number("1"));
    entries.emplace_back("a", AttributeValue::number("2"));
    entries.emplace_back("z", AttributeValue::number("3"));
    const Item item = Item::from_entries(std::move(entries));
    ASSERT_EQ(item.size(), 2u);
    EXPECT_EQ(item.at("z"), AttributeValue::number("3"));
    EXPECT_EQ(item.begin()->first, "a");
}

TEST(AttributeMap, LookupInsertErase) {
    Item item;
    EXPECT_TRUE(item.empty());
    EXPECT_TRUE(item.emplace("k", AttributeValue::string("v")).second);
    EXPECT_FALSE(item.emplace("k", AttributeValue::string("w")).second);
    EXPECT_EQ(item.at("k"), AttributeValue::string("v"));
    EXPECT_FALSE(item.insert_or_assign("k", AttributeValue::string("w")).second);
    EXPECT_EQ(item.at("k"), AttributeValue::string("w"));
    EXPECT_TRUE(item.contains("k"));
    EXPECT_EQ(item.count("nope"), 0u);
    EXPECT_EQ(item.find("nope"), item.end());
    try {
        (void)item.at("nope");
        FAIL();
    } catch (const std::out_of_range& e) {
        EXPECT_STREQ(e.what(), "no attribute named \"nope\"");
    }
    EXPECT_EQ(item.erase("k"), 1u);
    EXPECT_EQ(item.erase("k"), 0u);
    EXPECT_TRUE(item.empty());
}

TEST(AttributeMap, EqualityComparesNamesAndValues) {
    const Item a{{"x", AttributeValue::string_set({"1", "2"})}};
    const Item b{{"x", AttributeValue::string_set({"2", "1"})}};
    const Item c{{"y", AttributeValue::string_set({"1", "2"})}};
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(AttributeValue, PrintedAsBloopPrintsThem) {
    EXPECT_EQ(repr(AttributeValue::string("it's a \\ \n")), "'it\\'s a \\\\ \\n'");
    EXPECT_EQ(repr(AttributeValue::string("ünï")), "'ünï'");
    EXPECT_EQ(repr(AttributeValue::string("a\xff")), "'a\\xff'") << "never invalid UTF-8";
    EXPECT_EQ(repr(AttributeValue::number("-1.50")), "-1.50");
    EXPECT_EQ(repr(AttributeValue::binary(Binary{0x00, 'a', 0xff})), "b'\\x00a\\xff'");
    EXPECT_EQ(repr(AttributeValue::string_set({"a", "b"})), "{'a', 'b'}");
    EXPECT_EQ(repr(AttributeValue::number_set({"1", "2.5"})), "{1, 2.5}");
    EXPECT_EQ(repr(AttributeValue::list({AttributeValue::number("1"), AttributeValue::string("x"),
                                         AttributeValue::boolean(true), AttributeValue::null()})),
              "[1, 'x', True, None]");
    EXPECT_EQ(repr(AttributeValue::map({{"k", AttributeValue::boolean(false)}})), "{'k': False}");
}

}  // namespace
}  // namespace bloop
