#include "json/text.hpp"

#include "util/base64.hpp"
#include "util/swar.hpp"
#include "util/utf8.hpp"

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include <array>
#include <cstdint>
#include <cstring>

namespace bloop::json {
namespace detail {
namespace {
constexpr char kHex[] = "0123456789abcdef";

// 1 where a byte needs escaping in a JSON string, or checking (the start of a UTF-8 sequence).
constexpr auto kNeedsEscape = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = true;
    for (int c = 0x80; c < 0x100; ++c) t[c] = true;
    t['"'] = true;
    t['\\'] = true;
    return t;
}();
}  // namespace

void write_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        // Eight plain ASCII bytes (nothing to escape or check) at a time.
        while (s.size() - i >= 8) {
            namespace swar = bloop::detail::swar;
            const std::uint64_t w = swar::load8(s.data() + i);
            if (swar::any_non_ascii(w) || swar::any_below(w, 0x20) || swar::any_equal(w, '"') ||
                swar::any_equal(w, '\\'))
                break;
            i += 8;
        }
        if (i == s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (!kNeedsEscape[c]) continue;
        if (c >= 0x80) {
            // Sent as is; invalid UTF-8 is refused here, before any request leaves.
            const std::size_t n = bloop::detail::utf8_sequence_length(s, i);
            if (n == 0) {
                throw InvalidValue("a string is not valid UTF-8 (byte " + std::to_string(i) +
                                   " is 0x" + kHex[c >> 4] + kHex[c & 15] + ")");
            }
            i += n - 1;
            continue;
        }
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 15]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

bool is_json_number(std::string_view t) noexcept {
    std::size_t i = 0;
    const auto digit = [&](std::size_t k) { return k < t.size() && t[k] >= '0' && t[k] <= '9'; };
    if (i < t.size() && t[i] == '-') ++i;
    if (!digit(i)) return false;
    if (t[i] == '0') {
        ++i;
    } else {
        while (digit(i)) ++i;
    }
    if (i < t.size() && t[i] == '.') {
        ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    return i == t.size();
}

}  // namespace detail

namespace {

constexpr int kMaxDepth = 256;

// Thrown inside the direct item decoder when a value does not have the attribute-value shape;
// the caller rewinds and parses the value generically.
struct NotAnItem {};

// Where a member's value sits, for ParseMode::items.
enum class Slot { generic, items, tables };

Slot slot_for(std::string_view key) {
    static constexpr std::string_view kItemMembers[] = {
        "Item",     "Items",   "Attributes", "Key", "Keys", "LastEvaluatedKey", "ExclusiveStartKey",
        "NewImage", "OldImage"};
    for (auto m : kItemMembers) {
        if (m == key) return Slot::items;
    }
    return key == "Responses" ? Slot::tables : Slot::generic;
}

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

class Parser {
  public:
    Parser(std::string_view text, ParseMode mode)
        : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()), mode_(mode) {}

    Value document() {
        skip_ws();
        Value v = value(0);
        skip_ws();
        if (p_ != end_) fail("unexpected text after the JSON value");
        return v;
    }

  private:
    [[noreturn]] void fail(const char* what) const {
        const auto offset = static_cast<std::size_t>(p_ - begin_);
        if (p_ >= end_) {
            throw InvalidJson(std::string("invalid JSON: ") + what + " (input ends at offset " +
                              std::to_string(offset) + ")");
        }
        throw InvalidJson(std::string("invalid JSON at offset ") + std::to_string(offset) + ": " +
                          what);
    }

