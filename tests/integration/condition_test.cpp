// Property test: random conditions over attribute names full of reserved words, dots, '#', ':',
// spaces and non-ASCII text are rendered, sent to DynamoDB Local as Scan filters, and must select
// exactly the items a local evaluator selects. Also: the same names in projections and updates.

#include <bloop/client/client.hpp>
#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/render.hpp>
#include <bloop/exceptions.hpp>

#include "integration.hpp"

#include <gtest/gtest.h>

#include <random>

namespace property_app {

struct Weird {
    std::string id;
    std::string name;               // stored as "name" (a reserved word)
    int dotted = 0;                 // "a.b"
    std::string hashed;             // "#x"
    std::set<std::string> coloned;  // ":y"
    std::string spaced;             // "with space"
    int unicode = 0;                // "ünï ✓"
};

}  // namespace property_app

template <>
struct bloop::Model<property_app::Weird> {
    using W = property_app::Weird;
    static constexpr Meta meta{};
    static constexpr auto columns = bloop::columns(
        column<&W::id>("SELECT").hash_key(), column<&W::name>("name"), column<&W::dotted>("a.b"),
        column<&W::hashed>("#x"), column<&W::coloned>(":y"), column<&W::spaced>("with space"),
        column<&W::unicode>("\xc3\xbcn\xc3\xaf \xe2\x9c\x93"));
};

