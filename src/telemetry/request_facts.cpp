#include "telemetry/request_facts.hpp"

#include <bloop/exceptions.hpp>

#include "json/reader.hpp"

#include <charconv>
#include <cstring>
#include <string.h>  // memmem

namespace bloop::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Where `needle` first occurs in `text` at or after `from` (glibc's memmem: a few hundred
// instructions for a request body).
std::size_t find(std::string_view text, std::string_view needle, std::size_t from = 0) {
    if (from > text.size()) return npos;
    const void* at = ::memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
    return at == nullptr ? npos : static_cast<std::size_t>(static_cast<const char*>(at) - text.data());
}

// The string value of each `"Key":"..."` member in `body` (`key` is `"Key":` with its quotes), in
// order. Names DynamoDB allows for tables and indexes hold no escapes; a value that does is passed
// over. (An item's attribute of the same name holds an object, `{"S":...}`, and a string's quotes
// are escaped: neither matches.)
template <class F>
void each_string_member(std::string_view body, std::string_view key, F&& found) {
    for (std::size_t at = find(body, key); at != npos; at = find(body, key, at + 1)) {
        std::size_t p = at + key.size();
        while (p < body.size() && body[p] == ' ') ++p;
        if (p >= body.size() || body[p] != '"') continue;
        const std::size_t end = body.find_first_of("\"\\", p + 1);
        if (end == npos || body[end] != '"') continue;
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
    if (at == npos) return {};
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

// An attribute value's type tag: the first member name of `{"S":...}` and its kin.
bool is_type_tag(std::string_view name) {
    for (std::string_view tag : {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}) {
        if (name == tag) return true;
    }
    return false;
}

// The units of one table or index as DynamoDB reports them.
struct Units {
    double total = 0;  // CapacityUnits
    double read = 0;
    double write = 0;
};

void read_units(json::detail::Reader& r, Units& u) {
    r.members([&](std::string_view name) {
        if (name == "CapacityUnits") {
            u.total = r.number();
        } else if (name == "ReadCapacityUnits") {
            u.read = r.number();
        } else if (name == "WriteCapacityUnits") {
            u.write = r.number();
        } else {
            r.skip();
        }
    });
}

// Read and write where the entry says, else CapacityUnits counted as the operation's kind.
CapacityUse use_of(Operation op, const Units& u, const std::string& table, std::string index) {
    CapacityUse use{table, std::move(index), u.read, u.write};
    if (use.read_units == 0 && use.write_units == 0) (is_read(op) ? use.read_units : use.write_units) = u.total;
    return use;
}

// One ConsumedCapacity entry (a table's) into `out`; false when the object is an item's
// attribute value of that name instead.
bool read_entry(json::detail::Reader& r, Operation op, std::vector<CapacityUse>& out) {
    std::string table;
    Units top;
    Units own;
    bool has_own = false;
    bool first = true;
    bool attribute = false;
    std::vector<std::pair<std::string, Units>> indexes;
    r.members([&](std::string_view name) {
        if (first && is_type_tag(name)) attribute = true;
        first = false;
        if (attribute) {
            r.skip();
        } else if (name == "TableName") {
            table = r.string();
        } else if (name == "CapacityUnits") {
            top.total = r.number();
        } else if (name == "ReadCapacityUnits") {
            top.read = r.number();
        } else if (name == "WriteCapacityUnits") {
            top.write = r.number();
        } else if (name == "Table") {
            has_own = true;
            read_units(r, own);
        } else if (name == "GlobalSecondaryIndexes" || name == "LocalSecondaryIndexes") {
            r.members([&](std::string_view index) {
                indexes.emplace_back(std::string(index), Units{});
                read_units(r, indexes.back().second);
            });
        } else {
            r.skip();
        }
    });
    if (attribute) return false;
    out.push_back(use_of(op, has_own ? own : top, table, {}));
    for (auto& [index, units] : indexes) out.push_back(use_of(op, units, table, std::move(index)));
    return true;
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
    each_string_member(body, "\"TableName\":", [&](std::string_view table) {
        for (const std::string& seen : facts.tables) {
            if (seen == table) return;
        }
        facts.tables.emplace_back(table);
    });
    if (facts.tables.empty()) {
        if (std::string_view t = table_of_stream(first_string_member(body, "\"StreamArn\":")); !t.empty())
            facts.tables.emplace_back(t);
    }
    if (op != Operation::Query && op != Operation::Scan && op != Operation::GetItem &&
        op != Operation::TransactGetItems) {
        return facts;
    }
    facts.index = first_string_member(body, "\"IndexName\":");
    facts.select = first_string_member(body, "\"Select\":");
    facts.projection = first_string_member(body, "\"ProjectionExpression\":");
    if (const std::size_t at = find(body, "\"Limit\":"); at != npos) {
        const char* p = body.data() + at + 8;
        while (p < body.data() + body.size() && *p == ' ') ++p;
        std::int64_t limit = -1;
        if (std::from_chars(p, body.data() + body.size(), limit).ec == std::errc()) facts.limit = limit;
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
    if (find(body, "\"ReturnConsumedCapacity\":") != npos) return;
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
    for (std::size_t at = find(answer, key); at != npos; at = find(answer, key, at + 1)) {
        try {
            json::detail::Reader r(answer.substr(at + key.size()));
            if (r.peek() == json::Type::array) {
                r.array([&] { (void)read_entry(r, op, uses); });
                return uses;
            }
            if (r.peek() != json::Type::object) continue;
            if (read_entry(r, op, uses)) return uses;  // else an item's attribute of that name
        } catch (const InvalidJson&) {
            return {};
        }
    }
    return uses;
}

}  // namespace bloop::detail
