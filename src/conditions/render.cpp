#include <bloop/conditions/render.hpp>
#include <bloop/exceptions.hpp>

#include "conditions/key_members.hpp"
#include "json/text.hpp"

#include <algorithm>

namespace bloop {

// The placeholders one rendering took, so a failure can give them back.
struct Renderer::Attempt {
    std::vector<std::size_t> names;  // indexes into names_, one per use
    std::size_t values_before = 0;
};

const std::string& Renderer::name_ref(const std::string& name, Attempt& attempt) {
    if (attempt.names.empty()) attempt.names.reserve(16);  // one allocation, not one per doubling
    for (std::size_t i = 0; i < names_.size(); ++i) {
        if (names_[i].second == name) {
            ++name_uses_[i];
            attempt.names.push_back(i);
            return names_[i].first;
        }
    }
    if (names_.empty()) {
        names_.reserve(16);
        name_uses_.reserve(16);
    }
    names_.emplace_back("#n" + std::to_string(next_++), name);
    name_uses_.push_back(1);
    attempt.names.push_back(names_.size() - 1);
    return names_.back().first;
}

std::string Renderer::value_ref(const AttributeValue& value, Attempt&) {
    std::string ref = ":v" + std::to_string(next_++);
    if (value_offsets_.empty()) {
        values_json_.reserve(512);
        value_offsets_.reserve(32);
    }
    value_offsets_.push_back(values_json_.size());
    if (!values_json_.empty()) values_json_.push_back(',');
    values_json_.push_back('"');  // placeholders are plain ASCII: no escaping needed
    values_json_ += ref;
    values_json_ += "\":";
    json::write_attribute(values_json_, value);
    return ref;
}

void Renderer::release(const Attempt& attempt) {
    if (attempt.values_before < value_offsets_.size()) {
        values_json_.resize(value_offsets_[attempt.values_before]);
        value_offsets_.resize(attempt.values_before);
    }
    std::vector<bool> gone(names_.size(), false);
    for (const auto i : attempt.names) {
        if (--name_uses_[i] == 0) gone[i] = true;
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < names_.size(); ++i) {
        if (gone[i]) continue;
        if (kept != i) {  // never self-move: it may empty the string
            names_[kept] = std::move(names_[i]);
            name_uses_[kept] = name_uses_[i];
        }
        ++kept;
    }
    names_.resize(kept);
    name_uses_.resize(kept);
}

void Renderer::path(std::string& out, const Path& p, Attempt& attempt) {
    bool first = true;
    for (const auto& segment : p.segments) {
        if (const auto* name = std::get_if<std::string>(&segment)) {
            if (!first) out.push_back('.');
            out += name_ref(*name, attempt);
        } else {
            out.push_back('[');
            out += std::to_string(std::get<std::size_t>(segment));
            out.push_back(']');
        }
        first = false;
    }
}

void Renderer::operand(std::string& out, const Operand& o, const Condition& c, Attempt& attempt) {
    if (const auto* p = std::get_if<Path>(&o)) {
        if (p->segments == c.path().segments) {
            throw InvalidCondition("the condition compares '" + c.path().to_string() +
                                   "' with itself, which DynamoDB rejects");
        }
        path(out, *p, attempt);
        return;
    }
    const auto& value = std::get<std::optional<AttributeValue>>(o);
    if (!value) {
        throw InvalidCondition(
            "the condition on '" + c.path().to_string() +
            "' compares with no value (an empty or missing value); use is_missing() or exists()");
    }
    out += value_ref(*value, attempt);
}

namespace {
const char* comparison(Condition::Op op) {
    switch (op) {
        case Condition::Op::eq: return " = ";
        case Condition::Op::ne: return " <> ";
        case Condition::Op::lt: return " < ";
        case Condition::Op::le: return " <= ";
        case Condition::Op::gt: return " > ";
        default: return " >= ";
    }
}

bool no_value(const Operand& o) {
    const auto* v = std::get_if<std::optional<AttributeValue>>(&o);
    return v != nullptr && !v->has_value();
}
}  // namespace

void Renderer::render(std::string& out, const Condition& c, Attempt& attempt) {
    using Op = Condition::Op;
    const auto arity = [&](std::size_t n) {
        if (c.operands().size() != n) {
            throw InvalidCondition("the condition on '" + c.path().to_string() + "' needs " +
                                   std::to_string(n) + " value(s), got " +
                                   std::to_string(c.operands().size()));
        }
    };
    switch (c.op()) {
        case Op::empty: throw InvalidCondition("an empty condition inside AND, OR or NOT");
        case Op::and_:
        case Op::or_: {
            if (c.children().empty()) {
                throw InvalidCondition(std::string("an ") + (c.op() == Op::and_ ? "AND" : "OR") +
                                       " condition with nothing in it");
            }
            out.push_back('(');
            for (std::size_t i = 0; i < c.children().size(); ++i) {
                if (i != 0) out += c.op() == Op::and_ ? " AND " : " OR ";
                render(out, c.children()[i], attempt);
            }
            out.push_back(')');
            return;
        }
        case Op::not_:
            out += "(NOT ";
            render(out, c.children().front(), attempt);
            out.push_back(')');
            return;
        case Op::eq:
        case Op::ne:
            arity(1);
            if (no_value(c.operands()[0])) {
                out += c.op() == Op::eq ? "(attribute_not_exists(" : "(attribute_exists(";
                path(out, c.path(), attempt);
                out += "))";
                return;
            }
            [[fallthrough]];
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge:
            arity(1);
            out.push_back('(');
            path(out, c.path(), attempt);
            out += comparison(c.op());
            operand(out, c.operands()[0], c, attempt);
            out.push_back(')');
            return;
        case Op::begins_with:
        case Op::contains:
            arity(1);
            out += c.op() == Op::begins_with ? "(begins_with(" : "(contains(";
            path(out, c.path(), attempt);
            out += ", ";
            operand(out, c.operands()[0], c, attempt);
            out += "))";
            return;
        case Op::between:
            arity(2);
            out.push_back('(');
            path(out, c.path(), attempt);
            out += " BETWEEN ";
            operand(out, c.operands()[0], c, attempt);
            out += " AND ";
            operand(out, c.operands()[1], c, attempt);
            out.push_back(')');
            return;
        case Op::in: {
            if (c.operands().empty()) {
                throw InvalidCondition("the IN condition on '" + c.path().to_string() +
                                       "' has no values");
            }
            // Values take their placeholders before the path, as bloop's do.
            std::string values;
            for (std::size_t i = 0; i < c.operands().size(); ++i) {
                if (i != 0) values += ", ";
                operand(values, c.operands()[i], c, attempt);
            }
            out.push_back('(');
            path(out, c.path(), attempt);
            out += " IN (" + values + "))";
            return;
        }
        case Op::exists:
        case Op::not_exists:
            out += c.op() == Op::exists ? "(attribute_exists(" : "(attribute_not_exists(";
            path(out, c.path(), attempt);
            out += "))";
            return;
    }
}

std::optional<std::string> Renderer::condition(const Condition& c) {
    if (c.empty()) return std::nullopt;
    if (detail::has_key_members(c)) return condition(detail::lower_key_members(c));
    Attempt attempt;
    attempt.names.reserve(32);
    attempt.values_before = value_offsets_.size();
    std::string out;
    out.reserve(256);
    try {
        render(out, c, attempt);
    } catch (...) {
        release(attempt);
        throw;
    }
    return out;
}

std::string Renderer::projection(std::span<const Path> paths) {
    Attempt attempt;
    std::string out;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (i != 0) out += ", ";
        path(out, paths[i], attempt);
    }
    return out;
}

