// The built-in types' exact wire formats (BEHAVIOUR.md §1.5), Decimal, DateTime, Uuid, and custom
// types through TypeTraits.

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>
#include <bloop/model/model.hpp>
#include <bloop/types/python_binary.hpp>
#include <bloop/types/type_traits.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <set>

namespace bloop {
namespace {

using namespace std::chrono;

// The wire JSON of dumping `v` as type T, or "null" for no value.
template <class T>
std::string wire(const T& v) {
    const std::optional<AttributeValue> d = TypeTraits<T>::dump(v);
    if (!d) return "null";
    std::string out;
    json::write_attribute(out, *d);
    return out;
}

template <class T>
T from_wire(const std::string& text) {
    return TypeTraits<T>::load(json::to_attribute(json::parse(text)));
}

// ---- Decimal / Number
// -----------------------------------------------------------------------------

TEST(Decimal, KeepsDigitsAndTrailingZeros) {
    EXPECT_EQ(wire(Decimal("3.14")), R"({"N":"3.14"})");
    EXPECT_EQ(wire(Decimal("1.10")), R"({"N":"1.10"})");
    EXPECT_EQ(from_wire<Decimal>(R"({"N":"3.140"})").to_string(), "3.140");
    EXPECT_EQ(wire(Decimal(std::int64_t{-42})), R"({"N":"-42"})");
    EXPECT_EQ(Decimal("-0").to_string(), "-0");
    EXPECT_EQ(Decimal(".5").to_string(), "0.5");
    EXPECT_EQ(Decimal("+7.").to_string(), "7");
}

TEST(Decimal, SpellsNumbersAsPythonDoes) {
    EXPECT_EQ(Decimal("1E-130").to_string(), "1E-130");
    EXPECT_EQ(Decimal("1e10").to_string(), "1E+10");
    EXPECT_EQ(Decimal("0.000001").to_string(), "0.000001");
    EXPECT_EQ(Decimal("0.0000001").to_string(), "1E-7");
    EXPECT_EQ(Decimal("1.5E-7").to_string(), "1.5E-7");
    EXPECT_EQ(Decimal("12.5E+3").to_string(), "1.25E+4");
    EXPECT_EQ(Decimal("00012.50").to_string(), "12.50");
    EXPECT_EQ(Decimal("0.00").to_string(), "0.00");
}

TEST(Decimal, ThirtyEightDigitsYesThirtyNineNo) {
    const std::string d38(38, '9');
    EXPECT_EQ(Decimal(d38).to_string(), d38);
    EXPECT_EQ(Decimal("0." + d38).to_string(), "0." + d38);
    try {
        (void)Decimal(d38 + "9");
        FAIL();
    } catch (const InvalidNumber& e) {
        EXPECT_NE(std::string(e.what()).find("39 significant digits"), std::string::npos)
            << e.what();
    }
    // Trailing zeros count, as the 38-digit context rounds them away.
    EXPECT_THROW((void)Decimal("1" + std::string(38, '0')), InvalidNumber);
}

TEST(Decimal, RangeIsDynamoDbs) {
    EXPECT_EQ(Decimal("1E-130").exponent(), -130);
    EXPECT_EQ(Decimal("9.9999999999999999999999999999999999999E+125").to_string(),
              "9.9999999999999999999999999999999999999E+125");
    EXPECT_THROW((void)Decimal("1E+126"), InvalidNumber);
    EXPECT_THROW((void)Decimal("1E-131"), InvalidNumber);
    EXPECT_THROW((void)Decimal("1E+200"), InvalidNumber);
    EXPECT_NO_THROW((void)Decimal("0E+500"));  // zero has no magnitude
}

TEST(Decimal, RefusesNonNumbers) {
    for (const char* text :
         {"NaN", "nan", "Infinity", "-inf", "", "-", "1.2.3", "1e", "abc", "1 ", "0x10", "1_000"}) {
        EXPECT_THROW((void)Decimal(text), InvalidNumber) << text;
    }
    EXPECT_THROW((void)Decimal("x"), std::invalid_argument);
}

TEST(Decimal, ComparesNumerically) {
    EXPECT_EQ(Decimal("1.10"), Decimal("1.1"));
    EXPECT_FALSE(Decimal("1.10").identical(Decimal("1.1")));
    EXPECT_EQ(Decimal("-0"), Decimal("0"));
    EXPECT_LT(Decimal("-2"), Decimal("-1.5"));
    EXPECT_LT(Decimal("0.001"), Decimal("1E-2"));
    EXPECT_GT(Decimal("1E+3"), Decimal("999.999"));
    EXPECT_LT(Decimal("-1E+3"), Decimal("0"));
    EXPECT_EQ("6571.15"_d, Decimal("6571.15"));
}

TEST(Decimal, IntegerPartTruncatesTowardZero) {
    EXPECT_EQ(Decimal("3.99").to_int64(), 3);
    EXPECT_EQ(Decimal("-3.99").to_int64(), -3);
    EXPECT_EQ(Decimal("1E+2").to_int64(), 100);
    EXPECT_EQ(Decimal("-9223372036854775808").to_int64(), std::numeric_limits<std::int64_t>::min());
    EXPECT_THROW((void)Decimal("9223372036854775808").to_int64(), InvalidNumber);
    EXPECT_EQ(Decimal("18446744073709551615").to_uint64(),
              std::numeric_limits<std::uint64_t>::max());
    EXPECT_THROW((void)Decimal("-1").to_uint64(), InvalidNumber);
    EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min()).to_string(),
              "-9223372036854775808");
}

