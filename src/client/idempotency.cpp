#include "client/idempotency.hpp"

#include "util/ascii.hpp"

#include <array>

namespace bloop::detail {
namespace {

// Each byte's part in an expression: a word (names, placeholders, keywords, functions), arithmetic
// ('+', '-'), or anything else.
enum class Kind : unsigned char { other, word, arithmetic };

constexpr auto kKinds = [] {
    std::array<Kind, 256> t{};
    for (int c = 0; c < 128; ++c) {
        if (is_ascii_alnum(static_cast<char>(c))) t[c] = Kind::word;
    }
    t['_'] = t['#'] = t[':'] = Kind::word;
    t['+'] = t['-'] = Kind::arithmetic;
    return t;
}();

bool relative_word(std::string_view word) {
    return ascii_iequals(word, "ADD") || ascii_iequals(word, "list_append");
}

}  // namespace

bool update_is_idempotent(std::string_view expression) noexcept {
    // One pass. Placeholders and attribute names cannot hold '+' or '-' (values live in
    // ExpressionAttributeValues), so these are always arithmetic; and neither the ADD clause nor
    // list_append (in any case) may occur as a word.
    std::size_t word_start = 0;
    bool in_word = false;
    for (std::size_t i = 0; i <= expression.size(); ++i) {
        const Kind kind =
            i < expression.size() ? kKinds[static_cast<unsigned char>(expression[i])] : Kind::other;
        if (kind == Kind::word) {
            if (!in_word) word_start = i;
            in_word = true;
            continue;
        }
        if (kind == Kind::arithmetic) return false;
        if (in_word && relative_word(expression.substr(word_start, i - word_start))) return false;
        in_word = false;
    }
    return true;
}

bool is_idempotent(Operation op, const json::Value& request) {
    switch (op) {
        case Operation::UpdateItem: {
            const json::Value* update = request.find("UpdateExpression");
            return update == nullptr || !update->is_string() ||
                   update_is_idempotent(update->as_string());
        }
        case Operation::TransactWriteItems: {
            const json::Value* token = request.find("ClientRequestToken");
            return token != nullptr && token->is_string() && !token->as_string().empty();
        }
        default: return true;
    }
}

}  // namespace bloop::detail
