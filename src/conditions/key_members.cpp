// Conditions on members kept in key templates, written on the key attributes: equalities on a
// template's leading placeholders, then at most one comparison on the next, as DynamoDB reads a
// sort key left to right.

#include <bloop/exceptions.hpp>
#include <bloop/model/model.hpp>

#include "conditions/key_members.hpp"

#include <algorithm>
#include <sstream>

namespace bloop::detail {
namespace {

using Op = Condition::Op;

const AttributeValue& value_of(const Condition& c, std::size_t i) {
    const auto& v = std::get<std::optional<AttributeValue>>(c.operands()[i]);
    if (!v) {
        std::ostringstream text;
        text << c;
        throw InvalidCondition("'" + c.path().model->name + "': the condition " + text.str() +
                               " compares key member '" + c.path().to_string() +
                               "' with no value");
    }
    return *v;
}

// The templates to try, `preferred` key columns (none: the table's) first, then the others.
std::vector<const KeyTemplateInfo*> template_order(const ModelInfo& m,
                                                   std::span<const std::size_t> preferred) {
    std::vector<const KeyTemplateInfo*> out;
    const KeyColumns table_keys = m.key_columns();
    if (preferred.empty()) preferred = {table_keys.begin(), table_keys.end()};
    for (const auto column : preferred) {
        for (const auto& t : m.key_templates) {
            if (t.column == column) out.push_back(&t);
        }
    }
    for (const auto& t : m.key_templates) {
        if (std::find(out.begin(), out.end(), &t) == out.end()) out.push_back(&t);
    }
    return out;
}

// Writes as many of `pending` as template `t` can take; removes them from `pending`.
std::optional<Condition> take(const ModelInfo& m, const KeyTemplateInfo& t,
                              std::vector<Condition>& pending) {
    const auto find = [&](std::size_t placeholder, bool equality) {
        return std::find_if(pending.begin(), pending.end(), [&](const Condition& c) {
            return c.path().to_string() == t.placeholders[placeholder].member &&
                   (c.op() == Op::eq) == equality;
        });
    };
    std::string prefix = t.literals.front();
    std::vector<std::vector<Condition>::iterator> used;
    std::size_t k = 0;
    for (; k < t.placeholders.size(); ++k) {
        const auto eq = find(k, true);
        if (eq == pending.end()) break;
        prefix += render_placeholder(t, k, value_of(*eq, 0)) + t.literals[k + 1];
        used.push_back(eq);
    }
    const Path column = Path::of_column(m, t.column);
    const auto value = [](std::string s) {
        return Operand(std::optional<AttributeValue>(AttributeValue::string(std::move(s))));
    };
    std::optional<Condition> out;
    if (t.placeholders.empty()) return std::nullopt;
    if (k == t.placeholders.size()) {
        out = Condition::compare(Op::eq, column, {value(prefix)});
    } else if (const auto next = find(k, false); next != pending.end()) {
        const bool last = k + 1 == t.placeholders.size();
        const std::string& before = prefix;  // the fixed text and the values already equal
        const auto rendered = [&](std::size_t i) {
            return before + render_placeholder(t, k, value_of(*next, i)) + t.literals[k + 1];
        };
        switch (next->op()) {
            case Op::begins_with:
                out = Condition::compare(
                    Op::begins_with, column,
                    {value(before + render_placeholder(t, k, value_of(*next, 0)))});
                break;
            case Op::lt:
            case Op::le:
            case Op::gt:
            case Op::ge:
                if (last) out = Condition::compare(next->op(), column, {value(rendered(0))});
                break;
            case Op::between:
                if (last)
                    out = Condition::compare(Op::between, column,
                                             {value(rendered(0)), value(rendered(1))});
                break;
            default: break;
        }
        if (out) used.push_back(next);
    }
    if (!out && k > 0) out = Condition::compare(Op::begins_with, column, {value(prefix)});
    if (!out) return std::nullopt;
    // Erase back to front so the iterators stay valid.
    std::sort(used.begin(), used.end(), [](auto a, auto b) { return a > b; });
    for (const auto it : used) pending.erase(it);
    return out;
}

Condition lower_group(const ModelInfo& m, std::vector<Condition> pending,
                      std::span<const std::size_t> preferred) {
    Condition out;
    for (const KeyTemplateInfo* t : template_order(m, preferred)) {
        if (pending.empty()) break;
        while (auto c = take(m, *t, pending)) out &= std::move(*c);
    }
    if (!pending.empty()) {
        std::ostringstream text;
        text << pending.front();
        throw InvalidCondition(
            "'" + m.name + "': the condition " + text.str() + " on key member '" +
            pending.front().path().to_string() +
            "' cannot be written on a key template of the model: a key member takes == on a "
            "template's leading placeholders, then begins_with on the next one, or <, <=, >, >=, "
            "between on its last one");
    }
    return out;
}

bool is_key_comparison(const Condition& c) {
    return !c.empty() && c.op() != Op::and_ && c.op() != Op::or_ && c.op() != Op::not_ &&
           c.path().key_member;
}

}  // namespace

bool has_key_members(const Condition& c) {
    if (is_key_comparison(c)) return true;
    return std::any_of(c.children().begin(), c.children().end(),
                       [](const Condition& child) { return has_key_members(child); });
}

Condition lower_key_members(const Condition& c, std::span<const std::size_t> preferred) {
    if (!has_key_members(c)) return c;
    if (is_key_comparison(c)) return lower_group(*c.path().model, {c}, preferred);
    if (c.op() == Op::and_) {
        Condition out;
        std::vector<Condition> members;
        const ModelInfo* model = nullptr;
        for (const auto& child : c.children()) {
            if (is_key_comparison(child)) {
                model = child.path().model;
                members.push_back(child);
            } else {
                out &= lower_key_members(child, preferred);
            }
        }
        if (model != nullptr) out &= lower_group(*model, std::move(members), preferred);
        return out;
    }
    std::vector<Condition> children;
    for (const auto& child : c.children()) children.push_back(lower_key_members(child, preferred));
    if (c.op() == Op::not_) return !std::move(children.front());
    return Condition::group(c.op(), std::move(children));
}

}  // namespace bloop::detail
