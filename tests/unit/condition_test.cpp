// Typed conditions and their exact rendering (BEHAVIOUR.md §1.9).

#include <bloop/conditions/attr.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/conditions/render.hpp>

#include <gtest/gtest.h>

namespace conditions_app {

struct Profile {
    std::string city;
    std::optional<int> age;
};

struct User {
    std::string id;
    int age = 0;
    std::string name;
    std::optional<std::string> email;
    std::set<std::string> tags;
    std::map<std::string, int> data;
    std::vector<int> nums;
    bloop::Binary blob;
    Profile profile;
    bloop::AttributeValue any;
    bloop::Decimal balance;
};

}  // namespace conditions_app

template <>
struct bloop::Model<conditions_app::Profile> {
    static constexpr auto columns = bloop::columns(column<&conditions_app::Profile::city>(),
                                                   column<&conditions_app::Profile::age>("years"));
};

template <>
struct bloop::Model<conditions_app::User> {
    static constexpr Meta meta{};
    static constexpr auto columns = bloop::columns(
        column<&conditions_app::User::id>().hash_key(), column<&conditions_app::User::age>(),
        column<&conditions_app::User::name>(), column<&conditions_app::User::email>(),
        column<&conditions_app::User::tags>(), column<&conditions_app::User::data>(),
        column<&conditions_app::User::nums>(), column<&conditions_app::User::blob>(),
        column<&conditions_app::User::profile>(), column<&conditions_app::User::any>(),
        column<&conditions_app::User::balance>("bal"));
};