std::optional<std::string> Renderer::update(const UpdateActions& actions) {
    if (actions.empty()) return std::nullopt;
    Attempt attempt;
    std::string out;
    out.reserve(32 * (actions.set.size() + actions.set_if_missing.size() + actions.append.size() +
                      actions.prepend.size() + actions.remove.size() + actions.add.size() +
                      actions.remove_elements.size()));
    const auto clause = [&](const char* keyword, const auto& items, auto&& one) {
        if (items.empty()) return;
        if (!out.empty()) out.push_back(' ');
        out += keyword;
        for (std::size_t i = 0; i < items.size(); ++i) {
            out += i == 0 ? " " : ", ";
            one(items[i]);
        }
    };
    // SET's entries of every form, in one clause.
    enum class Form { value, if_missing, append, prepend };
    std::vector<std::pair<Form, const std::pair<Path, AttributeValue>*>> sets;
    sets.reserve(actions.set.size() + actions.set_if_missing.size() + actions.append.size() +
                 actions.prepend.size());
    for (const auto& a : actions.set) sets.emplace_back(Form::value, &a);
    for (const auto& a : actions.set_if_missing) sets.emplace_back(Form::if_missing, &a);
    for (const auto& a : actions.append) sets.emplace_back(Form::append, &a);
    for (const auto& a : actions.prepend) sets.emplace_back(Form::prepend, &a);
    const AttributeValue empty_list = AttributeValue::list({});
    clause("SET", sets, [&](const std::pair<Form, const std::pair<Path, AttributeValue>*>& entry) {
        const auto& [target, value] = *entry.second;
        std::string p;
        path(p, target, attempt);
        out += p;
        out.push_back('=');
        switch (entry.first) {
            case Form::value: out += value_ref(value, attempt); break;
            case Form::if_missing:
                out += "if_not_exists(" + p + ", " + value_ref(value, attempt) + ")";
                break;
            case Form::append: {
                // Placeholders numbered in reading order.
                const std::string empty = value_ref(empty_list, attempt);
                out += "list_append(if_not_exists(" + p + ", " + empty + "), " +
                       value_ref(value, attempt) + ")";
                break;
            }
            case Form::prepend: {
                const std::string v = value_ref(value, attempt);
                out += "list_append(" + v + ", if_not_exists(" + p + ", " +
                       value_ref(empty_list, attempt) + "))";
                break;
            }
        }
    });
    clause("REMOVE", actions.remove, [&](const Path& p) { path(out, p, attempt); });
    const auto with_value = [&](const std::pair<Path, AttributeValue>& a) {
        path(out, a.first, attempt);
        out.push_back(' ');
        out += value_ref(a.second, attempt);
    };
    clause("ADD", actions.add, with_value);
    clause("DELETE", actions.remove_elements, with_value);
    return out;
}

void Renderer::write_attributes(json::Value& request) const {
    if (!names_.empty()) {
        json::Value& names = request["ExpressionAttributeNames"];
        for (const auto& [ref, name] : names_) names[ref] = name;
    }
    if (!value_offsets_.empty()) request["ExpressionAttributeValues"] = json::parse(values_json());
}

ExpressionAttributes Renderer::take_attributes() {
    ExpressionAttributes out{std::move(names_), std::move(values_json_)};
    *this = Renderer();
    return out;
}

void ExpressionAttributes::add_value(std::string_view placeholder, const AttributeValue& value) {
    if (!values.empty()) values.push_back(',');
    json::detail::write_string(values, placeholder);
    values.push_back(':');
    json::write_attribute(values, value);
}

}  // namespace bloop
