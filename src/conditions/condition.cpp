#include <bloop/conditions/condition.hpp>
#include <bloop/exceptions.hpp>

#include <algorithm>
#include <ostream>

namespace bloop {

Path Path::attribute(std::string name) {
    Path p;
    p.segments.emplace_back(std::move(name));
    return p;
}

std::string Path::to_string() const {
    std::string out;
    for (const auto& s : segments) {
        if (const auto* name = std::get_if<std::string>(&s)) {
            if (!out.empty()) out.push_back('.');
            out += *name;
        } else {
            out += "[" + std::to_string(std::get<std::size_t>(s)) + "]";
        }
    }
    return out;
}

Path Path::of_column(const ModelInfo& model, std::size_t column) {
    Path p = attribute(model.columns[column].dynamo_name);
    p.model = &model;
    p.column = column;
    return p;
}

Path Path::of_key_member(const ModelInfo& model, std::string member) {
    Path p = attribute(std::move(member));
    p.model = &model;
    p.key_member = true;
    return p;
}

bool operator==(const Path& a, const Path& b) {
    return a.segments == b.segments && a.model == b.model && a.key_member == b.key_member;
}

Condition Condition::compare(Op op, Path path, std::vector<Operand> operands) {
    if (op == Op::empty || op == Op::and_ || op == Op::or_ || op == Op::not_) {
        throw InvalidCondition("Condition::compare takes a comparison operator");
    }
    if (path.segments.empty() || !std::holds_alternative<std::string>(path.segments.front())) {
        throw InvalidCondition("a condition's path must start with an attribute name");
    }
    // What the compiler checks for typed columns, checked on the values for dynamic ones.
    const auto allowed = [&](std::initializer_list<AttributeType> types, const char* what) {
        for (const auto& o : operands) {
            const auto* v = std::get_if<std::optional<AttributeValue>>(&o);
            if (v == nullptr || !v->has_value()) continue;
            if (std::find(types.begin(), types.end(), (*v)->type()) == types.end()) {
                throw InvalidCondition("Backing type '" + std::string(to_string((*v)->type())) +
                                       "' for " + path.to_string() +
                                       " does not support condition '" + what + "'.");
            }
        }
    };
    using T = AttributeType;
    switch (op) {
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge: allowed({T::S, T::N, T::B}, "comparison"); break;
        case Op::between: allowed({T::S, T::N, T::B}, "between"); break;
        case Op::begins_with: allowed({T::S, T::B}, "begins_with"); break;
        case Op::contains: allowed({T::S, T::N, T::B}, "contains"); break;
        default: break;
    }
    Condition c;
    c.op_ = op;
    c.path_ = std::move(path);
    c.operands_ = std::move(operands);
    return c;
}

Condition Condition::group(Op op, std::vector<Condition> children) {
    if (op != Op::and_ && op != Op::or_) throw InvalidCondition("Condition::group takes AND or OR");
    Condition c;
    c.op_ = op;
    c.children_ = std::move(children);
    return c;
}

std::size_t Condition::size() const noexcept {
    if (op_ == Op::empty) return 0;
    if (op_ != Op::and_ && op_ != Op::or_ && op_ != Op::not_) return 1;
    std::size_t n = 0;
    for (const auto& c : children_) n += c.size();
    return n;
}

Condition Condition::combine(Op op, Condition a, Condition b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    // Both sides are ours: their children move into the result, flattened.
    std::vector<Condition> children;
    children.reserve((a.op_ == op ? a.children_.size() : 1) +
                     (b.op_ == op ? b.children_.size() : 1));
    for (Condition* side : {&a, &b}) {
        if (side->op_ == op) {
            for (auto& c : side->children_) children.push_back(std::move(c));
        } else {
            children.push_back(std::move(*side));
        }
    }
    return Condition::group(op, std::move(children));
}

Condition operator&&(Condition a, Condition b) {
    return Condition::combine(Condition::Op::and_, std::move(a), std::move(b));
}

Condition operator||(Condition a, Condition b) {
    return Condition::combine(Condition::Op::or_, std::move(a), std::move(b));
}

Condition operator!(Condition a) {
    if (a.empty()) return a;
    if (a.op_ == Condition::Op::not_) return std::move(a.children_.front());
    Condition c;
    c.op_ = Condition::Op::not_;
    c.children_.push_back(std::move(a));
    return c;
}

bool operator==(const Condition& a, const Condition& b) {
    return a.op_ == b.op_ && a.path_ == b.path_ && a.operands_ == b.operands_ &&
           a.children_ == b.children_;
}

namespace {
const char* op_text(Condition::Op op) {
    switch (op) {
        case Condition::Op::eq: return "=";
        case Condition::Op::ne: return "<>";
        case Condition::Op::lt: return "<";
        case Condition::Op::le: return "<=";
        case Condition::Op::gt: return ">";
        case Condition::Op::ge: return ">=";
        case Condition::Op::begins_with: return "begins_with";
        case Condition::Op::between: return "BETWEEN";
        case Condition::Op::contains: return "contains";
        case Condition::Op::in: return "IN";
        case Condition::Op::exists: return "attribute_exists";
        case Condition::Op::not_exists: return "attribute_not_exists";
        default: return "";
    }
}
}  // namespace

std::ostream& operator<<(std::ostream& out, const Condition& c) {
    switch (c.op()) {
        case Condition::Op::empty: return out << "(empty)";
        case Condition::Op::not_: return out << "(NOT " << c.children().front() << ")";
        case Condition::Op::and_:
        case Condition::Op::or_: {
            out << "(";
            for (std::size_t i = 0; i < c.children().size(); ++i) {
                if (i != 0) out << (c.op() == Condition::Op::and_ ? " AND " : " OR ");
                out << c.children()[i];
            }
            return out << ")";
        }
        default: {
            out << "(" << c.path().to_string() << " " << op_text(c.op());
            for (const auto& operand : c.operands()) {
                out << " ";
                if (const auto* p = std::get_if<Path>(&operand)) {
                    out << p->to_string();
                } else if (const auto& v = std::get<std::optional<AttributeValue>>(operand)) {
                    out << *v;
                } else {
                    out << "(no value)";
                }
            }
            return out << ")";
        }
    }
}

}  // namespace bloop
