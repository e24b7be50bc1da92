#include "client/idempotency.hpp"

#include <strings.h>

namespace bloop::detail {
namespace {

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '#' || c == ':';
}

// Whether `word` occurs in `text` as a whole word, ignoring case.
bool has_word(std::string_view text, std::string_view word) {
    for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
        if (strncasecmp(text.data() + i, word.data(), word.size()) != 0) continue;
        const bool starts = i == 0 || !is_word_char(text[i - 1]);
        const bool ends = i + word.size() == text.size() || !is_word_char(text[i + word.size()]);
        if (starts && ends) return true;
    }
    return false;
}

}  // namespace

bool update_is_idempotent(std::string_view expression) noexcept {
    // Placeholders and attribute names in an expression cannot hold '+' or '-'; values live in
    // ExpressionAttributeValues. So these characters are always arithmetic.
    if (expression.find_first_of("+-") != std::string_view::npos) return false;
    return !has_word(expression, "ADD") && !has_word(expression, "list_append");
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
