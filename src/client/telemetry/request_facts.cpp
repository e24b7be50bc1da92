#include "client/telemetry/request_facts.hpp"

#include <bloop/exceptions.hpp>

#include "json/reader.hpp"
#include "wire/streams.hpp"

#include <string.h>  // memmem
#include <charconv>
#include <cstring>

namespace bloop::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Where `needle` first occurs in `text` at or after `from` (glibc's memmem: a few hundred
// instructions for a request body).
std::size_t find(std::string_view text, std::string_view needle, std::size_t from = 0) {
    if (from > text.size()) return npos;
    const void* at = ::memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
    return at == nullptr ? npos
                         : static_cast<std::size_t>(static_cast<const char*>(at) - text.data());
}

// The end of the unescaped string whose text starts at `begin` (its closing quote); npos when it
// has none or holds an escape (no table or index name does).
std::size_t string_end(std::string_view text, std::size_t begin) {
    if (begin >= text.size()) return npos;
    const char* start = text.data() + begin;
    const auto* quote = static_cast<const char*>(std::memchr(start, '"', text.size() - begin));
    if (quote == nullptr ||
        std::memchr(start, '\\', static_cast<std::size_t>(quote - start)) != nullptr)
        return npos;
    return static_cast<std::size_t>(quote - text.data());
}

// Calls `found(value)` with the string value of each `"Key":"..."` member in `body` (`key` is
// `"Key":` with its quotes), in order, while it returns true. Names DynamoDB allows for tables and
// indexes hold no escapes; a value that does is passed over. (An item's attribute of the same name
// holds an object, `{"S":...}`, and a string's quotes are escaped: neither matches.)
template <class F>
void each_string_member(std::string_view body, std::string_view key, F&& found) {
    for (std::size_t at = find(body, key); at != npos; at = find(body, key, at + 1)) {
        std::size_t p = at + key.size();
        while (p < body.size() && body[p] == ' ') ++p;
        if (p >= body.size() || body[p] != '"') continue;
        const std::size_t end = string_end(body, p + 1);
        if (end != npos && !found(body.substr(p + 1, end - p - 1))) return;
    }
}

// The first such value; empty when there is none.
std::string_view first_string_member(std::string_view body, std::string_view key) {
    std::string_view first;
    each_string_member(body, key, [&](std::string_view value) {
        first = value;
        return false;  // no further
    });
    return first;
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
    if (name.size() > 4) return false;
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

// Read and write where the entry says, else CapacityUnits counted as the operation's kind.
void set_use(CapacityUse& use, Operation op, const Units& u, std::string_view table,
             std::string_view index) {
    use.table.assign(table);
    use.index.assign(index);
    use.read_units = u.read;
    use.write_units = u.write;
    if (use.read_units == 0 && use.write_units == 0)
        (is_read(op) ? use.read_units : use.write_units) = u.total;
}

// A small scanner over ConsumedCapacity's JSON, which holds only names DynamoDB allows for tables
// and indexes (no escapes), numbers and objects of them: it reads what it needs without building
// anything, and gives up (nothing read) on anything else.
class CapacityScanner {
  public:
    CapacityScanner(std::string_view text, std::size_t at) : text_(text), p_(at) {}
    std::size_t position() const { return p_; }

    // One entry (a table's) into `out` (of which `used` are in use); false when it is no entry:
    // an item's attribute of that name (its first member a type tag) or text it cannot read.
    bool entry(Operation op, std::vector<CapacityUse>& out, std::size_t& used) {
        // The table's own use first, its indexes' after it as they come; the table's name (which
        // may come last) and units are set once the object is read.
        const std::size_t own_use = used;
        (void)next_element(out, used);
        std::string_view table;
        Units top;
        Units own;
        bool has_own = false;
        bool first = true;
        const bool read = object([&](std::string_view name) {
            if (first && is_type_tag(name)) return false;
            first = false;
            if (name == "TableName") return string(table);
            if (name == "Table") return has_own = true, units(own);
            if (name == "GlobalSecondaryIndexes" || name == "LocalSecondaryIndexes") {
                return object([&](std::string_view index) {
                    Units u;
                    if (!units(u)) return false;
                    set_use(next_element(out, used), op, u, {}, index);
                    return true;
                });
            }
            return unit(name, top);
        });
        if (!read) return false;
        set_use(out[own_use], op, has_own ? own : top, table, {});
        for (std::size_t i = own_use + 1; i < used; ++i) out[i].table.assign(table);
        return true;
    }
    // `[entry, ...]`.
    bool entries(Operation op, std::vector<CapacityUse>& out, std::size_t& used) {
        if (!take('[')) return false;
        if (take(']')) return true;
        do {
            if (!entry(op, out, used)) return false;
        } while (take(','));
        return take(']');
    }
    bool at(char c) {
        ws();
        return p_ < text_.size() && text_[p_] == c;
    }

  private:
    void ws() {
        while (p_ < text_.size() &&
               (text_[p_] == ' ' || text_[p_] == '\n' || text_[p_] == '\r' || text_[p_] == '\t'))
            ++p_;
    }
    bool take(char c) {
        if (!at(c)) return false;
        ++p_;
        return true;
    }
    bool string(std::string_view& out) {
        if (!take('"')) return false;
        const std::size_t end = string_end(text_, p_);
        if (end == npos) return false;
        out = text_.substr(p_, end - p_);
        p_ = end + 1;
        return true;
    }
    bool number(double& out) {
        ws();
        const char* begin = text_.data() + p_;
        const auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), out);
        if (ec != std::errc()) return false;
        p_ += static_cast<std::size_t>(end - begin);
        return true;
    }
    // `{"name": value, ...}`, `member(name)` reading each value.
    template <class Member>
    bool object(Member&& member) {
        if (!take('{')) return false;
        if (take('}')) return true;
        do {
            std::string_view name;
            if (!string(name) || !take(':') || !member(name)) return false;
        } while (take(','));
        return take('}');
    }
    bool unit(std::string_view name, Units& u) {
        double* to = name == "CapacityUnits"        ? &u.total
                     : name == "ReadCapacityUnits"  ? &u.read
                     : name == "WriteCapacityUnits" ? &u.write
                                                    : nullptr;
        return to != nullptr && number(*to);
    }
    bool units(Units& u) {
        return object([&](std::string_view name) { return unit(name, u); });
    }

    std::string_view text_;
    std::size_t p_;
};

}  // namespace

