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

// The member a key member comparison is on.
const std::string& member_of(const Condition& c) {
    return std::get<std::string>(c.path().segments.front());
}

const AttributeValue& value_of(const Condition& c, std::size_t i) {
    const auto& v = std::get<std::optional<AttributeValue>>(c.operands()[i]);
    if (!v) {
        std::ostringstream text;
        text << c;
        throw InvalidCondition("'" + c.path().model->name + "': the condition " + text.str() +
                               " compares key member '" + member_of(c) + "' with no value");
    }
    return *v;
}

// Calls `f` with each template to try: `preferred` key columns' (none: the table's keys') first,
// then the others; stops when `f` returns false.
template <class F>
void each_template(const ModelInfo& m, std::span<const std::size_t> preferred, F&& f) {
    const KeyColumns table_keys = m.key_columns();
    if (preferred.empty()) preferred = {table_keys.begin(), table_keys.end()};
    const auto is_preferred = [&](const KeyTemplateInfo& t) {
        return std::find(preferred.begin(), preferred.end(), t.column) != preferred.end();
    };
    for (const auto column : preferred) {
        for (const auto& t : m.key_templates) {
            if (t.column == column && !f(t)) return;
        }
    }
    for (const auto& t : m.key_templates) {
        if (!is_preferred(t) && !f(t)) return;
    }
}

using Pending = std::vector<const Condition*>;

// Writes as many of `pending` as template `t` can take; removes them from `pending`.
std::optional<Condition> take(const ModelInfo& m, const KeyTemplateInfo& t, Pending& pending) {
    const auto find = [&](std::size_t placeholder, bool equality) {
        return std::find_if(pending.begin(), pending.end(), [&](const Condition* c) {
            return member_of(*c) == t.placeholders[placeholder].member &&
                   (c->op() == Op::eq) == equality;
        });
    };
    if (t.placeholders.empty()) return std::nullopt;
    std::string prefix = t.literals.front();
    std::vector<Pending::iterator> used;
    used.reserve(t.placeholders.size());
    std::size_t k = 0;
    for (; k < t.placeholders.size(); ++k) {
        const auto eq = find(k, true);
        if (eq == pending.end()) break;
        append_placeholder(prefix, t, k, value_of(**eq, 0));
        prefix += t.literals[k + 1];
        used.push_back(eq);
    }
    const auto next = k < t.placeholders.size() ? find(k, false) : pending.end();
    if (k == 0 && next == pending.end()) return std::nullopt;  // nothing for this template
    const auto value = [](std::string text) {
        return Operand(std::optional<AttributeValue>(AttributeValue::string(std::move(text))));
    };
    std::optional<Condition> out;
    if (k == t.placeholders.size()) {
        out = Condition::compare(Op::eq, Path::of_column(m, t.column), {value(std::move(prefix))});
    } else if (next != pending.end()) {
        const bool last = k + 1 == t.placeholders.size();
        // The fixed text and the values already equal, then this placeholder's value.
        const auto rendered = [&](std::size_t i, bool whole) {
            std::string text = prefix;
            append_placeholder(text, t, k, value_of(**next, i));
            if (whole) text += t.literals[k + 1];
            return text;
        };
        const Condition& c = **next;
        switch (c.op()) {
            case Op::begins_with:
                out = Condition::compare(Op::begins_with, Path::of_column(m, t.column),
                                         {value(rendered(0, false))});
                break;
            case Op::lt:
            case Op::le:
            case Op::gt:
            case Op::ge:
                if (last)
                    out = Condition::compare(c.op(), Path::of_column(m, t.column),
                                             {value(rendered(0, true))});
                break;
            case Op::between:
                if (last)
                    out = Condition::compare(Op::between, Path::of_column(m, t.column),
                                             {value(rendered(0, true)), value(rendered(1, true))});
                break;
            default: break;
        }
        if (out) used.push_back(next);
    }
    if (!out && k > 0)
        out = Condition::compare(Op::begins_with, Path::of_column(m, t.column), {value(prefix)});
    if (!out) return std::nullopt;
    // Erase back to front so the iterators stay valid.
    std::sort(used.begin(), used.end(), [](auto a, auto b) { return a > b; });
    for (const auto it : used) pending.erase(it);
    return out;
}

Condition lower_group(const ModelInfo& m, Pending pending, std::span<const std::size_t> preferred) {
    Condition out;
    each_template(m, preferred, [&](const KeyTemplateInfo& t) {
        while (auto c = take(m, t, pending)) out &= std::move(*c);
        return !pending.empty();
    });
    if (!pending.empty()) {
        std::ostringstream text;
        text << *pending.front();
        throw InvalidCondition(
            "'" + m.name + "': the condition " + text.str() + " on key member '" +
            member_of(*pending.front()) +
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
    if (is_key_comparison(c)) return lower_group(*c.path().model, {&c}, preferred);
    if (c.op() == Op::and_) {
        Condition out;
        Pending members;
        members.reserve(c.children().size());
        const ModelInfo* model = nullptr;
        for (const auto& child : c.children()) {
            if (is_key_comparison(child)) {
                model = child.path().model;
                members.push_back(&child);
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
