#pragma once
/// \file
/// Rendering conditions, projections and updates into DynamoDB expression text. One `Renderer` per
/// request: its reference tracker is shared by every expression of that request, so each attribute
/// name gets one `#nN` placeholder and every value its own `:vN`. Every name and value goes through
/// a placeholder; user text never becomes expression syntax. Same input, same output.
///
/// ```cpp
/// bloop::Renderer r;
/// request["ConditionExpression"] = *r.condition((attr<&Account::email> == "a@b.c").condition());
/// r.write_attributes(request);   // ExpressionAttributeNames / ExpressionAttributeValues
/// ```
///
/// Requests written as text take what was rendered with `take_attributes()` instead.

#include <bloop/conditions/condition.hpp>
#include <bloop/json/json.hpp>
#include <bloop/types/attribute_value.hpp>

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace bloop {

/// The actions of an UpdateExpression, rendered in this order.
struct UpdateActions {
    std::vector<std::pair<Path, AttributeValue>> set;  ///< SET path=:v
    /// SET path=if_not_exists(path, :v)
    std::vector<std::pair<Path, AttributeValue>> set_if_missing;
    /// SET path=list_append(if_not_exists(path, :empty), :v)
    std::vector<std::pair<Path, AttributeValue>> append;
    /// SET path=list_append(:v, if_not_exists(path, :empty))
    std::vector<std::pair<Path, AttributeValue>> prepend;
    std::vector<Path> remove;                          ///< REMOVE path
    std::vector<std::pair<Path, AttributeValue>> add;  ///< ADD path :v (numbers and sets)
    /// DELETE path :v (set elements).
    std::vector<std::pair<Path, AttributeValue>> remove_elements;
    [[nodiscard]] bool empty() const noexcept {
        return set.empty() && set_if_missing.empty() && append.empty() && prepend.empty() &&
               remove.empty() && add.empty() && remove_elements.empty();
    }
};

/// What a request's expressions refer to: its ExpressionAttributeNames and
/// ExpressionAttributeValues.
struct ExpressionAttributes {
    /// "#n0" → attribute name, in the order the placeholders were made.
    std::vector<std::pair<std::string, std::string>> names;
    /// The members of ExpressionAttributeValues as JSON text (`":v1":{"S":"a"},":v2":{"N":"3"}`);
    /// empty when no value is used.
    std::string values;
    /// Appends the value member `placeholder` (":next").
    void add_value(std::string_view placeholder, const AttributeValue& value);
};

/// Renders the expressions of one request.
class Renderer {
  public:
    /// The text of `c` for a ConditionExpression, FilterExpression or KeyConditionExpression;
    /// nullopt for the empty condition. Throws InvalidCondition naming the path when a comparison
    /// has no value, an IN has no values, or an AND/OR is empty; the placeholders the failed
    /// condition took are released.
    [[nodiscard]] std::optional<std::string> condition(const Condition& c);
    /// "#n0, #n1.#n2" for a ProjectionExpression.
    [[nodiscard]] std::string projection(std::span<const Path> paths);
    /// "SET #n0=:v1, #n2=if_not_exists(#n2, :v3) REMOVE #n4 ADD #n5 :v6 DELETE #n7 :v8"; nullopt
    /// when empty. Within SET: plain values, then set_if_missing, append, prepend.
    [[nodiscard]] std::optional<std::string> update(const UpdateActions& actions);

    /// Adds ExpressionAttributeNames and ExpressionAttributeValues to `request`, each only when
    /// something uses it.
    void write_attributes(json::Value& request) const;
    /// Moves out the names and values the expressions rendered so far use; the renderer is left
    /// empty (its next placeholders start at 0 again).
    [[nodiscard]] ExpressionAttributes take_attributes();
    /// Placeholder → attribute name, in the order they were made.
    [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& names() const noexcept {
        return names_;
    }
    /// How many value placeholders are in use.
    [[nodiscard]] std::size_t value_count() const noexcept { return value_offsets_.size(); }
    /// The ExpressionAttributeValues object as JSON text ("{}" when none).
    [[nodiscard]] std::string values_json() const { return "{" + values_json_ + "}"; }

  private:
    struct Attempt;
    const std::string& name_ref(const std::string& name, Attempt& attempt);
    std::string value_ref(const AttributeValue& value, Attempt& attempt);
    void path(std::string& out, const Path& p, Attempt& attempt);
    void operand(std::string& out, const Operand& o, const Condition& c, Attempt& attempt);
    void render(std::string& out, const Condition& c, Attempt& attempt);
    void release(const Attempt& attempt);

    std::size_t next_ = 0;
    std::vector<std::pair<std::string, std::string>> names_;
    std::vector<std::size_t> name_uses_;
    // Values are written as JSON when their placeholder is made: `":v1":{"N":"3"},...`.
    std::string values_json_;
    std::vector<std::size_t> value_offsets_;  // where each value's entry starts
};

}  // namespace bloop
