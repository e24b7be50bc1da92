#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "json/reader.hpp"
#include "util/swar.hpp"
#include "util/utf8.hpp"

#include <gtest/gtest.h>

namespace bloop::json {
namespace {

TEST(Json, ParsesAndWritesEveryKindCompactly) {
    const std::string text = R"({"a":[1,-2.5e+10,true,false,null],"b":{"c":"d"},"e":""})";
    EXPECT_EQ(to_string(parse(text)), text);
}

TEST(Json, SkipsWhiteSpaceBetweenTokens) {
    EXPECT_EQ(to_string(parse(" {\n\t\"a\" : [ 1 , 2 ] }\r\n")), R"({"a":[1,2]})");
}

TEST(Json, KeepsNumbersAsTheirExactText) {
    const Value v = parse(R"([12345678901234567890123456789012345678, 0.10, 1E-130, -0])");
    EXPECT_EQ(v.as_array()[0].number_text(), "12345678901234567890123456789012345678");
    EXPECT_EQ(v.as_array()[1].number_text(), "0.10");
    EXPECT_EQ(v.as_array()[2].number_text(), "1E-130");
    EXPECT_EQ(v.as_array()[3].number_text(), "-0");
}

TEST(Json, DecodesEscapesAndSurrogatePairs) {
    const Value v = parse(R"("q\"b\\s\/n\nt\tu\u00e9\ud83d\ude00\u0000")");
    EXPECT_EQ(v.as_string(),
              std::string("q\"b\\s/n\nt\tu\xc3\xa9\xf0\x9f\x98\x80") + std::string(1, '\0'));
}

TEST(Json, WritesControlCharactersEscapedAndUtf8Unchanged) {
    const std::string s = std::string("a\"\\\n\x01\xc3\xa9\xf0\x9f\x98\x80") + std::string(1, '\0');
    EXPECT_EQ(to_string(Value(s)), "\"a\\\"\\\\\\n\\u0001\xc3\xa9\xf0\x9f\x98\x80\\u0000\"");
    EXPECT_EQ(parse(to_string(Value(s))).as_string(), s);
}

TEST(Json, KeepsMemberOrder) {
    Value v;
    v["z"] = 1;
    v["a"] = "x";
    v["z"] = 2;  // replaces in place
    EXPECT_EQ(to_string(v), R"({"z":2,"a":"x"})");
}

TEST(Json, NumberFactoryRejectsNonNumbers) {
    EXPECT_THROW((void)Value::number("1."), InvalidJson);
    EXPECT_THROW((void)Value::number("01"), InvalidJson);
    EXPECT_THROW((void)Value::number("abc"), InvalidJson);
    EXPECT_EQ(Value::number("-0.5E3").number_text(), "-0.5E3");
}

TEST(Json, EraseRemovesOneMemberAndKeepsTheOrderOfTheRest) {
    Value v = parse(R"({"a":1,"b":2,"c":3})");
    EXPECT_TRUE(v.erase("b"));
    EXPECT_FALSE(v.erase("b"));
    EXPECT_EQ(to_string(v), R"({"a":1,"c":3})");
    Value array = parse("[1]");
    EXPECT_THROW((void)array.erase("a"), InvalidJson);
}

TEST(Json, TypedReadsNameTheMismatch) {
    const Value v = parse(R"({"n":1})");
    try {
        (void)v.at("n").as_string();
        FAIL() << "no exception";
    } catch (const InvalidJson& e) {
        EXPECT_STREQ(e.what(), "expected a JSON string, got number");
    }
    EXPECT_THROW((void)v.at("missing"), InvalidJson);
    EXPECT_EQ(v.find("missing"), nullptr);
    EXPECT_EQ(v.at("n").as_int(), 1);
    EXPECT_THROW((void)parse("1.5").as_int(), InvalidJson);
}

struct BadInput {
    const char* text;
    const char* message_part;
};

class JsonRejects : public ::testing::TestWithParam<BadInput> {};

TEST_P(JsonRejects, WithPositionAndReason) {
    try {
        (void)parse(GetParam().text);
        FAIL() << "parsed: " << GetParam().text;
    } catch (const InvalidJson& e) {
        EXPECT_NE(std::string(e.what()).find(GetParam().message_part), std::string::npos)
            << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Json, JsonRejects,
    ::testing::Values(
        BadInput{"", "expected a JSON value"}, BadInput{R"({"a":1)", "unterminated object"},
        BadInput{R"({"a":"abc)", "unterminated string"}, BadInput{R"([1,2)", "unterminated array"},
        BadInput{R"({"a" 1})", "expected ':'"}, BadInput{R"({a:1})", "expected a member name"},
        BadInput{R"([1 2])", "expected ',' or ']'"},
        BadInput{"{} x", "unexpected text after the JSON value"},
        BadInput{"tru", "expected a JSON value"}, BadInput{"[01]", "expected"},
        BadInput{"\"\x01\"", "control character"}, BadInput{"\"\xff\"", "invalid UTF-8"},
        BadInput{"\"\xc3\"", "invalid UTF-8"},
        BadInput{"\"\xed\xa0\x80\"", "invalid UTF-8"},  // encoded surrogate
        BadInput{R"("\ud800")", "lone surrogate"}, BadInput{R"("\x")", "bad escape"},
        BadInput{R"("\u12")", "escape"}));

TEST(Json, RejectsNestingDeeperThanTheLimit) {
    EXPECT_THROW((void)parse(std::string(300, '[') + std::string(300, ']')), InvalidJson);
    EXPECT_NO_THROW((void)parse(std::string(200, '[') + std::string(200, ']')));
}

TEST(Json, ErrorsGiveTheOffset) {
    try {
        (void)parse(R"({"a":1,})");
        FAIL();
    } catch (const InvalidJson& e) {
        EXPECT_STREQ(e.what(), "invalid JSON at offset 7: expected a member name");
    }
}

}  // namespace
}  // namespace bloop::json

namespace bloop::json {
namespace {

// ---- the pull reader: items read straight from the text
// ------------------------------------------------------------------------------

using detail::Reader;

// The items of a page as the wire decoders read them, with every other member skipped.
std::vector<Item> page_items(std::string_view text) {
    std::vector<Item> items;
    Reader r(text);
    r.object([&](std::string_view name) {
        if (name == "Items") {
            r.array([&] { items.push_back(r.item()); });
        } else {
            r.skip();
        }
    });
    r.end();
    return items;
}

TEST(JsonReader, WalksAnAnswerMemberByMember) {
    const std::string text =
        R"({"Count":2,"Items":[{"id":{"S":"a"},"n":{"N":"1.10"}},{"id":{"S":"b"},"m":{"M":{"x":{"L":[{"BOOL":true},{"NULL":true}]}}}}],)"
        R"("LastEvaluatedKey":{"id":{"S":"b"}},"ScannedCount":2})";
    std::vector<std::string> names;
    std::int64_t count = 0;
    Reader r(text);
    r.object([&](std::string_view name) {
        names.emplace_back(name);
        if (name == "Count") {
            count = r.integer();
        } else {
            r.skip();
        }
    });
    r.end();
    EXPECT_EQ(names,
              (std::vector<std::string>{"Count", "Items", "LastEvaluatedKey", "ScannedCount"}));
    EXPECT_EQ(count, 2);
    const auto items = page_items(text);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("n"), AttributeValue::number("1.10"));
    // The same items as the generic path.
    const Value plain = parse(text);
    EXPECT_EQ(items[1], to_item(plain.at("Items").as_array()[1]));
}

TEST(JsonReader, ReadsEveryTypeLikeTheGenericPath) {
    const std::string item =
        R"({"s":{"S":"h\u00e9 \"q\""},"n":{"N":"-1E-130"},"b":{"B":"AP8Q"},"ss":{"SS":["a","b"]},)"
        R"("ns":{"NS":["1","2"]},"bs":{"BS":["YQ==","YmM="]},"l":{"L":[{"S":"x"},{"N":"1"}]},)"
        R"("t":{"BOOL":false},"z":{"NULL":true},"e":{"M":{}},"k\u00e9y":{"S":"escaped name"}})";
    Reader r(item);
    EXPECT_EQ(r.item(), to_item(parse(item)));
    r.end();
}

TEST(JsonReader, OtherShapesAreInvalidJsonNamingTheOffset) {
    // A key schema where an item belongs, a bad tag, two tags, a non-object.
    for (const std::string_view text :
         {R"([{"AttributeName":"id","KeyType":"HASH"}])", R"({"id":{"Q":"1"}})",
          R"({"id":{"S":"1","N":"2"}})", R"(5)", R"({"n":{"N":""}})", R"({"b":{"B":"**"}})",
          R"({"z":{"NULL":false}})"}) {
        Reader r(text);
        try {
            (void)r.item();
            ADD_FAILURE() << text;
        } catch (const InvalidJson& e) {
            EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
        }
    }
}

TEST(JsonReader, PeeksAtTheNextKindWithoutReading) {
    Reader r(R"( [{"a":1}, [], "s", true, false, null, -1.5] )");
    EXPECT_EQ(r.peek(), Type::array);
    std::vector<Type> kinds;
    r.array([&] {
        kinds.push_back(r.peek());
        r.skip();
    });
    r.end();
    EXPECT_EQ(kinds, (std::vector<Type>{Type::object, Type::array, Type::string, Type::boolean,
                                        Type::boolean, Type::null, Type::number}));
    Reader empty("  ");
    EXPECT_THROW((void)empty.peek(), InvalidJson);
}

TEST(JsonReader, NullsAndTheEnd) {
    Reader r(R"({"a":null,"b":1} x)");
    bool a_null = false;
    r.object([&](std::string_view name) {
        if (name == "a") {
            a_null = r.null();
        } else {
            EXPECT_FALSE(r.null()) << "a number is not null, and is left to read";
            EXPECT_EQ(r.integer(), 1);
        }
    });
    EXPECT_TRUE(a_null);
    EXPECT_THROW(r.end(), InvalidJson);
}

TEST(JsonReader, MalformedTextIsInvalidJson) {
    EXPECT_THROW((void)page_items(R"({"Items":[{"id":{"S":"a"}})"), InvalidJson);
    EXPECT_THROW((void)page_items(R"({"Items":[{"id":{"S":"a\x"}}]})"), InvalidJson);
    EXPECT_THROW((void)page_items(R"({"Items":[{"id":{"S":"a"}}],})"), InvalidJson);
    EXPECT_THROW((void)page_items(R"({"Items":[{"id":{"S":"a"}}]}{})"), InvalidJson);
    std::string deep(300, '[');
    EXPECT_THROW((void)page_items(R"({"x":)" + deep), InvalidJson) << "nesting is bounded";
}

}  // namespace
}  // namespace bloop::json