// ---- Integer
// ----------------------------------------------------------------------------------------

TEST(Integer, DumpsAndTruncatesOnLoad) {
    EXPECT_EQ(wire(12), R"({"N":"12"})");
    EXPECT_EQ(wire(std::int64_t{-7}), R"({"N":"-7"})");
    EXPECT_EQ(from_wire<int>(R"({"N":"3.14"})"), 3);
    EXPECT_EQ(from_wire<int>(R"({"N":"-7.5"})"), -7);
    EXPECT_EQ(from_wire<std::uint8_t>(R"({"N":"255"})"), 255);
}

TEST(Integer, OutOfRangeNeverWraps) {
    EXPECT_THROW((void)from_wire<std::int8_t>(R"({"N":"128"})"), InvalidNumber);
    EXPECT_THROW((void)from_wire<std::uint16_t>(R"({"N":"-1"})"), InvalidNumber);
    EXPECT_THROW((void)from_wire<std::int64_t>(R"({"N":"1E+30"})"), InvalidNumber);
    EXPECT_THROW((void)from_wire<int>(R"({"S":"1"})"), AttributeTypeMismatch);
}

// ---- floating point
// ---------------------------------------------------------------------------------

TEST(Float, ShortestRoundTrip) {
    EXPECT_EQ(wire(0.1), R"({"N":"0.1"})");
    EXPECT_EQ(wire(1.0), R"({"N":"1"})");
    EXPECT_EQ(wire(1e20), R"({"N":"1E+20"})");
    EXPECT_EQ(wire(-2.5f), R"({"N":"-2.5"})");
    EXPECT_EQ(from_wire<double>(R"({"N":"0.1"})"), 0.1);
    EXPECT_EQ(from_wire<double>(R"({"N":"1.10"})"), 1.1);
    EXPECT_EQ(from_wire<float>(R"({"N":"0.1"})"), 0.1f);
}

TEST(Float, RefusesNanInfinityAndInexactLoads) {
    EXPECT_THROW((void)wire(std::nan("")), InvalidNumber);
    EXPECT_THROW((void)wire(std::numeric_limits<double>::infinity()), InvalidNumber);
    EXPECT_THROW((void)wire(1e300), InvalidNumber);   // above DynamoDB's range
    EXPECT_THROW((void)wire(1e-300), InvalidNumber);  // below it
    EXPECT_THROW((void)from_wire<double>(R"({"N":"12345678901234567890123456789012345678"})"),
                 InvalidNumber);
    EXPECT_THROW((void)from_wire<float>(R"({"N":"16777217"})"), InvalidNumber);
}

// ---- strings, binary, bool, uuid
// --------------------------------------------------------------------

