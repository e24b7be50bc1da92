// Values as bloop (Python) prints them in messages: 'text', 42, b'\x00', {'a', 'b'}, [1, 'x'],
// {'k': 1}, True, None — never DynamoDB's wire JSON.

#include <bloop/types/attribute_value.hpp>

#include "util/utf8.hpp"

namespace bloop {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Python's repr of a str (single quotes), or of bytes with the prefix b. A str that is not UTF-8
// shows its bytes above 0x7f escaped, as bytes do, so a message never carries invalid UTF-8.
void quoted(std::string& out, std::string_view text, bool bytes) {
    if (bytes) out += 'b';
    const bool escape_high = bytes || detail::first_invalid_utf8(text) != std::string_view::npos;
    out += '\'';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '\'': out += "\\'"; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                // Bytes show as text only where printable ASCII; a str keeps its UTF-8.
                if (c < 0x20 || c == 0x7f || (escape_high && c >= 0x80)) {
                    out += "\\x";
                    out += kHex[c >> 4];
                    out += kHex[c & 15];
                } else {
                    out += ch;
                }
        }
    }
    out += '\'';
}

void append(std::string& out, const AttributeValue& v) {
    const auto each = [&](const auto& elements, char open, char close, auto&& write) {
        out += open;
        bool first = true;
        for (const auto& e : elements) {
            if (!first) out += ", ";
            first = false;
            write(e);
        }
        out += close;
    };
    switch (v.type()) {
        case AttributeType::S: quoted(out, v.as_string(), false); break;
        case AttributeType::N: out += v.as_number(); break;
        case AttributeType::B: quoted(out, v.as_binary().bytes(), true); break;
        case AttributeType::SS:
            each(v.as_string_set(), '{', '}', [&](const std::string& s) { quoted(out, s, false); });
            break;
        case AttributeType::NS:
            each(v.as_number_set(), '{', '}', [&](const std::string& n) { out += n; });
            break;
        case AttributeType::BS:
            each(v.as_binary_set(), '{', '}', [&](const Binary& b) { quoted(out, b.bytes(), true); });
            break;
        case AttributeType::L:
            each(v.as_list(), '[', ']', [&](const AttributeValue& e) { append(out, e); });
            break;
        case AttributeType::M:
            each(v.as_map(), '{', '}', [&](const auto& entry) {
                quoted(out, entry.first, false);
                out += ": ";
                append(out, entry.second);
            });
            break;
        case AttributeType::BOOL: out += v.as_bool() ? "True" : "False"; break;
        case AttributeType::NUL: out += "None"; break;
    }
}

}  // namespace

std::string repr(const AttributeValue& value) {
    std::string out;
    append(out, value);
    return out;
}

}  // namespace bloop