void read_request(Operation op, std::string_view body, RequestEvent& event) {
    std::size_t tables = 0;
    const auto add_table = [&](std::string_view table) {
        for (std::size_t i = 0; i < tables; ++i) {
            if (event.tables[i] == table) return;
        }
        next_element(event.tables, tables).assign(table);
    };
    event.index.clear();
    event.select.clear();
    event.projection.clear();
    event.limit = -1;
    if (op == Operation::BatchGetItem || op == Operation::BatchWriteItem) {
        try {
            json::detail::Reader r(body);
            r.object([&](std::string_view name) {
                if (name != "RequestItems") return r.skip();
                r.object([&](std::string_view table) {
                    add_table(table);
                    r.skip();
                });
            });
        } catch (const InvalidJson&) {
        }
    } else if (op == Operation::TransactWriteItems || op == Operation::TransactGetItems) {
        each_string_member(body, "\"TableName\":", [&](std::string_view table) {
            add_table(table);
            return true;
        });
    } else if (std::string_view table = first_string_member(body, "\"TableName\":");
               !table.empty()) {
        add_table(table);
    } else if (std::string_view t =
                   wire::table_of_stream(first_string_member(body, "\"StreamArn\":"));
               !t.empty()) {
        add_table(t);
    }
    event.tables.resize(tables);
    if (op != Operation::Query && op != Operation::Scan && op != Operation::GetItem &&
        op != Operation::TransactGetItems) {
        return;
    }
    event.index.assign(first_string_member(body, "\"IndexName\":"));
    event.select.assign(first_string_member(body, "\"Select\":"));
    event.projection.assign(first_string_member(body, "\"ProjectionExpression\":"));
    if (const std::size_t at = find(body, "\"Limit\":"); at != npos) {
        const char* p = body.data() + at + 8;
        while (p < body.data() + body.size() && *p == ' ') ++p;
        std::int64_t limit = -1;
        if (std::from_chars(p, body.data() + body.size(), limit).ec == std::errc())
            event.limit = limit;
    }
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

bool ask_for_capacity(std::string& body) {
    if (find(body, "\"ReturnConsumedCapacity\":") != npos) return false;
    const std::size_t open = body.find('{');
    if (open == std::string::npos) return false;
    const std::size_t next = body.find_first_not_of(" \t\r\n", open + 1);
    const bool empty = next != std::string::npos && body[next] == '}';
    body.insert(open + 1, empty ? "\"ReturnConsumedCapacity\":\"INDEXES\""
                                : "\"ReturnConsumedCapacity\":\"INDEXES\",");
    return true;
}

void consumed_capacity(Operation op, std::string& answer, bool strip,
                       std::vector<CapacityUse>& uses) {
    static constexpr std::string_view key = "\"ConsumedCapacity\":";
    std::size_t used = 0;
    for (std::size_t at = find(answer, key); at != npos; at = find(answer, key, at + 1)) {
        CapacityScanner scan(answer, at + key.size());
        if (scan.at('[') ? !scan.entries(op, uses, used) : !scan.entry(op, uses, used)) {
            used = 0;  // an item's attribute of that name, or unreadable: look further
            continue;
        }
        if (strip) {  // the member goes, with the comma before or after it
            std::size_t begin = at;
            std::size_t end = scan.position();
            std::size_t before = begin;
            while (before > 0 && (answer[before - 1] == ' ' || answer[before - 1] == '\n'))
                --before;
            std::size_t after = end;
            while (after < answer.size() && (answer[after] == ' ' || answer[after] == '\n'))
                ++after;
            if (before > 0 && answer[before - 1] == ',') {
                begin = before - 1;
            } else if (after < answer.size() && answer[after] == ',') {
                end = after + 1;
            }
            answer.erase(begin, end - begin);
        }
        break;
    }
    uses.resize(used);
}

}  // namespace bloop::detail