namespace bloop {
namespace {

using property_app::Weird;
using C = ConditionOf<Weird>;

const std::vector<std::string> kWords = {
    "a", "ab", "b", "ba", "abc", "\xc3\xa9", "\xc3\xbc\xe2\x9c\x93", "Z"};
const std::vector<std::string> kElements = {"a", "b", "c"};

// ---- a local evaluator of DynamoDB's semantics, for items that hold every attribute
// ----------------

const AttributeValue* resolve(const Item& item, const Path& p) {
    const AttributeValue* v = nullptr;
    for (std::size_t i = 0; i < p.segments.size(); ++i) {
        const auto& name = std::get<std::string>(p.segments[i]);  // the model has no nested paths
        const Item& map = i == 0 ? item : v->as_map();
        const auto it = map.find(name);
        if (it == map.end()) return nullptr;
        v = &it->second;
    }
    return v;
}

int compare(const AttributeValue& a, const AttributeValue& b) {
    if (a.type() == AttributeType::N) {
        const auto c = Decimal(a.as_number()) <=> Decimal(b.as_number());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return a.as_string().compare(b.as_string()) < 0 ? -1 : (a.as_string() == b.as_string() ? 0 : 1);
}

bool evaluate(const Condition& c, const Item& item) {
    using Op = Condition::Op;
    switch (c.op()) {
        case Op::empty: return true;
        case Op::and_:
            return std::all_of(c.children().begin(), c.children().end(),
                               [&](const Condition& x) { return evaluate(x, item); });
        case Op::or_:
            return std::any_of(c.children().begin(), c.children().end(),
                               [&](const Condition& x) { return evaluate(x, item); });
        case Op::not_: return !evaluate(c.children().front(), item);
        case Op::exists: return resolve(item, c.path()) != nullptr;
        case Op::not_exists: return resolve(item, c.path()) == nullptr;
        default: break;
    }
    const AttributeValue* lhs = resolve(item, c.path());
    std::vector<AttributeValue> rhs;
    for (const auto& o : c.operands()) {
        if (const auto* p = std::get_if<Path>(&o)) {
            rhs.push_back(*resolve(item, *p));
        } else {
            rhs.push_back(*std::get<std::optional<AttributeValue>>(o));
        }
    }
    switch (c.op()) {
        case Op::eq:
            return lhs->type() == rhs[0].type() &&
                   (lhs->type() == AttributeType::SS ? *lhs == rhs[0] : compare(*lhs, rhs[0]) == 0);
        case Op::ne:
            return !(
                lhs->type() == rhs[0].type() &&
                (lhs->type() == AttributeType::SS ? *lhs == rhs[0] : compare(*lhs, rhs[0]) == 0));
        case Op::lt: return compare(*lhs, rhs[0]) < 0;
        case Op::le: return compare(*lhs, rhs[0]) <= 0;
        case Op::gt: return compare(*lhs, rhs[0]) > 0;
        case Op::ge: return compare(*lhs, rhs[0]) >= 0;
        case Op::between: return compare(*lhs, rhs[0]) >= 0 && compare(*lhs, rhs[1]) <= 0;
        case Op::begins_with: return lhs->as_string().rfind(rhs[0].as_string(), 0) == 0;
        case Op::contains:
            if (lhs->type() == AttributeType::S)
                return lhs->as_string().find(rhs[0].as_string()) != std::string::npos;
            return std::count(lhs->as_string_set().begin(), lhs->as_string_set().end(),
                              rhs[0].as_string()) != 0;
        case Op::in:
            return std::any_of(rhs.begin(), rhs.end(),
                               [&](const AttributeValue& v) { return compare(*lhs, v) == 0; });
        default: return false;
    }
}

// ---- random items and conditions
// ------------------------------------------------------------------------

class Generator {
  public:
    explicit Generator(std::uint64_t seed) : rng_(seed) {}

    Weird item(int i) {
        Weird w;
        w.id = "item-" + std::to_string(i);
        w.name = word();
        w.dotted = number();
        w.hashed = word();
        w.coloned = {kElements[pick(3)]};
        if (pick(2) == 0) w.coloned.insert(kElements[pick(3)]);
        w.spaced = word();
        w.unicode = number();
        return w;
    }

    C condition(int depth) {
        if (depth > 0 && pick(3) == 0) {
            switch (pick(3)) {
                case 0: return condition(depth - 1) && condition(depth - 1);
                case 1: return condition(depth - 1) || condition(depth - 1);
                default: return !condition(depth - 1);
            }
        }
        switch (pick(5)) {
            case 0: return string_condition(attr<&Weird::name>);
            case 1: return string_condition(attr<&Weird::hashed>);
            case 2: return string_condition(attr<&Weird::spaced>);
            case 3:
                return number_condition(pick(2) == 0 ? attr<&Weird::dotted>
                                                     : attr<&Weird::unicode>);
            default: {
                const auto set = attr<&Weird::coloned>;
                switch (pick(3)) {
                    case 0: return set.contains(kElements[pick(3)]);
                    case 1: return set == std::set<std::string>{kElements[pick(3)]};
                    default: return set.exists();
                }
            }
        }
    }

  private:
    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
    }
    std::string word() { return kWords[pick(kWords.size())]; }
    int number() { return static_cast<int>(pick(7)) - 3; }

    C string_condition(const TypedPath<Weird, std::string>& p) {
        switch (pick(11)) {
            case 0: return p == word();
            case 1: return p != word();
            case 2: return p < word();
            case 3: return p <= word();
            case 4: return p > word();
            case 5: return p >= word();
            case 6: return p.begins_with(word());
            case 7: {
                const std::string a = word(), b = word();
                return p.between(std::min(a, b), std::max(a, b));
            }
            case 8: return p.contains(word());
            case 9: return p.in(word(), word());
            default:  // another column (DynamoDB rejects comparing a path with itself)
                return p.path() == attr<&Weird::name>.path() ? p == attr<&Weird::hashed>
                                                             : p == attr<&Weird::name>;
        }
    }
    C number_condition(const TypedPath<Weird, int>& p) {
        switch (pick(7)) {
            case 0: return p == number();
            case 1: return p != number();
            case 2: return p < number();
            case 3: return p >= number();
            case 4: return p.between(-1, 2);
            case 5: return p.in(number(), number(), number());
            default:
                return p.path() == attr<&Weird::unicode>.path() ? p > attr<&Weird::dotted>
                                                                : p > attr<&Weird::unicode>;
        }
    }

    std::mt19937_64 rng_;
};

class ConditionsOnDynamoDb : public ::testing::Test {
  protected:
    Client client{test::client_options()};
    std::string table = testing::unique_table_name("weird");

