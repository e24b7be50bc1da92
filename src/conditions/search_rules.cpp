#include <bloop/conditions/search_rules.hpp>
#include <bloop/exceptions.hpp>

#include <algorithm>
#include <set>

namespace bloop {

std::string SearchTarget::describe() const {
    if (index == nullptr) return "<Model[" + model->name + "]>";
    return std::string(index->kind == IndexKind::global ? "<GSI[" : "<LSI[") + model->name + "." +
           index->name + "]>";
}

std::optional<std::size_t> SearchTarget::hash_key() const noexcept {
    return index != nullptr ? index->hash_key : model->hash_key;
}

std::optional<std::size_t> SearchTarget::range_key() const noexcept {
    return index != nullptr ? index->range_key : model->range_key;
}

const ProjectionInfo& SearchTarget::projection() const noexcept {
    return index != nullptr ? index->projection : model->projection;
}

namespace {

bool has_value(const Condition& c) {
    if (c.operands().empty()) return false;
    for (const auto& o : c.operands()) {
        const auto* v = std::get_if<std::optional<AttributeValue>>(&o);
        if (v == nullptr || !v->has_value()) return false;  // a path, or no value
    }
    return true;
}

// A comparison on exactly the column `column` of the target's model, against values.
bool on_column(const SearchTarget& t, const Condition& c, std::size_t column) {
    return c.path().model == t.model && c.path().is_column() && c.path().column == column &&
           has_value(c);
}

bool is_range_condition(Condition::Op op) {
    using Op = Condition::Op;
    return op == Op::eq || op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge ||
           op == Op::between || op == Op::begins_with;
}

void each_comparison(const Condition& c, const auto& visit) {
    if (c.op() == Condition::Op::and_ || c.op() == Condition::Op::or_ ||
        c.op() == Condition::Op::not_) {
        for (const auto& child : c.children()) each_comparison(child, visit);
    } else if (!c.empty()) {
        visit(c);
    }
}

std::string column_label(const ModelInfo& m, std::size_t column) {
    return "'" + m.name + "." + m.columns[column].name + "'";
}

}  // namespace

namespace {

// A multi-attribute GSI key: an equality on every hash attribute; on the range attributes,
// equalities on the first ones, then at most one condition on the next (DynamoDB's rules).
void check_multi_attribute_key(const SearchTarget& t, const Condition& key) {
    std::vector<const Condition*> comparisons;
    if (key.op() == Condition::Op::and_) {
        for (const auto& c : key.children()) comparisons.push_back(&c);
    } else {
        comparisons.push_back(&key);
    }
    const auto label = [&](std::size_t c) { return column_label(*t.model, c); };
    std::vector<bool> used(comparisons.size(), false);
    const auto take = [&](std::size_t column, bool equality) -> const Condition* {
        for (std::size_t i = 0; i < comparisons.size(); ++i) {
            const Condition& c = *comparisons[i];
            if (used[i] || !on_column(t, c, column)) continue;
            if (equality ? c.op() != Condition::Op::eq : !is_range_condition(c.op())) continue;
            used[i] = true;
            return &c;
        }
        return nullptr;
    };
    for (const auto h : t.index->hash_keys()) {
        if (take(h, true) == nullptr) {
            throw InvalidKeyCondition("The key condition for a Query on " + t.describe() +
                                      " needs an equality on every hash key attribute; " +
                                      label(h) + " has none.");
        }
    }
    const auto range = t.index->range_keys();
    std::size_t next = 0;
    while (next < range.size() && take(range[next], true) != nullptr) ++next;
    if (next < range.size()) (void)take(range[next], false);
    for (std::size_t i = 0; i < comparisons.size(); ++i) {
        if (used[i]) continue;
        throw InvalidKeyCondition(
            "Invalid key condition for a Query on " + t.describe() +
            ": its range key attributes are read left to right — equalities on the first ones, "
            "then at most one condition on the next" +
            (next < range.size() ? " (" + label(range[next]) + ")" : std::string()));
    }
}

}  // namespace

void check_key_condition(const SearchTarget& t, const Condition& key) {
    if (t.index != nullptr &&
        (!t.index->more_hash_keys.empty() || !t.index->more_range_keys.empty())) {
        return check_multi_attribute_key(t, key);
    }
    const auto hash = t.hash_key();
    const auto range = t.range_key();
    const auto invalid = [&]() -> InvalidKeyCondition {
        if (!range) {
            return InvalidKeyCondition("The key condition for a Query on " + t.describe() +
                                       " must be `" + t.model->name + "." +
                                       t.model->columns[*hash].name + " == value`.");
        }
        return InvalidKeyCondition("Invalid key condition for a Query on " + t.describe() + ".");
    };
    const auto is_hash = [&](const Condition& c) {
        return c.op() == Condition::Op::eq && on_column(t, c, *hash);
    };
    if (!hash) throw invalid();
    if (is_hash(key)) return;
    if (key.op() != Condition::Op::and_ || key.children().size() != 2 || !range) throw invalid();
    const Condition& a = key.children()[0];
    const Condition& b = key.children()[1];
    const auto is_range = [&](const Condition& c) {
        return is_range_condition(c.op()) && on_column(t, c, *range);
    };
    if ((is_hash(a) && is_range(b)) || (is_hash(b) && is_range(a))) return;
    throw invalid();
}

void check_filter(const SearchTarget& t, const Condition& filter, bool query) {
    const auto& available = t.projection().available;
    std::set<std::size_t> keys;
    if (query) {
        if (const auto h = t.hash_key()) keys.insert(*h);
        if (const auto r = t.range_key()) keys.insert(*r);
        if (t.index != nullptr) {
            for (const auto k : t.index->hash_keys()) keys.insert(k);
            for (const auto k : t.index->range_keys()) keys.insert(k);
        }
    }
    const auto check_path = [&](const Path& p) {
        if (p.model != t.model) {
            throw InvalidFilterCondition("the filter names '" + p.to_string() +
                                         "', which is not a column of " + t.describe());
        }
        if (!std::binary_search(available.begin(), available.end(), p.column)) {
            throw InvalidFilterCondition(column_label(*t.model, p.column) +
                                         " is not available in " + t.describe() +
                                         "; a filter may only use the columns the target holds");
        }
        if (keys.count(p.column) != 0) {
            throw InvalidFilterCondition(column_label(*t.model, p.column) + " is a key of " +
                                         t.describe() +
                                         ": put it in the key condition, not the filter");
        }
    };
    each_comparison(filter, [&](const Condition& c) {
        check_path(c.path());
        for (const auto& o : c.operands()) {
            if (const auto* p = std::get_if<Path>(&o)) check_path(*p);
        }
    });
}

namespace {

// A model without an ObjectState saves every column (REMOVEing the empty ones), so an object that
// holds only some of its columns would lose the others at its next save: such reads are refused.
// (Every column but those the model never stores: m.projection.included.)
void require_whole_objects(const SearchTarget& t, const std::vector<std::size_t>& columns) {
    const ModelInfo& m = *t.model;
    if (m.state || columns.size() == m.projection.included.size()) return;
    std::string left_out;
    for (const std::size_t i : m.projection.included) {
        if (std::binary_search(columns.begin(), columns.end(), i)) continue;
        left_out += (left_out.empty() ? "" : ", ") + m.columns[i].name;
    }
    throw InvalidProjection(
        "a search of " + t.describe() + " would leave out " + left_out + ", but '" + m.name +
        "' has no ObjectState, so saving such an object would remove them; read every column, "
        "or give '" +
        m.name + "' a `bloop::ObjectState state{};` member to read part of them");
}

}  // namespace

ResolvedProjection resolve_projection(const SearchTarget& t, const ProjectionSpec& spec) {
    ResolvedProjection out;
    switch (spec.mode) {
        case ProjectionSpec::Mode::count: out.count = true; return out;
        case ProjectionSpec::Mode::all:
            out.columns = t.projection().included;
            require_whole_objects(t, out.columns);
            return out;
        case ProjectionSpec::Mode::columns: break;
    }
    if (spec.columns.empty())
        throw InvalidProjection("a projection needs at least one column (or \"all\", \"count\")");
    std::set<std::size_t> columns;
    const auto& available = t.projection().available;
    for (const auto& name : spec.columns) {
        const auto index = t.model->column_index(name);
        if (!index)
            throw InvalidProjection("'" + name + "' is not a column of " + t.describe() + ".");
        if (!std::binary_search(available.begin(), available.end(), *index)) {
            throw InvalidProjection(column_label(*t.model, *index) + " is not available in " +
                                    t.describe() + ".");
        }
        columns.insert(*index);
    }
    for (const auto key : t.model->key_columns()) columns.insert(key);  // results can be saved back
    out.columns.assign(columns.begin(), columns.end());
    require_whole_objects(t, out.columns);
    return out;
}

}  // namespace bloop
