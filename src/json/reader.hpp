#pragma once
// A pull reader over JSON text: the caller walks the document it expects, reading DynamoDB's items
// straight into `Item`s and anything else as a generic `Value` (or skipping it). `json::parse` is
// one `value()`; the wire decoders walk their answers member by member.

#include <bloop/json/json.hpp>
#include <bloop/types/attribute_value.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace bloop::json::detail {

class Reader {
  public:
    explicit Reader(std::string_view text)
        : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()) {}

    /// Calls `member(name)` for each member of the object that comes next; `member` reads or
    /// skips the member's value. `name` is valid until that value is read (copy it to keep it).
    /// InvalidJson when no object comes.
    template <class F>
    void object(F&& member) {
        open('{', "expected a JSON object");
        if (!closes('}')) {
            do {
                const std::string_view name = key();
                member(name);
            } while (next('}', "expected ',' or '}'"));
        }
        --depth_;
    }

    /// As `object`, passing over members whose value is null: DynamoDB's answers say "none"
    /// either by leaving a member out or by sending it as null.
    template <class F>
    void members(F&& member) {
        object([&](std::string_view name) {
            if (!null()) member(name);
        });
    }

    /// Calls `element()` for each element of the array that comes next; `element` reads or skips
    /// it. InvalidJson when no array comes.
    template <class F>
    void array(F&& element) {
        open('[', "expected a JSON array");
        if (!closes(']')) {
            do element();
            while (next(']', "expected ',' or ']'"));
        }
        --depth_;
    }

    /// The kind of the value that comes next (nothing read); InvalidJson at the end of the text.
    Type peek() {
        skip_ws();
        if (p_ == end_) fail("expected a JSON value");
        switch (*p_) {
            case '{': return Type::object;
            case '[': return Type::array;
            case '"': return Type::string;
            case 't':
            case 'f': return Type::boolean;
            case 'n': return Type::null;
            default: return Type::number;
        }
    }
    /// Steps over a null and returns true; false (and nothing read) for any other value.
    bool null() {
        skip_ws();
        return literal("null");
    }
    /// Any JSON value.
    Value value();
    /// Steps over one value, checking it as `value()` does but keeping nothing.
    void skip();
    /// An object of DynamoDB attribute values (`{"id":{"S":"a"}}`); InvalidJson for another shape.
    Item item();
    /// One attribute value (`{"N":"1"}`); InvalidJson for another shape.
    AttributeValue attribute();
    /// A string; InvalidJson for another value.
    std::string string();
    /// An integer number; InvalidJson for another value or one out of range.
    std::int64_t integer();
    /// A number as double (for capacity units and timestamps, never item data).
    double number();
    /// true or false; InvalidJson for another value.
    bool boolean();
    /// Requires that only white space is left.
    void end();

  private:
    [[noreturn]] void fail(const char* what) const;

    // The small steps every member and element takes, inline (they are the reader's hot path).
    void skip_ws() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() ||
            std::memcmp(p_, word.data(), word.size()) != 0)
            return false;
        p_ += word.size();
        return true;
    }
    void open(char bracket, const char* expected) {
        skip_ws();
        if (p_ == end_ || *p_ != bracket) fail(expected);
        if (++depth_ > kMaxDepth) fail("nesting too deep");
        ++p_;
    }
    bool closes(char bracket) {
        skip_ws();
        if (p_ == end_ || *p_ != bracket) return false;
        ++p_;
        return true;
    }
    bool next(char bracket, const char* expected) {
        skip_ws();
        if (p_ == end_) fail(bracket == '}' ? "unterminated object" : "unterminated array");
        if (*p_ == ',') {
            ++p_;
            return true;
        }
        if (*p_ != bracket) fail(expected);
        ++p_;
        return false;
    }
    std::string_view key() {
        skip_ws();
        if (p_ == end_ || *p_ != '"') fail("expected a member name");
        const std::string_view name = string_view();
        skip_ws();
        if (p_ == end_ || *p_ != ':') fail("expected ':'");
        ++p_;
        return name;
    }

    static constexpr int kMaxDepth = 256;
    std::string_view number_text();
    // The number that comes next, checked against JSON's grammar.
    std::string_view json_number();
    std::string_view string_view();
    void read_string(std::string& out);
    // Steps over bytes that need no attention in a string: printable ASCII other than '"' and
    // '\\', eight at a time.
    void skip_plain_ascii() {
        constexpr std::uint64_t ones = 0x0101010101010101ULL;
        constexpr std::uint64_t highs = 0x8080808080808080ULL;
        while (end_ - p_ >= 8) {
            std::uint64_t v;
            std::memcpy(&v, p_, 8);
            const std::uint64_t quote = v ^ (ones * '"');
            const std::uint64_t backslash = v ^ (ones * '\\');
            const std::uint64_t special = ((quote - ones) & ~quote) |
                                          ((backslash - ones) & ~backslash) | (v - ones * 0x20) | v;
            if ((special & highs) != 0) return;
            p_ += 8;
        }
    }
    void utf8_sequence();
    unsigned hex4();
    AttributeValue tagged(std::string_view tag);
    Binary binary();

    const char* p_;
    const char* begin_;
    const char* end_;
    int depth_ = 0;
    std::string scratch_;  // a key or tag that held escapes
};

}  // namespace bloop::json::detail
