#include "telemetry/request_facts.hpp"

#include <bloop/exceptions.hpp>

#include "json/reader.hpp"

#include <charconv>
#include <cstring>

namespace bloop::detail {
namespace {

// The string value of each `"key":"..."` member in `body`, in order. Names DynamoDB allows for
// tables and indexes hold no escapes; a value that does is passed over. (An item's attribute of the
// same name holds an object, `{"S":...}`, and a string's quotes are escaped: neither matches.)
template <class F>
void each_string_member(std::string_view body, std::string_view key, F&& found) {
    std::string pattern;
    pattern.reserve(key.size() + 3);
    pattern += '"';
    pattern += key;
    pattern += "\":";
    for (std::size_t at = body.find(pattern); at != std::string_view::npos;
         at = body.find(pattern, at + 1)) {
        std::size_t p = at + pattern.size();
        while (p < body.size() && body[p] == ' ') ++p;
        if (p >= body.size() || body[p] != '"') continue;
        const std::size_t end = body.find_first_of("\"\\", p + 1);
        if (end == std::string_view::npos || body[end] != '"') continue;
        found(body.substr(p + 1, end - p - 1));
    }
}

std::string_view first_string_member(std::string_view body, std::string_view key) {
    std::string_view value;
    bool seen = false;
    each_string_member(body, key, [&](std::string_view v) {
        if (!seen) value = v;
        seen = true;
    });
    return value;
}

// "arn:aws:dynamodb:us-east-1:123:table/Orders/stream/2026-..." → "Orders".
std::string_view table_of_stream(std::string_view arn) {
    const std::size_t at = arn.find(":table/");
    if (at == std::string_view::npos) return {};
    const std::size_t begin = at + 7;
    return arn.substr(begin, arn.find('/', begin) - begin);
}

bool is_read(Operation op) {
    switch (op) {
        case Operation::GetItem:
        case Operation::BatchGetItem:
        case Operation::Query:
        case Operation::Scan:
        case Operation::TransactGetItems: return true;
        default: return false;
    }
}

double units_of(const json::Value& v, const char* name) {
    const json::Value* u = v.find(name);
    return u != nullptr && u->type() == json::Type::number ? u->as_double() : 0.0;
}

// One ConsumedCapacity entry's units: read and write where it says, else CapacityUnits counted as
// the operation's kind.
CapacityUse use_of(Operation op, const json::Value& units, std::string table, std::string index) {
    CapacityUse use{std::move(table), std::move(index), units_of(units, "ReadCapacityUnits"),
                    units_of(units, "WriteCapacityUnits")};
    if (use.read_units == 0 && use.write_units == 0) {
        (is_read(op) ? use.read_units : use.write_units) = units_of(units, "CapacityUnits");
    }
    return use;
}

void add_entry(Operation op, const json::Value& entry, std::vector<CapacityUse>& out) {
    if (!entry.is_object()) return;
    const json::Value* name = entry.find("TableName");
    std::string table = name != nullptr && name->is_string() ? name->as_string() : std::string();
    const json::Value* own = entry.find("Table");
    out.push_back(use_of(op, own != nullptr && own->is_object() ? *own : entry, table, {}));
    for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
        const json::Value* indexes = entry.find(kind);
        if (indexes == nullptr || !indexes->is_object()) continue;
        for (const auto& [index, units] : indexes->as_object()) {
            if (units.is_object()) out.push_back(use_of(op, units, table, index));
        }
    }
}

// An attribute value's type tag: the first member name of `{"S":...}` and its kin.
bool is_type_tag(std::string_view name) {
    for (std::string_view tag : {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}) {
        if (name == tag) return true;
    }
    return false;
}

}  // namespace

RequestFacts request_facts(Operation op, std::string_view body) {
    RequestFacts facts;
    if (op == Operation::BatchGetItem || op == Operation::BatchWriteItem) {
        try {
            json::detail::Reader r(body);
            r.object([&](std::string_view name) {
                if (name != "RequestItems") return r.skip();
                r.object([&](std::string_view table) {
                    facts.tables.emplace_back(table);
                    r.skip();
                });
            });
        } catch (const InvalidJson&) {
        }
        return facts;
    }
    each_string_member(body, "TableName", [&](std::string_view table) {
        for (const std::string& seen : facts.tables) {
            if (seen == table) return;
        }
        facts.tables.emplace_back(table);
    });
    if (facts.tables.empty()) {
        if (std::string_view t = table_of_stream(first_string_member(body, "StreamArn"));
            !t.empty())
            facts.tables.emplace_back(t);
    }
    if (op != Operation::Query && op != Operation::Scan && op != Operation::GetItem &&
        op != Operation::TransactGetItems) {
        return facts;
    }
    facts.index = first_string_member(body, "IndexName");
    facts.select = first_string_member(body, "Select");
    facts.projection = first_string_member(body, "ProjectionExpression");
    if (const std::size_t at = body.find("\"Limit\":"); at != std::string_view::npos) {
        const char* p = body.data() + at + 8;
        while (p < body.data() + body.size() && *p == ' ') ++p;
        std::int64_t limit = -1;
        if (std::from_chars(p, body.data() + body.size(), limit).ec == std::errc())
            facts.limit = limit;
    }
    return facts;
}

bool reports_capacity(Operation op) noexcept {
    switch (op) {
        case Operation::GetItem:
        case Operation::PutItem:
        case Operation::UpdateItem:
        case Operation::DeleteItem:
        case Operation::Query:
        case Operation::Scan:
        case Operation::BatchGetItem:
        case Operation::BatchWriteItem:
        case Operation::TransactGetItems:
        case Operation::TransactWriteItems:
        case Operation::ExecuteStatement:
        case Operation::BatchExecuteStatement:
        case Operation::ExecuteTransaction: return true;
        default: return false;
    }
}

void ask_for_capacity(std::string& body) {
    if (body.find("\"ReturnConsumedCapacity\":") != std::string::npos) return;
    const std::size_t open = body.find('{');
    if (open == std::string::npos) return;
    const std::size_t next = body.find_first_not_of(" \t\r\n", open + 1);
    const bool empty = next != std::string::npos && body[next] == '}';
    body.insert(open + 1, empty ? "\"ReturnConsumedCapacity\":\"INDEXES\""
                                : "\"ReturnConsumedCapacity\":\"INDEXES\",");
}

std::vector<CapacityUse> consumed_capacity(Operation op, std::string_view answer) {
    static constexpr std::string_view key = "\"ConsumedCapacity\":";
    std::vector<CapacityUse> uses;
    for (std::size_t at = answer.find(key); at != std::string_view::npos;
         at = answer.find(key, at + 1)) {
        try {
            json::detail::Reader r(answer.substr(at + key.size()));
            const json::Value v = r.value();
            if (v.is_object() && !v.as_object().empty() && is_type_tag(v.as_object().front().first))
                continue;  // an item's attribute of that name
            if (v.is_array()) {
                for (const json::Value& entry : v.as_array()) add_entry(op, entry, uses);
            } else {
                add_entry(op, v, uses);
            }
            return uses;
        } catch (const InvalidJson&) {
            return uses;
        }
    }
    return uses;
}

}  // namespace bloop::detail
