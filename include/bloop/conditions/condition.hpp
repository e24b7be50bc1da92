#pragma once
/// \file
/// The runtime condition tree: what `bloop::attr<&T::m> == v` builds, what the renderer turns into
/// ConditionExpression / FilterExpression / KeyConditionExpression text. Usually built through the
/// typed front end (`<bloop/conditions/attr.hpp>`); usable directly for attributes not in a model.

#include <bloop/model/model_info.hpp>
#include <bloop/types/attribute_value.hpp>

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bloop {

/// One step of a document path: a map key or a list index.
using PathSegment = std::variant<std::string, std::size_t>;

/// An attribute path: the attribute's DynamoDB name, then map keys and list indexes
/// (`data.first[3]`). When it starts at a model's column, `model` and `column` say which.
struct Path {
    std::vector<PathSegment> segments;  ///< segments[0] is the attribute name
    /// The model whose column starts the path.
    const ModelInfo* model = nullptr;
    /// The column (index into the model's columns).
    std::size_t column = 0;
    /// segments[0] names a member of `model` kept in its key templates (single-table design):
    /// the comparison is written on key attributes before it is rendered.
    bool key_member = false;

    /// A path of one attribute name, outside any model.
    static Path attribute(std::string name);
    /// The path of column `column` of `model`.
    static Path of_column(const ModelInfo& model, std::size_t column);
    /// The path of member `member` of `model`, kept in its key templates.
    static Path of_key_member(const ModelInfo& model, std::string member);
    /// Whether this is a whole column (no map keys or indexes after it).
    [[nodiscard]] bool is_column() const noexcept { return segments.size() == 1; }
    /// "data.first[3]", for messages.
    [[nodiscard]] std::string to_string() const;
    friend bool operator==(const Path& a, const Path& b);
};

/// The right-hand side of a comparison: a dumped value (nullopt: no value) or another path.
using Operand = std::variant<std::optional<AttributeValue>, Path>;

/// A condition: empty, a comparison on a path, or AND / OR / NOT of conditions. Value type:
/// copies are independent. Combine with `&&`, `||`, `!`; the empty condition is neutral.
class Condition {
  public:
    /// What a condition node does: a combinator, a comparison or a function.
    enum class Op {
        empty,
        and_,
        or_,
        not_,
        eq,  ///< =, or attribute_not_exists when the value is no value
        ne,  ///< <>, or attribute_exists when the value is no value
        lt,
        le,
        gt,
        ge,
        begins_with,
        between,
        contains,
        in,
        exists,      ///< attribute_exists
        not_exists,  ///< attribute_not_exists
    };

    /// The empty condition (bloop's `Condition()`): renders nothing.
    Condition() = default;
    /// A comparison of `path` against `operands` (none for exists/not_exists, two for between,
    /// any number for in).
    static Condition compare(Op op, Path path, std::vector<Operand> operands = {});

    [[nodiscard]] bool empty() const noexcept { return op_ == Op::empty; }
    [[nodiscard]] Op op() const noexcept { return op_; }
    /// For comparisons.
    [[nodiscard]] const Path& path() const noexcept { return path_; }
    [[nodiscard]] const std::vector<Operand>& operands() const noexcept { return operands_; }
    /// For AND / OR / NOT.
    [[nodiscard]] const std::vector<Condition>& children() const noexcept { return children_; }
    /// The number of comparisons in the tree (bloop's `len`).
    [[nodiscard]] std::size_t size() const noexcept;

    /// AND; flattens nested ANDs; the empty condition is neutral.
    friend Condition operator&&(Condition a, Condition b);
    /// OR; flattens nested ORs; the empty condition is neutral.
    friend Condition operator||(Condition a, Condition b);
    /// NOT; `!!x` is `x`, `!Condition()` is `Condition()`.
    friend Condition operator!(Condition a);
    /// `*this = *this && other`.
    Condition& operator&=(Condition other) { return *this = std::move(*this) && std::move(other); }
    /// `*this = *this || other`.
    Condition& operator|=(Condition other) { return *this = std::move(*this) || std::move(other); }

    /// Structural equality: same operators, paths and values.
    friend bool operator==(const Condition& a, const Condition& b);

    /// An AND or OR of `children` exactly as given (no flattening), for callers that build trees.
    static Condition group(Op op, std::vector<Condition> children);

  private:
    /// AND or OR of `a` and `b`, flattening nested ones of the same op.
    static Condition combine(Op op, Condition a, Condition b);

    Op op_ = Op::empty;
    Path path_;
    std::vector<Operand> operands_;
    std::vector<Condition> children_;
};

/// A readable form for messages and test output: `(email = {"S":"a@b.c"})`.
std::ostream& operator<<(std::ostream& out, const Condition& c);

}  // namespace bloop
