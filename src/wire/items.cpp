// The item operations' bodies, written member by member into text in the API reference's order.

#include "wire/items.hpp"

#include <bloop/json/json.hpp>

#include "json/text.hpp"
#include "wire/reading.hpp"

namespace bloop::detail::wire {
namespace {

// Appends `"name":` after a comma when the object already has a member.
void put_name(std::string& out, std::string_view name) {
    if (out.size() > 1) out.push_back(',');
    out.push_back('"');
    out.append(name);
    out.append("\":");
}

void put_string(std::string& out, std::string_view name, std::string_view value) {
    put_name(out, name);
    json::detail::write_string(out, value);
}

void put_optional_string(std::string& out, std::string_view name, std::string_view value) {
    if (!value.empty()) put_string(out, name, value);
}

void put_item(std::string& out, std::string_view name, const Item& item) {
    put_name(out, name);
    json::write_item(out, item);
}

void put_attributes(std::string& out, const ExpressionAttributes& a) {
    if (!a.names.empty()) {
        put_name(out, "ExpressionAttributeNames");
        out.push_back('{');
        for (std::size_t i = 0; i < a.names.size(); ++i) {
            if (i > 0) out.push_back(',');
            json::detail::write_string(out, a.names[i].first);
            out.push_back(':');
            json::detail::write_string(out, a.names[i].second);
        }
        out.push_back('}');
    }
    if (!a.values.empty()) put_item(out, "ExpressionAttributeValues", a.values);
}

void put_bool(std::string& out, std::string_view name, bool value) {
    put_name(out, name);
    out.append(value ? "true" : "false");
}

}  // namespace

namespace {

// A single-item write: the table and key, its own members (`between`), then the condition, its
// expression attributes and what to answer.
template <class Write, class Between>
std::string single_write(const Write& r, Between&& between) {
    std::string out = "{";
    put_string(out, "TableName", r.table_name);
    put_item(out, "Key", r.key);
    between(out);
    put_optional_string(out, "ConditionExpression", r.condition_expression);
    put_attributes(out, r.attributes);
    put_optional_string(out, "ReturnValues", r.return_values);
    put_optional_string(out, "ReturnValuesOnConditionCheckFailure",
                        r.return_values_on_condition_check_failure);
    out.push_back('}');
    return out;
}

}  // namespace

std::string encode(const UpdateItem& r) {
    return single_write(
        r, [&](std::string& out) { put_string(out, "UpdateExpression", r.update_expression); });
}

std::string encode(const DeleteItem& r) {
    return single_write(r, [](std::string&) {});
}

std::string encode(const Query& r) {
    std::string out = "{";
    put_string(out, "TableName", r.table_name);
    put_optional_string(out, "IndexName", r.index_name);
    if (r.consistent_read) put_bool(out, "ConsistentRead", *r.consistent_read);
    put_string(out, "KeyConditionExpression", r.key_condition_expression);
    put_attributes(out, r.attributes);
    if (r.exclusive_start_key) put_item(out, "ExclusiveStartKey", *r.exclusive_start_key);
    out.push_back('}');
    return out;
}

ItemsPage ItemsPage::decode(std::string_view body, std::string_view operation) {
    return decoded(operation, [&] {
        json::Value answer = parse_object(body, json::ParseMode::items);
        ItemsPage out;
        if (json::Value* list = answer.find("Items")) {
            out.items.reserve(list->size());
            for (json::Value& item : list->as_array())
                out.items.push_back(json::to_item(std::move(item)));
        }
        if (json::Value* last = answer.find("LastEvaluatedKey");
            last != nullptr && !last->is_null())
            out.last_evaluated_key = json::to_item(std::move(*last));
        return out;
    });
}

}  // namespace bloop::detail::wire