TEST(Scalars, StringBinaryBool) {
    EXPECT_EQ(wire(std::string("x")), R"({"S":"x"})");
    EXPECT_EQ(wire(std::string()), "null");
    EXPECT_EQ(TypeTraits<std::string>::missing(), "");
    EXPECT_EQ(wire(Binary(std::string("hi"))), R"({"B":"aGk="})");
    EXPECT_EQ(wire(Binary()), "null");
    EXPECT_EQ(wire(std::vector<std::uint8_t>{'h', 'i'}), R"({"B":"aGk="})");
    EXPECT_EQ(from_wire<std::vector<std::byte>>(R"({"B":"aGk="})").size(), 2u);
    EXPECT_EQ(wire(false), R"({"BOOL":false})");
    EXPECT_TRUE(from_wire<bool>(R"({"BOOL":true})"));
    EXPECT_THROW((void)from_wire<std::string>(R"({"N":"1"})"), AttributeTypeMismatch);
}

// Python bloop 1.3/2.x with boto3 stores Binary(b"hi") as B holding the text "aGk=", which boto3
// encodes again: {"B":"YUdrPQ=="} on the wire (checked against bloop's Binary.dynamo_dump).
TEST(Scalars, PythonBinaryIsStoredAsPythonBloopStoresIt) {
    EXPECT_EQ(wire(PythonBinary(std::string("hi"))), R"({"B":"YUdrPQ=="})");
    EXPECT_EQ(wire(PythonBinary()), "null");
    EXPECT_EQ(from_wire<PythonBinary>(R"({"B":"YUdrPQ=="})").bytes(), "hi");
    EXPECT_EQ(from_wire<Binary>(R"({"B":"YUdrPQ=="})").bytes(), "aGk=")
        << "a plain Binary column sees the base64 text Python bloop wrote";
    EXPECT_EQ(wire(std::set<PythonBinary>{PythonBinary(std::string("x"))}),
              R"({"BS":["ZUE9PQ=="]})");
    EXPECT_THROW((void)from_wire<PythonBinary>(R"({"B":"/w=="})"), InvalidValue)
        << "the byte 0xff is not base64 text";
}

TEST(Scalars, Uuid) {
    const Uuid u("6D8B54A2-FA07-47E1-9305-717699459293");
    EXPECT_EQ(wire(u), R"({"S":"6d8b54a2-fa07-47e1-9305-717699459293"})");
    EXPECT_EQ(from_wire<Uuid>(R"({"S":"6d8b54a2-fa07-47e1-9305-717699459293"})"), u);
    const Uuid r = Uuid::random();
    EXPECT_EQ(r.version(), 4);
    EXPECT_EQ(r.bytes()[8] & 0xC0, 0x80);
    EXPECT_NE(r, Uuid::random());
    for (const char* bad :
         {"", "6d8b54a2fa0747e19305717699459293", "6d8b54a2-fa07-47e1-9305-71769945929g",
          "{6d8b54a2-fa07-47e1-9305-717699459293}"}) {
        EXPECT_THROW((void)Uuid(bad), InvalidValue) << bad;
    }
}