    void skip_ws() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    bool literal(const char* lit, std::size_t n) {
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, lit, n) != 0) return false;
        p_ += n;
        return true;
    }

    Value value(int depth, Slot members = Slot::generic) {
        if (p_ == end_) fail("expected a JSON value");
        switch (*p_) {
            case '{': return object(depth + 1, members);
            case '[': return array(depth + 1);
            case '"': return Value(string());
            case 't':
                if (!literal("true", 4)) fail("expected a JSON value");
                return Value(true);
            case 'f':
                if (!literal("false", 5)) fail("expected a JSON value");
                return Value(false);
            case 'n':
                if (!literal("null", 4)) fail("expected a JSON value");
                return Value();
            default: return number();
        }
    }

    std::string_view number_text() {
        const char* start = p_;
        while (p_ != end_ && kNumberChar[static_cast<unsigned char>(*p_)]) ++p_;
        return {start, static_cast<std::size_t>(p_ - start)};
    }

    Value number() {
        const char* start = p_;
        const std::string_view text = number_text();
        if (text.empty() || !detail::is_json_number(text)) {
            p_ = start;
            fail("expected a JSON value");
        }
        return Value::number(std::string(text));
    }

    // A member value: decoded directly as an item (or array of items) where the mode and the
    // member name say so and the shape fits; otherwise generic.
    Value member(int depth, Slot slot) {
        if (mode_ == ParseMode::items && slot != Slot::generic && p_ != end_) {
            if (slot == Slot::tables) return value(depth, Slot::items);
            const char* start = p_;
            try {
                if (*p_ == '{') return Value(item(depth + 1));
                if (*p_ == '[') return item_array(depth + 1);
            } catch (const NotAnItem&) {
                p_ = start;
            }
        }
        return value(depth);
    }

    // Reads the elements of an array or object up to `close`, calling `element` for each; p_ is
    // just past the opening bracket.
    template <class F>
    void sequence(char close, const char* unterminated, const char* expected, F&& element) {
        skip_ws();
        if (p_ != end_ && *p_ == close) {
            ++p_;
            return;
        }
        while (true) {
            skip_ws();
            element();
            skip_ws();
            if (p_ == end_) fail(unterminated);
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ != close) fail(expected);
            ++p_;
            return;
        }
    }

    Value object(int depth, Slot members) {
        if (depth > kMaxDepth) fail("nesting too deep");
        ++p_;  // '{'
        Value::Object out;
        sequence('}', "unterminated object", "expected ',' or '}'", [&] {
            if (p_ == end_ || *p_ != '"') fail("expected a member name");
            std::string key = string();
            skip_ws();
            if (p_ == end_ || *p_ != ':') fail("expected ':'");
            ++p_;
            skip_ws();
            const Slot slot = members != Slot::generic ? members : slot_for(key);
            out.emplace_back(std::move(key), member(depth, slot));
        });
        return Value(std::move(out));
    }

    Value array(int depth) {
        if (depth > kMaxDepth) fail("nesting too deep");
        ++p_;  // '['
        Value::Array elements;
        sequence(']', "unterminated array", "expected ',' or ']'",
                 [&] { elements.push_back(value(depth)); });
        return Value(std::move(elements));
    }

    // ---- direct decoding of DynamoDB's attribute-value wire format ----

    // Skips white space, then requires `c` and steps past it (and past the white space after).
    void expect(char c) {
        skip_ws();
        if (p_ == end_ || *p_ != c) throw NotAnItem{};
        ++p_;
        skip_ws();
    }

    // Skips white space, then requires `c` and steps past it only.
    void close(char c) {
        skip_ws();
        if (p_ == end_ || *p_ != c) throw NotAnItem{};
        ++p_;
    }

    // Calls `element` for each element between `open` and `close` (an array, or an item's
    // members); anything off the attribute-value shape is NotAnItem.
    template <class F>
    void shape_sequence(char open, char close, F&& element) {
        expect(open);
        if (p_ != end_ && *p_ == close) {
            ++p_;
            return;
        }
        while (true) {
            element();
            skip_ws();
            if (p_ == end_) throw NotAnItem{};
            if (*p_ == ',') {
                ++p_;
                skip_ws();
                continue;
            }
            if (*p_ != close) throw NotAnItem{};
            ++p_;
            return;
        }
    }

    template <class F>
    void each_element(F&& element) {
        shape_sequence('[', ']', std::forward<F>(element));
    }

    Value item_array(int depth) {
        if (depth > kMaxDepth) throw NotAnItem{};
        Value::Array out;
        each_element([&] { out.emplace_back(item(depth + 1)); });
        return Value(std::move(out));
    }

    std::string text_element() {
        if (p_ == end_ || *p_ != '"') throw NotAnItem{};
        return string();
    }

    Binary binary_element() {
        auto bytes = bloop::detail::base64_decode(text_element());
        if (!bytes) throw NotAnItem{};
        return Binary(std::move(*bytes));
    }

    Item item(int depth) {
        if (depth > kMaxDepth) throw NotAnItem{};
        Item::container_type entries;
        entries.reserve(8);
        shape_sequence('{', '}', [&] {
            std::string name = text_element();
            expect(':');
            entries.emplace_back(std::move(name), attribute(depth + 1));
        });
        return Item::from_entries(std::move(entries));
    }

    AttributeValue attribute(int depth) {
        if (depth > kMaxDepth) throw NotAnItem{};
        expect('{');
        const std::string tag = text_element();
        expect(':');
        AttributeValue v = tagged(tag, depth);
        close('}');
        return v;
    }

    std::vector<std::string> text_elements() {
        std::vector<std::string> values;
        each_element([&] { values.push_back(text_element()); });
        return values;
    }

    AttributeValue tagged(std::string_view tag, int depth) {
        if (tag.size() == 1) {
            switch (tag[0]) {
                case 'S': return AttributeValue::string(text_element());
                case 'N': {
                    std::string text = text_element();
                    if (text.empty()) throw NotAnItem{};
                    return AttributeValue::number(std::move(text));
                }
                case 'M': return AttributeValue::map(item(depth + 1));
                case 'L': {
                    AttributeValue::List values;
                    each_element([&] { values.push_back(attribute(depth + 1)); });
                    return AttributeValue::list(std::move(values));
                }
                case 'B': return AttributeValue::binary(binary_element());
                default: throw NotAnItem{};
            }
        }
        if (tag == "SS") return AttributeValue::string_set(text_elements());
        if (tag == "NS") return AttributeValue::number_set(text_elements());
        if (tag == "BS") {
            std::vector<Binary> values;
            each_element([&] { values.push_back(binary_element()); });
            return AttributeValue::binary_set(std::move(values));
        }
        if (tag == "BOOL") {
            if (literal("true", 4)) return AttributeValue::boolean(true);
            if (literal("false", 5)) return AttributeValue::boolean(false);
            throw NotAnItem{};
        }
        if (tag == "NULL" && literal("true", 4)) return AttributeValue::null();
        throw NotAnItem{};
    }

    unsigned hex4() {
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

    static void append_utf8(std::string& out, unsigned cp) {
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

    // Validates one UTF-8 sequence starting at p_ (a byte >= 0x80) and advances past it.
    void utf8_sequence() {
        const std::size_t n = bloop::detail::utf8_sequence_length(
            std::string_view(p_, static_cast<std::size_t>(end_ - p_)), 0);
        if (n == 0) fail("invalid UTF-8 in a string");
        p_ += n;
    }

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

    std::string string() {
        ++p_;  // opening quote
        std::string out;
        const char* run = p_;
        while (true) {
            skip_plain_ascii();
            if (p_ == end_) fail("unterminated string");
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                out.append(run, static_cast<std::size_t>(p_ - run));
                ++p_;
                return out;
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

    const char* p_;
    const char* begin_;
    const char* end_;
    ParseMode mode_;
};

}  // namespace

Value parse(std::string_view text, ParseMode mode) {
    return Parser(text, mode).document();
}

}  // namespace bloop::json