    void SetUp() override {
        json::Value create = json::parse(
            R"({"AttributeDefinitions":[{"AttributeName":"SELECT","AttributeType":"S"}],
                "KeySchema":[{"AttributeName":"SELECT","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
        create["TableName"] = table;
        (void)client.call(Operation::CreateTable, create);
    }
    void TearDown() override {
        json::Value drop;
        drop["TableName"] = table;
        (void)client.call(Operation::DeleteTable, drop);
    }

    std::set<std::string> scan(const Condition& filter) {
        Renderer r;
        json::Value request;
        request["TableName"] = table;
        if (auto text = r.condition(filter)) request["FilterExpression"] = *text;
        r.write_attributes(request);
        std::set<std::string> ids;
        while (true) {
            const json::Value page = client.call(Operation::Scan, request);
            for (const auto& item : page.at("Items").as_array())
                ids.insert(json::to_item(item).at("SELECT").as_string());
            const json::Value* last = page.find("LastEvaluatedKey");
            if (last == nullptr) return ids;
            request["ExclusiveStartKey"] = *last;
        }
    }
};

TEST_F(ConditionsOnDynamoDb, RandomConditionsSelectWhatTheyShould) {
    Generator gen(20171009);
    std::vector<Item> items;
    for (int i = 0; i < 40; ++i) {
        items.push_back(dump_item(gen.item(i)));
        json::Value put;
        put["TableName"] = table;
        put["Item"] = json::to_json(items.back());
        (void)client.call(Operation::PutItem, put);
    }
    int non_trivial = 0;
    for (int round = 0; round < 150; ++round) {
        const C condition = gen.condition(2);
        std::set<std::string> expected;
        for (const auto& item : items) {
            if (evaluate(condition.condition(), item))
                expected.insert(item.at("SELECT").as_string());
        }
        if (!expected.empty() && expected.size() != items.size()) ++non_trivial;
        std::set<std::string> actual;
        try {
            actual = scan(condition.condition());
        } catch (const ServiceError& e) {
            FAIL() << condition.condition() << " was rejected: " << e.what();
        }
        EXPECT_EQ(actual, expected) << condition.condition();
    }
    EXPECT_GT(non_trivial, 50)
        << "the generator should mostly make conditions that split the items";
}

TEST_F(ConditionsOnDynamoDb, WeirdNamesInProjectionsAndUpdates) {
    Weird w;
    w.id = "w1";
    w.name = "n";
    w.dotted = 1;
    w.hashed = "h";
    w.coloned = {"a"};
    w.spaced = "s";
    w.unicode = 7;
    json::Value put;
    put["TableName"] = table;
    put["Item"] = json::to_json(dump_item(w));
    (void)client.call(Operation::PutItem, put);

    Renderer r;
    json::Value update;
    update["TableName"] = table;
    update["Key"] = json::to_json(Item{{"SELECT", AttributeValue::string("w1")}});
    UpdateActions actions;
    actions.set.emplace_back(attr<&Weird::name>.path(), AttributeValue::string("renamed"));
    actions.remove.push_back(attr<&Weird::spaced>.path());
    actions.add.emplace_back(attr<&Weird::unicode>.path(), AttributeValue::number("3"));
    actions.remove_elements.emplace_back(attr<&Weird::coloned>.path(),
                                         AttributeValue::string_set({"a"}));
    update["UpdateExpression"] = *r.update(actions);
    update["ConditionExpression"] = *r.condition(
        (attr<&Weird::dotted> == 1 && attr<&Weird::hashed>.begins_with("h")).condition());
    r.write_attributes(update);
    (void)client.call(Operation::UpdateItem, update);

    Renderer p;
    json::Value get;
    get["TableName"] = table;
    get["Key"] = json::to_json(Item{{"SELECT", AttributeValue::string("w1")}});
    get["ConsistentRead"] = true;
    const Path paths[] = {attr<&Weird::name>.path(), attr<&Weird::unicode>.path(),
                          attr<&Weird::spaced>.path(), attr<&Weird::coloned>.path(),
                          attr<&Weird::dotted>.path()};
    get["ProjectionExpression"] = p.projection(paths);
    p.write_attributes(get);
    const Item stored = json::to_item(client.call(Operation::GetItem, get).at("Item"));
    EXPECT_EQ(stored, (Item{{"name", AttributeValue::string("renamed")},
                            {"\xc3\xbcn\xc3\xaf \xe2\x9c\x93", AttributeValue::number("10")},
                            {"a.b", AttributeValue::number("1")}}))
        << "SET, REMOVE, ADD and DELETE (the last element, so the set is gone) all applied";
}

}  // namespace
}  // namespace bloop
