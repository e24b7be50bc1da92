#include "json/reader.hpp"

#include "json/text.hpp"
#include "util/base64.hpp"
#include "util/utf8.hpp"

#include <bloop/exceptions.hpp>

#include <array>
#include <charconv>
#include <cstring>

namespace bloop::json {
namespace detail {
namespace {

constexpr auto kNumberChar = [] {
    std::array<bool, 256> t{};
    for (const char c : std::string_view("0123456789+-.eE"))
        t[static_cast<unsigned char>(c)] = true;
    return t;
}();

// The character a one-letter escape stands for, or '\0' for an unknown escape.
constexpr char unescaped(char escape) {
    switch (escape) {
        case '"': return '"';
        case '\\': return '\\';
        case '/': return '/';
        case 'b': return '\b';
        case 'f': return '\f';
        case 'n': return '\n';
        case 'r': return '\r';
        case 't': return '\t';
        default: return '\0';
    }
}

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace

void Reader::fail(const char* what) const {
    const auto offset = static_cast<std::size_t>(p_ - begin_);
    if (p_ >= end_) {
        throw InvalidJson(std::string("invalid JSON: ") + what + " (input ends at offset " +
                          std::to_string(offset) + ")");
    }
    throw InvalidJson(std::string("invalid JSON at offset ") + std::to_string(offset) + ": " +
                      what);
}

Value Reader::value() {
    skip_ws();
    if (p_ == end_) fail("expected a JSON value");
    switch (*p_) {
        case '{': {
            Value::Object members;
            object([&](std::string_view name) {
                std::string kept(name);
                members.emplace_back(std::move(kept), value());
            });
            return Value(std::move(members));
        }
        case '[': {
            Value::Array elements;
            array([&] { elements.push_back(value()); });
            return Value(std::move(elements));
        }
        case '"': return Value(string());
        case 't':
        case 'f':
        case 'n':
            if (literal("true")) return Value(true);
            if (literal("false")) return Value(false);
            if (literal("null")) return Value();
            fail("expected a JSON value");
        default: return Value::number(std::string(json_number()));
    }
}

void Reader::skip() {
    skip_ws();
    if (p_ == end_) fail("expected a JSON value");
    switch (*p_) {
        case '{': object([&](std::string_view) { skip(); }); return;
        case '[': array([&] { skip(); }); return;
        case '"': (void)string_view(); return;
        case 't':
        case 'f':
        case 'n':
            if (literal("true") || literal("false") || literal("null")) return;
            fail("expected a JSON value");
        default: (void)json_number();
    }
}

std::string_view Reader::json_number() {
    const char* start = p_;
    const std::string_view text = number_text();
    if (text.empty() || !is_json_number(text)) {
        p_ = start;
        fail("expected a JSON value");
    }
    return text;
}

std::string_view Reader::number_text() {
    const char* start = p_;
    while (p_ != end_ && kNumberChar[static_cast<unsigned char>(*p_)]) ++p_;
    return {start, static_cast<std::size_t>(p_ - start)};
}

std::int64_t Reader::integer() {
    skip_ws();
    const char* start = p_;
    const std::string_view text = number_text();
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        p_ = start;
        fail("expected an integer");
    }
    return out;
}

double Reader::number() {
    skip_ws();
    const char* start = p_;
    const std::string_view text = number_text();
    if (text.empty() || !is_json_number(text)) {
        p_ = start;
        fail("expected a number");
    }
    double out = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc()) return out;
    return Value::number(std::string(text)).as_double();  // out of double's range
}

bool Reader::boolean() {
    skip_ws();
    if (literal("true")) return true;
    if (literal("false")) return false;
    fail("expected true or false");
}

std::string Reader::string() {
    skip_ws();
    if (p_ == end_ || *p_ != '"') fail("expected a string");
    std::string out;
    read_string(out);
    return out;
}

void Reader::end() {
    skip_ws();
    if (p_ != end_) fail("unexpected text after the JSON value");
}

// ---- DynamoDB's attribute values ----

Item Reader::item() {
    Item::container_type entries;
    entries.reserve(8);
    skip_ws();
    if (p_ == end_ || *p_ != '{') fail("expected an item (an object of attribute values)");
    object([&](std::string_view name) {
        std::string kept(name);  // before the value is read
        entries.emplace_back(std::move(kept), attribute());
    });
    return Item::from_entries(std::move(entries));
}

AttributeValue Reader::attribute() {
    // Written out rather than through object(): one tag, read on the items' hot path.
    skip_ws();
    if (p_ == end_ || *p_ != '{') fail("expected an attribute value ({\"S\":...} and the like)");
    ++p_;
    if (++depth_ > kMaxDepth) fail("nesting too deep");
    skip_ws();
    if (p_ != end_ && *p_ == '}') fail("an attribute value needs a type tag");
    AttributeValue out = tagged(key());
    skip_ws();
    if (p_ == end_) fail("unterminated object");
    if (*p_ != '}') fail("an attribute value has exactly one type tag");
    ++p_;
    --depth_;
    return out;
}

Binary Reader::binary() {
    const char* start = p_;
    auto bytes = bloop::detail::base64_decode(string());
    if (!bytes) {
        p_ = start;
        fail("invalid base64 in a binary attribute value");
    }
    return Binary(std::move(*bytes));
}

AttributeValue Reader::tagged(std::string_view tag) {
    const auto strings = [&] {
        std::vector<std::string> values;
        array([&] { values.push_back(string()); });
        return values;
    };
    if (tag.size() == 1) {
        switch (tag[0]) {
            case 'S': return AttributeValue::string(string());
            case 'N': {
                std::string text = string();
                if (text.empty()) fail("N must hold a number");
                return AttributeValue::number(std::move(text));
            }
            case 'M': return AttributeValue::map(item());
            case 'L': {
                AttributeValue::List values;
                array([&] { values.push_back(attribute()); });
                return AttributeValue::list(std::move(values));
            }
            case 'B': return AttributeValue::binary(binary());
            default: fail("unknown attribute value type tag");
        }
    }
    if (tag == "SS") return AttributeValue::string_set(strings());
    if (tag == "NS") return AttributeValue::number_set(strings());
    if (tag == "BS") {
        std::vector<Binary> values;
        array([&] { values.push_back(binary()); });
        return AttributeValue::binary_set(std::move(values));
    }
    if (tag == "BOOL") return AttributeValue::boolean(boolean());
    if (tag == "NULL") {
        if (!boolean()) fail("NULL must hold true");
        return AttributeValue::null();
    }
    fail("unknown attribute value type tag");
}

// ---- strings ----

// A string as a view of the text when it holds no escape, else decoded into scratch_.
std::string_view Reader::string_view() {
    const char* start = ++p_;  // past the opening quote
    while (true) {
        skip_plain_ascii();
        if (p_ == end_) fail("unterminated string");
        const auto c = static_cast<unsigned char>(*p_);
        if (c == '"') {
            ++p_;
            return {start, static_cast<std::size_t>(p_ - 1 - start)};
        }
        if (c == '\\') break;
        if (c < 0x20) fail("control character in a string");
        if (c >= 0x80) {
            utf8_sequence();
        } else {
            ++p_;
        }
    }
    p_ = start - 1;
    scratch_.clear();
    read_string(scratch_);
    return scratch_;
}

// Validates one UTF-8 sequence starting at p_ (a byte >= 0x80) and advances past it.
void Reader::utf8_sequence() {
    const std::size_t n = bloop::detail::utf8_sequence_length(
        std::string_view(p_, static_cast<std::size_t>(end_ - p_)), 0);
    if (n == 0) fail("invalid UTF-8 in a string");
    p_ += n;
}

unsigned Reader::hex4() {
    if (end_ - p_ < 4) fail("truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
        const char c = *p_;
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= static_cast<unsigned>(c - 'A' + 10);
        else
            fail("bad \\u escape");
    }
    return v;
}

// Appends the string at p_ (its opening quote) to `out`, escapes decoded.
void Reader::read_string(std::string& out) {
    ++p_;  // opening quote
    const char* run = p_;
    while (true) {
        skip_plain_ascii();
        if (p_ == end_) fail("unterminated string");
        const auto c = static_cast<unsigned char>(*p_);
        if (c == '"') {
            out.append(run, static_cast<std::size_t>(p_ - run));
            ++p_;
            return;
        }
        if (c < 0x20) fail("control character in a string");
        if (c >= 0x80) {
            utf8_sequence();
            continue;
        }
        if (c != '\\') {
            ++p_;
            continue;
        }
        out.append(run, static_cast<std::size_t>(p_ - run));
        ++p_;
        if (p_ == end_) fail("unterminated string");
        const char escape = *p_++;
        if (escape != 'u') {
            const char plain = unescaped(escape);
            if (plain == '\0') {
                --p_;
                fail("bad escape in a string");
            }
            out.push_back(plain);
            run = p_;
            continue;
        }
        unsigned cp = hex4();  // a \u escape
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
                fail("lone surrogate in \\u escape");
            p_ += 2;
            const unsigned lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("lone surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("lone surrogate in \\u escape");
        }
        append_utf8(out, cp);
        run = p_;
    }
}

}  // namespace detail

Value parse(std::string_view text) {
    detail::Reader reader(text);
    Value v = reader.value();
    reader.end();
    return v;
}

}  // namespace bloop::json