namespace bloop {
namespace {

TEST(JsonWriter, RefusesInvalidUtf8AndKeepsValidTextAsIs) {
    EXPECT_EQ(json::to_string(json::Value("ünï ✓ 𝄞")), "\"ünï ✓ 𝄞\"");
    for (const char* bad :
         {"\xff", "caf\xC3", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ok\x80"}) {
        EXPECT_THROW((void)json::to_string(json::Value(bad)), InvalidValue) << bad;
    }
}

// The writer and the UTF-8 check skip plain ASCII eight bytes at a time: a byte that needs work
// is found wherever it sits in a word, at each of the first 24 offsets of a 24-byte string.
TEST(JsonWriter, FindsEveryByteThatNeedsWorkAtAnyOffset) {
    struct Case {
        std::string byte, written;
    };
    const std::vector<Case> cases{{"\"", "\\\""},
                                  {"\\", "\\\\"},
                                  {"\n", "\\n"},
                                  {"\x01", "\\u0001"},
                                  {"\x1f", "\\u001f"},
                                  {std::string(1, '\0'), "\\u0000"},
                                  {"\xc3\xa9", "\xc3\xa9"},
                                  {" ", " "},
                                  {"\x7f", "\x7f"},
                                  {"!", "!"},
                                  {"#", "#"},
                                  {"[", "["},
                                  {"]", "]"}};
    for (const auto& c : cases) {
        for (std::size_t at = 0; at < 24; ++at) {
            const std::string plain(24, 'a');
            const std::string s = plain.substr(0, at) + c.byte + plain.substr(at);
            EXPECT_EQ(json::to_string(json::Value(s)),
                      "\"" + plain.substr(0, at) + c.written + plain.substr(at) + "\"")
                << "byte " << static_cast<int>(static_cast<unsigned char>(c.byte[0])) << " at "
                << at;
        }
    }
    for (std::size_t at = 0; at < 24; ++at) {
        const std::string s = std::string(at, 'a') + "\xff" + std::string(24 - at, 'a');
        EXPECT_THROW((void)json::to_string(json::Value(s)), InvalidValue) << at;
        EXPECT_EQ(detail::first_invalid_utf8(s), at);
        EXPECT_EQ(
            detail::first_invalid_utf8(std::string(at, 'a') + "\xc3\xa9" + std::string(24, 'b')),
            std::string_view::npos);
    }
}

TEST(Swar, WordTestsMatchByteTests) {
    for (int b = 0; b < 256; ++b) {
        for (int at = 0; at < 8; ++at) {
            char bytes[8] = {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'};
            bytes[at] = static_cast<char>(b);
            const std::uint64_t w = detail::swar::load8(bytes);
            EXPECT_EQ(detail::swar::any_non_ascii(w), b >= 0x80) << b;
            EXPECT_EQ(detail::swar::any_below(w, 0x20), b < 0x20) << b;
            EXPECT_EQ(detail::swar::any_equal(w, '"'), b == '"') << b;
            EXPECT_EQ(detail::swar::any_equal(w, '\\'), b == '\\') << b;
        }
    }
}

}  // namespace
}  // namespace bloop