namespace bloop {
namespace {

using conditions_app::User;

struct Rendered {
    std::string text;
    std::string attributes;  // the ExpressionAttributeNames / Values JSON
};

Rendered render(const ConditionOf<User>& c) {
    Renderer r;
    Rendered out{r.condition(c.condition()).value_or("<none>"), ""};
    json::Value request = json::Value::object();
    r.write_attributes(request);
    out.attributes = json::to_string(request);
    return out;
}

std::string text(const ConditionOf<User>& c) {
    return render(c).text;
}

constexpr auto age = attr<&User::age>;
constexpr auto name = attr<&User::name>;
constexpr auto email = attr<&User::email>;
constexpr auto tags = attr<&User::tags>;

TEST(Render, TakesWhatItRenderedAndStartsAgain) {
    Renderer r;
    EXPECT_EQ(r.condition(((age > 3) && (name == "a\"b")).condition()),
              "((#n0 > :v1) AND (#n2 = :v3))");
    const ExpressionAttributes taken = r.take_attributes();
    EXPECT_EQ(taken.names, (std::vector<std::pair<std::string, std::string>>{{"#n0", "age"},
                                                                              {"#n2", "name"}}));
    EXPECT_EQ(taken.values, R"(":v1":{"N":"3"},":v3":{"S":"a\"b"})");
    EXPECT_TRUE(r.names().empty());
    EXPECT_EQ(r.value_count(), 0u);
    EXPECT_EQ(r.condition((age < 1).condition()), "(#n0 < :v1)") << "numbering starts again";
    ExpressionAttributes added;
    added.add_value(":x", AttributeValue::string("y"));
    added.add_value(":n", AttributeValue::number(2));
    EXPECT_EQ(added.values, R"(":x":{"S":"y"},":n":{"N":"2"})");
}

TEST(Render, Comparisons) {
    EXPECT_EQ(text(age == 3), "(#n0 = :v1)");
    EXPECT_EQ(text(age != 3), "(#n0 <> :v1)");
    EXPECT_EQ(text(age < 3), "(#n0 < :v1)");
    EXPECT_EQ(text(age <= 3), "(#n0 <= :v1)");
    EXPECT_EQ(text(age > 3), "(#n0 > :v1)");
    EXPECT_EQ(text(age >= 3), "(#n0 >= :v1)");
    const Rendered r = render(age == 3);
    EXPECT_EQ(
        r.attributes,
        R"({"ExpressionAttributeNames":{"#n0":"age"},"ExpressionAttributeValues":{":v1":{"N":"3"}}})");
}

TEST(Render, Functions) {
    EXPECT_EQ(text(name.begins_with("Ad")), "(begins_with(#n0, :v1))");
    EXPECT_EQ(text(age.between(1, 9)), "(#n0 BETWEEN :v1 AND :v2)");
    EXPECT_EQ(text(tags.contains("vip")), "(contains(#n0, :v1))");
    EXPECT_EQ(
        render(tags.contains("vip")).attributes,
        R"({"ExpressionAttributeNames":{"#n0":"tags"},"ExpressionAttributeValues":{":v1":{"S":"vip"}}})")
        << "contains takes the element, dumped with the element's type";
    EXPECT_EQ(text(name.contains("da")), "(contains(#n0, :v1))");
    EXPECT_EQ(text(attr<&User::nums>.contains(4)), "(contains(#n0, :v1))");
    EXPECT_EQ(text(name.is_missing()), "(attribute_not_exists(#n0))");
    EXPECT_EQ(text(name.exists()), "(attribute_exists(#n0))");
}

TEST(Render, InTakesValuePlaceholdersFirst) {
    EXPECT_EQ(text(age.in(1, 2, 3)), "(#n3 IN (:v0, :v1, :v2))");
    EXPECT_EQ(text(age.in_range(std::vector<int>{7})), "(#n1 IN (:v0))");
}

TEST(Render, NoValueMeansMissing) {
    EXPECT_EQ(text(name == ""), "(attribute_not_exists(#n0))");
    EXPECT_EQ(text(name != std::string()), "(attribute_exists(#n0))");
    EXPECT_EQ(text(email == std::nullopt), "(attribute_not_exists(#n0))");
    EXPECT_EQ(text(email == "a@b.c"), "(#n0 = :v1)");
}

TEST(Render, ColumnAgainstColumn) {
    EXPECT_EQ(text(name == attr<&User::id>), "(#n0 = #n1)");
    EXPECT_EQ(text(name.between("a", "b") && name > attr<&User::id>),
              "((#n0 BETWEEN :v1 AND :v2) AND (#n0 > #n3))");
}

TEST(Render, ColumnsAsBetweenBoundsAndInMembers) {
    EXPECT_EQ(text(age.between(attr<&User::nums>[0], 9)), "(#n0 BETWEEN #n1[0] AND :v2)");
    EXPECT_EQ(render(age.between(attr<&User::nums>[0], 9)).attributes,
              R"({"ExpressionAttributeNames":{"#n0":"age","#n1":"nums"},)"
              R"("ExpressionAttributeValues":{":v2":{"N":"9"}}})");
    EXPECT_EQ(text(name.in("x", attr<&User::id>)), "(#n2 IN (:v0, #n1))");
}

TEST(Render, AndOrNot) {
    EXPECT_EQ(text((age > 1) && (age < 9)), "((#n0 > :v1) AND (#n0 < :v2))")
        << "one placeholder per name";
    EXPECT_EQ(text((age > 1) || !(name == "x")), "((#n0 > :v1) OR (NOT (#n2 = :v3)))");
}

TEST(Render, BloopsNestedExample) {
    // (has_name & is_foo) | ~is_3 | contains(email, "@")
    const auto has_name = name.exists();
    const auto is_foo = name == "foo";
    const auto is_3 = age != 3;
    const auto c = (has_name && is_foo) || !is_3 || email.contains("@");
    EXPECT_EQ(text(c),
              "(((attribute_exists(#n0)) AND (#n0 = :v1)) OR (NOT (#n2 <> :v3)) OR (contains(#n4, "
              ":v5)))");
    EXPECT_EQ(c.condition().size(), 4u);
}

TEST(Render, DocumentPaths) {
    EXPECT_EQ(text(attr<&User::data>["first"] == 1), "(#n0.#n1 = :v2)");
    EXPECT_EQ(text(attr<&User::nums>[3] > 2), "(#n0[3] > :v1)");
    EXPECT_EQ(text(attr<&User::profile>.field<&conditions_app::Profile::age>() >= 18),
              "(#n0.#n1 >= :v2)");
    const Rendered r = render(attr<&User::profile>.field<&conditions_app::Profile::age>() >= 18);
    EXPECT_NE(r.attributes.find(R"("#n1":"years")"), std::string::npos)
        << "the document's DynamoDB name";
    EXPECT_EQ(text(attr<&User::any>["a"][2]["b"] == "x"), "(#n0.#n1[2].#n2 = :v3)");
    EXPECT_EQ(text(attr<&User::any>["k"] == 5), "(#n0.#n1 = :v2)")
        << "dynamic paths take any storable value";
}

TEST(Conditions, DynamicPathsCheckOperatorsAgainstValues) {
    const auto any = attr<&User::any>["k"];
    try {
        (void)any.begins_with(5);
        FAIL();
    } catch (const InvalidCondition& e) {
        EXPECT_STREQ(e.what(),
                     "Backing type 'N' for any.k does not support condition 'begins_with'.");
    }
    EXPECT_THROW((void)(any < std::set<std::string>{"a"}), InvalidCondition);
    EXPECT_THROW((void)any.between(true, false), InvalidCondition);
    EXPECT_NO_THROW((void)any.begins_with("a"));
    EXPECT_NO_THROW((void)(any < 3));
}

TEST(Render, NamesAreSharedAcrossExpressionsOfOneRequest) {
    Renderer r;
    EXPECT_EQ(*r.condition((age > 1).condition()), "(#n0 > :v1)");
    const Path paths[] = {name.path(), age.path()};
    EXPECT_EQ(r.projection(paths), "#n2, #n0");
    UpdateActions update;
    update.set.emplace_back(age.path(), AttributeValue::number("5"));
    update.set.emplace_back(name.path(), AttributeValue::string("x"));
    update.remove.push_back(email.path());
    update.add.emplace_back(attr<&User::balance>.path(), AttributeValue::number("1.5"));
    update.remove_elements.emplace_back(tags.path(), AttributeValue::string_set({"old"}));
    EXPECT_EQ(*r.update(update), "SET #n0=:v3, #n2=:v4 REMOVE #n5 ADD #n6 :v7 DELETE #n8 :v9");
    json::Value request = json::Value::object();
    r.write_attributes(request);
    EXPECT_EQ(json::to_string(request.at("ExpressionAttributeNames")),
              R"({"#n0":"age","#n2":"name","#n5":"email","#n6":"bal","#n8":"tags"})");
    EXPECT_EQ(r.value_count(), 5u);
    EXPECT_FALSE(r.update(UpdateActions{}));
}

TEST(Render, EmptyConditionRendersNothing) {
    Renderer r;
    EXPECT_EQ(r.condition(Condition()), std::nullopt);
    json::Value request = json::Value::object();
    r.write_attributes(request);
    EXPECT_EQ(json::to_string(request), "{}") << "no empty ExpressionAttribute* members";
}

TEST(Render, FailedConditionsGiveTheirPlaceholdersBack) {
    Renderer r;
    EXPECT_EQ(*r.condition((age > 1).condition()), "(#n0 > :v1)");
    const auto bad = (name == "x") && (email < std::string());
    try {
        (void)r.condition(bad.condition());
        FAIL();
    } catch (const InvalidCondition& e) {
        EXPECT_NE(std::string(e.what()).find("'email'"), std::string::npos) << e.what();
    }
    EXPECT_EQ(r.names().size(), 1u) << "name and email were released, age kept";
    EXPECT_EQ(r.value_count(), 1u);
    EXPECT_EQ(*r.condition((age < 9).condition()), "(#n0 < :v5)") << "the counter never goes back";
}

TEST(Render, InvalidAtRenderTime) {
    Renderer r;
    try {
        (void)r.condition((name == name).condition());
        FAIL();
    } catch (const InvalidCondition& e) {
        EXPECT_STREQ(e.what(), "the condition compares 'name' with itself, which DynamoDB rejects");
    }
    EXPECT_THROW((void)r.condition(Condition::compare(
                     Condition::Op::between, name.path(),
                     {Operand(AttributeValue::string("a")), Operand(name.path())})),
                 InvalidCondition);
    EXPECT_THROW((void)r.condition((name < "").condition()), InvalidCondition);
    EXPECT_THROW((void)r.condition(name.begins_with("").condition()), InvalidCondition);
    EXPECT_THROW((void)r.condition(name.between("", "z").condition()), InvalidCondition);
    EXPECT_THROW((void)r.condition(tags.contains("").condition()), InvalidCondition);
    EXPECT_THROW((void)r.condition(age.in_range(std::vector<int>{}).condition()), InvalidCondition);
    EXPECT_THROW((void)r.condition(name.in("a", "").condition()), InvalidCondition);
    EXPECT_THROW((void)r.condition(Condition::group(Condition::Op::and_, {})), InvalidCondition);
    EXPECT_TRUE(r.names().empty());
    EXPECT_TRUE(r.value_count() == 0);
}

// ---- the condition algebra
// ----------------------------------------------------------------------------

TEST(Conditions, EmptyIsNeutral) {
    const ConditionOf<User> empty;
    const auto a = age == 1;
    EXPECT_EQ(a && empty, a);
    EXPECT_EQ(empty && a, a);
    EXPECT_EQ(a || empty, a);
    EXPECT_EQ(!empty, empty);
    EXPECT_TRUE(empty.empty());
    EXPECT_EQ(empty.condition().size(), 0u);
}

TEST(Conditions, AndOrFlatten) {
    const auto a = age == 1, b = age == 2, c = age == 3, d = age == 4;
    const auto all = (a && b) && (c && d);
    EXPECT_EQ(all.condition().op(), Condition::Op::and_);
    EXPECT_EQ(all.condition().children().size(), 4u);
    const auto any = (a || b) || (c || d);
    EXPECT_EQ(any.condition().children().size(), 4u);
    auto grow = a && b;
    grow &= c;
    EXPECT_EQ(grow.condition().children().size(), 3u);
    EXPECT_EQ(((a && b) || c).condition().children().size(), 2u) << "OR of an AND does not flatten";
}

TEST(Conditions, DoubleNegationCancels) {
    const auto a = age == 1;
    EXPECT_EQ(!!a, a);
    EXPECT_EQ((!a).condition().op(), Condition::Op::not_);
}

TEST(Conditions, StructuralEquality) {
    EXPECT_EQ(age == 1, age == 1);
    EXPECT_NE(age == 1, age == 2);
    EXPECT_NE(age == 1, age != 1);
    EXPECT_NE(name == "a", attr<&User::id> == "a");
    EXPECT_EQ(attr<&User::data>["k"] == 1, attr<&User::data>["k"] == 1);
    EXPECT_NE(attr<&User::data>["k"] == 1, attr<&User::data>["j"] == 1);
}

TEST(Conditions, PathsKnowTheirModelAndColumn) {
    const Path p = attr<&User::balance>.path();
    EXPECT_EQ(p.model, &model_info<User>());
    EXPECT_EQ(p.column, 10u);
    EXPECT_EQ(p.to_string(), "bal");
    EXPECT_EQ(attr<&User::any>["a"][2].path().to_string(), "any.a[2]");
    std::ostringstream out;
    out << (age == 3).condition();
    EXPECT_EQ(out.str(), R"((age = {"N":"3"}))");
}

}  // namespace
}  // namespace bloop
