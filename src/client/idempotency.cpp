#include "client/idempotency.hpp"

#include <strings.h>

namespace bloop::detail {
namespace {

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '#' || c == ':';
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool update_is_idempotent(std::string_view expression) noexcept {
    // Placeholders and attribute names in an expression cannot hold '+' or '-'; values live in
    // ExpressionAttributeValues. So these characters are always arithmetic.
    if (expression.find_first_of("+-") != std::string_view::npos) return false;
    // One pass over the words: neither the ADD clause nor list_append (in any case) may occur.
    for (std::size_t i = 0; i < expression.size();) {
        if (!is_word_char(expression[i])) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < expression.size() && is_word_char(expression[i])) ++i;
        const std::string_view word = expression.substr(start, i - start);
        if (iequals(word, "ADD") || iequals(word, "list_append")) return false;
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
