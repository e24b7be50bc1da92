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

namespace {

bool has_token(const json::Value& request, std::string_view member) {
    const json::Value* token = request.find(member);
    return token != nullptr && token->is_string() && !token->as_string().empty();
}

// A PartiQL statement that only reads: one beginning with the word SELECT (any case).
bool reads_only(const json::Value* statement) {
    if (statement == nullptr || !statement->is_string()) return false;
    std::string_view text = statement->as_string();
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                             text.front() == '\r'))
        text.remove_prefix(1);
    return text.size() > 6 && ascii_iequals(text.substr(0, 6), "SELECT") &&
           !is_ascii_alnum(text[6]) && text[6] != '_';
}

// Reads, by the verbs of DynamoDB's API model: applying them twice changes nothing.
bool is_read(std::string_view name) {
    for (const std::string_view verb :
         {"Describe", "Get", "List", "Query", "Scan", "BatchGet", "TransactGet", "SearchVectors"}) {
        if (name.substr(0, verb.size()) == verb) return true;
    }
    return false;
}

}  // namespace

bool is_idempotent(Operation op, const json::Value& request) {
    switch (op) {
        case Operation::UpdateItem: {
            const json::Value* update = request.find("UpdateExpression");
            return update == nullptr || !update->is_string() ||
                   update_is_idempotent(update->as_string());
        }
        case Operation::TransactWriteItems:
        case Operation::ExecuteTransaction: return has_token(request, "ClientRequestToken");
        case Operation::ExportTableToPointInTime:
        case Operation::ImportTable: return has_token(request, "ClientToken");
        case Operation::ExecuteStatement: return reads_only(request.find("Statement"));
        case Operation::BatchExecuteStatement: {
            const json::Value* statements = request.find("Statements");
            if (statements == nullptr || !statements->is_array()) return false;
            for (const json::Value& s : statements->as_array()) {
                if (!s.is_object() || !reads_only(s.find("Statement"))) return false;
            }
            return true;
        }
        // Absolute writes: applying them again leaves what applying them once left.
        case Operation::PutItem:
        case Operation::DeleteItem:
        case Operation::BatchWriteItem:
        case Operation::CreateTable:
        case Operation::DeleteTable:
        case Operation::UpdateTable:
        case Operation::UpdateTimeToLive:
        case Operation::UpdateContinuousBackups:
        case Operation::TagResource:
        case Operation::UntagResource: return true;
        // Every other write (backups, restores, global tables, policies, ...) may do something
        // twice, or fail the second time for a first that succeeded: never sent again.
        default: return is_read(operation_name(op));
    }
}

}  // namespace bloop::detail