// Pre-forked workers must not generate the same ids (a per-thread generator seeded once would
// repeat in every child).
TEST(Scalars, UuidRandomDiffersAcrossFork) {
    const Uuid parent = Uuid::random();
    std::set<std::string> seen{parent.to_string()};
    for (int child = 0; child < 2; ++child) {
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            const std::string id = Uuid::random().to_string();
            const auto written = ::write(fds[1], id.data(), id.size());
            ::_exit(written == static_cast<ssize_t>(id.size()) ? 0 : 1);
        }
        ::close(fds[1]);
        char buffer[36];
        ASSERT_EQ(::read(fds[0], buffer, sizeof buffer), 36);
        ::close(fds[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_TRUE(seen.insert(std::string(buffer, 36)).second) << std::string(buffer, 36);
    }
    EXPECT_EQ(seen.size(), 3u);
}

// ---- DateTime, Timestamp
// ------------------------------------------------------------------------------

TEST(DateTimeType, BloopsExactLayout) {
    // 2016-08-09 01:16:25.322849-07:00 is 08:16:25.322849 UTC.
    const DateTime t =
        sys_days(2016y / 8 / 9) + hours(8) + minutes(16) + seconds(25) + microseconds(322849);
    EXPECT_EQ(wire(t), R"({"S":"2016-08-09T08:16:25.322849+00:00"})");
    EXPECT_EQ(wire(DateTime(sys_days(2016y / 1 / 1))),
              R"({"S":"2016-01-01T00:00:00.000000+00:00"})");
    EXPECT_EQ(from_wire<DateTime>(R"({"S":"2016-08-09T08:16:25.322849+00:00"})"), t);
}

TEST(DateTimeType, AnyOtherLayoutIsRefused) {
    for (const char* bad : {"2016-08-09T08:16:25+00:00", "2016-08-09T08:16:25.322849Z",
                            "2016-08-09T08:16:25.322849-07:00", "2016-08-09 08:16:25.322849+00:00",
                            "2016-02-30T08:16:25.322849+00:00", "2016-08-09T24:00:00.000000+00:00",
                            "2016-08-09T08:16:25.32284+00:000", "", "yesterday"}) {
        try {
            (void)parse_datetime(bad);
            FAIL() << bad;
        } catch (const InvalidValue& e) {
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
        }
    }
}

TEST(DateTimeType, Timestamp) {
    const Timestamp t{seconds(1500000000)};
    EXPECT_EQ(wire(t), R"({"N":"1500000000"})");
    EXPECT_EQ(from_wire<Timestamp>(R"({"N":"1500000000.9"})"), t);
}

// ---- sets, lists, maps, optional, dynamic
// -------------------------------------------------------------

TEST(Containers, Sets) {
    EXPECT_EQ(wire(std::set<int>{2}), R"({"NS":["2"]})");
    EXPECT_EQ(wire(std::set<Binary>{Binary(std::string("x"))}), R"({"BS":["eA=="]})");
    EXPECT_EQ(wire(std::set<std::string>{}), "null");
    EXPECT_EQ(wire(std::set<std::string>{"b", "a"}), R"({"SS":["a","b"]})");
    EXPECT_EQ(wire(std::set<std::string>{""}), "null")
        << "empty strings are no value, so the set is empty";
    EXPECT_EQ(from_wire<std::unordered_set<std::string>>(R"({"SS":["a","b"]})").size(), 2u);
    EXPECT_EQ(from_wire<std::set<Decimal>>(R"({"NS":["1.5","2"]})"),
              (std::set<Decimal>{Decimal("2"), Decimal("1.5")}));
    EXPECT_EQ(TypeTraits<std::set<int>>::backing, AttributeType::NS);
    EXPECT_THROW((void)from_wire<std::set<int>>(R"({"SS":["a"]})"), AttributeTypeMismatch);
}

TEST(Containers, Lists) {
    EXPECT_EQ(wire(std::vector<std::optional<int>>{1, std::nullopt, 2}),
              R"({"L":[{"N":"1"},{"N":"2"}]})");
    EXPECT_EQ(wire(std::vector<int>{}), "null");
    EXPECT_EQ(wire(std::list<std::string>{"", "a"}), R"({"L":[{"S":"a"}]})");
    EXPECT_EQ(from_wire<std::vector<std::string>>(R"({"L":[{"S":"a"},{"S":"b"}]})"),
              (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(wire(std::vector<std::vector<int>>{{1}, {}}), R"({"L":[{"L":[{"N":"1"}]}]})");
}

TEST(Containers, Maps) {
    EXPECT_EQ(wire(std::map<std::string, int>{{"b", 2}, {"a", 1}}),
              R"({"M":{"a":{"N":"1"},"b":{"N":"2"}}})");
    EXPECT_EQ(wire(std::map<std::string, std::string>{{"a", ""}}), "null");
    const auto m = from_wire<std::unordered_map<std::string, bool>>(R"({"M":{"x":{"BOOL":true}}})");
    EXPECT_TRUE(m.at("x"));
}

TEST(Containers, Optional) {
    EXPECT_EQ(wire(std::optional<int>()), "null");
    EXPECT_EQ(wire(std::optional<int>(0)), R"({"N":"0"})");
    EXPECT_EQ(TypeTraits<std::optional<int>>::missing(), std::nullopt);
    EXPECT_EQ(from_wire<std::optional<int>>(R"({"N":"5"})"), 5);
}

TEST(Containers, DynamicDocument) {
    const AttributeValue any =
        AttributeValue::map({{"k", AttributeValue::list({AttributeValue::number("1")})}});
    EXPECT_EQ(wire(any), R"({"M":{"k":{"L":[{"N":"1"}]}}})");
    EXPECT_EQ(from_wire<AttributeValue>(R"({"SS":["a"]})"), AttributeValue::string_set({"a"}));
    EXPECT_EQ(wire(AttributeValue::string("")), "null");
    EXPECT_EQ(wire(AttributeValue::null()), R"({"NULL":true})");
    EXPECT_TRUE(is_dynamic_type<AttributeValue>);
    EXPECT_FALSE(is_key_type<AttributeValue>);
}

// ---- custom types (docs/types.md shows the same three)
// -------------------------------------------------

// bloop's ReversedString example: stored reversed.
struct ReversedString {
    std::string value;
    friend bool operator==(const ReversedString&, const ReversedString&) = default;
};

// An enum stored as a string.
enum class Color { red, green };

// A point stored as a map {"x": N, "y": N}.
struct Point {
    int x = 0;
    int y = 0;
    friend bool operator==(const Point&, const Point&) = default;
};

}  // namespace

template <>
struct TypeTraits<ReversedString> {
    static constexpr AttributeType backing = AttributeType::S;
    static std::optional<AttributeValue> dump(const ReversedString& v) {
        if (v.value.empty()) return std::nullopt;
        return AttributeValue::string(std::string(v.value.rbegin(), v.value.rend()));
    }
    static ReversedString load(AttributeValue&& v) {
        const std::string& s = v.as_string();
        return {std::string(s.rbegin(), s.rend())};
        static_assert(TypeTraits<ReversedString>::backing == AttributeType::S);
    }
    static ReversedString missing() { return {}; }
};

template <>
struct TypeTraits<Color> {
    static constexpr AttributeType backing = AttributeType::S;
    static std::optional<AttributeValue> dump(const Color& c) {
        return AttributeValue::string(c == Color::red ? "red" : "green");
    }
    static Color load(AttributeValue&& v) {
        const std::string& s = v.as_string();
        if (s == "red") return Color::red;
        if (s == "green") return Color::green;
        throw InvalidValue("\"" + s + "\" is not a Color");
    }
    static Color missing() { return Color::red; }
};

template <>
struct Model<Point> {  // a document: no meta
    static constexpr auto columns = bloop::columns(column<&Point::x>(), column<&Point::y>());
};

namespace {

TEST(CustomTypes, ThroughTypeTraits) {
    EXPECT_EQ(wire(ReversedString{"abc"}), R"({"S":"cba"})");
    EXPECT_EQ(from_wire<ReversedString>(R"({"S":"cba"})"), ReversedString{"abc"});
    EXPECT_EQ(wire(Color::green), R"({"S":"green"})");
    EXPECT_THROW((void)from_wire<Color>(R"({"S":"blue"})"), InvalidValue);
    EXPECT_EQ(wire(Point{3, -4}), R"({"M":{"x":{"N":"3"},"y":{"N":"-4"}}})");
    EXPECT_EQ(from_wire<Point>(R"({"M":{"x":{"N":"3"},"y":{"N":"-4"},"z":{"N":"9"}}})"),
              (Point{3, -4}));
    EXPECT_EQ(wire(std::set<Color>{Color::red}), R"({"SS":["red"]})");
    EXPECT_EQ(wire(std::vector<Point>{{1, 2}}), R"({"L":[{"M":{"x":{"N":"1"},"y":{"N":"2"}}}]})");
}

}  // namespace
}  // namespace bloop

#include <bloop/types/local_datetime.hpp>

namespace bloop {
namespace {

TEST(LocalDateTimeType, StoresUtcLoadsInTheZone) {
    using Pacific = LocalDateTime<"America/Los_Angeles">;
    const DateTime utc =
        sys_days(2016y / 8 / 9) + hours(8) + minutes(16) + seconds(25) + microseconds(322849);
    EXPECT_EQ(wire(Pacific(utc)), R"({"S":"2016-08-09T08:16:25.322849+00:00"})");
    const Pacific loaded = from_wire<Pacific>(R"({"S":"2016-08-09T08:16:25.322849+00:00"})");
    EXPECT_EQ(loaded.utc(), utc);
    EXPECT_EQ(loaded.get_time_zone()->name(), "America/Los_Angeles");
    // 01:16:25.322849 local time, as bloop's example (-07:00 in August).
    EXPECT_EQ(loaded.get_local_time().time_since_epoch() -
                  floor<days>(loaded.get_local_time()).time_since_epoch(),
              hours(1) + minutes(16) + seconds(25) + microseconds(322849));
    EXPECT_THROW((void)find_time_zone("Nowhere/Land"), InvalidValue);
}

}  // namespace
}  // namespace bloop
