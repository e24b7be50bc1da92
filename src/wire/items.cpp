// The item operations' bodies, written member by member into text in the API reference's order,
// and their answers read member by member from the bytes.

#include "wire/items.hpp"

#include <bloop/json/json.hpp>

#include "client/idempotency.hpp"
#include "json/reader.hpp"
#include "json/text.hpp"
#include "wire/reading.hpp"
#include "wire/writing.hpp"

#include <type_traits>

namespace bloop::detail::wire {
namespace {

using json::detail::Reader;

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
    if (!a.values.empty()) {
        put_name(out, "ExpressionAttributeValues");
        out.push_back('{');
        out.append(a.values);
        out.push_back('}');
    }
}

// A single-item write's members (its own ones written by `between` after the key); a transaction's
// operations have no ReturnValues.
template <class Write, class Between>
void put_write(std::string& out, const Write& r, bool transactional, Between&& between) {
    out.push_back('{');
    put_string(out, "TableName", r.table_name);
    put_item(out, "Key", r.key);
    between(out);
    put_optional_string(out, "ConditionExpression", r.condition_expression);
    put_attributes(out, r.attributes);
    if constexpr (!std::is_same_v<Write, ConditionCheck>) {
        if (!transactional) put_optional_string(out, "ReturnValues", r.return_values);
    }
    put_optional_string(out, "ReturnValuesOnConditionCheckFailure",
                        r.return_values_on_condition_check_failure);
    out.push_back('}');
}

void put_update(std::string& out, const UpdateItem& r, bool transactional) {
    put_write(out, r, transactional, [&](std::string& o) {
        put_optional_string(o, "UpdateExpression", r.update_expression);
    });
}

void put_delete(std::string& out, const DeleteItem& r, bool transactional) {
    put_write(out, r, transactional, [](std::string&) {});
}

// What Query and Scan share, before their own members (`between`) and after.
template <class Search, class Between>
std::string search(const Search& r, const Item* start, Between&& between) {
    std::string out;
    out.reserve(512);
    out.push_back('{');
    put_string(out, "TableName", r.table_name);
    put_optional_string(out, "IndexName", r.index_name);
    if (r.consistent_read) put_bool(out, "ConsistentRead", *r.consistent_read);
    put_optional_string(out, "Select", r.select);
    put_optional_string(out, "FilterExpression", r.filter_expression);
    put_optional_string(out, "ProjectionExpression", r.projection_expression);
    between(out);
    put_attributes(out, r.attributes);
    if (r.limit) put_int(out, "Limit", *r.limit);
    put_optional_string(out, "ReturnConsumedCapacity", r.return_consumed_capacity);
    if (start != nullptr) put_item(out, "ExclusiveStartKey", *start);
    out.push_back('}');
    return out;
}

void put_keys(std::string& out, const KeysAndAttributes& k) {
    out.push_back('{');
    put_array(out, "Keys", k.keys,
              [](std::string& o, const Item& key) { json::write_item(o, key); });
    put_bool(out, "ConsistentRead", k.consistent_read);
    out.push_back('}');
}

void put_write_request(std::string& out, const WriteRequest& w) {
    out.append(w.remove ? R"({"DeleteRequest":{"Key":)" : R"({"PutRequest":{"Item":)");
    json::write_item(out, w.item);
    out.append("}}");
}

// Reads `{"table":<value>,...}`, `value()` reading each table's value.
template <class Value>
void read_tables(Reader& r, Value&& value) {
    r.object([&](std::string_view table) {
        std::string kept(table);  // before the value is read
        value(std::move(kept));
    });
}

KeysAndAttributes read_keys(Reader& r) {
    KeysAndAttributes out;
    r.object([&](std::string_view name) {
        if (name == "Keys") {
            r.array([&] { out.keys.push_back(r.item()); });
        } else if (name == "ConsistentRead") {
            out.consistent_read = !r.null() && r.boolean();
        } else {
            r.skip();
        }
    });
    return out;
}

WriteRequest read_write_request(Reader& r) {
    WriteRequest out;
    bool read = false;
    r.object([&](std::string_view kind) {
        const bool remove = kind == "DeleteRequest";
        if (!remove && kind != "PutRequest") return r.skip();
        out.remove = remove;
        r.object([&](std::string_view name) {
            if (name != (remove ? "Key" : "Item")) return r.skip();
            out.item = r.item();
            read = true;
        });
    });
    if (!read)
        throw InvalidJson("an unprocessed write has neither a PutRequest nor a DeleteRequest");
    return out;
}

}  // namespace

std::string encode(const UpdateItem& r) {
    std::string out;
    out.reserve(1000);  // most saves fit: one allocation where growing took six
    put_update(out, r, false);
    return out;
}

bool idempotent(const UpdateItem& r) noexcept {
    return update_is_idempotent(r.update_expression);
}

std::string encode(const DeleteItem& r) {
    std::string out;
    put_delete(out, r, false);
    return out;
}

ItemAttributes ItemAttributes::decode(std::string_view body, std::string_view operation) {
    return decoded(operation, [&] {
        ItemAttributes out;
        read_answer(body, [&](Reader& r, std::string_view name) {
            if (name == "Attributes") {
                out.attributes = r.item();
            } else {
                r.skip();
            }
        });
        return out;
    });
}

std::string encode(const Query& r, const Item* start) {
    return search(r, start, [&](std::string& out) {
        put_string(out, "KeyConditionExpression", r.key_condition_expression);
        if (r.scan_index_forward) put_bool(out, "ScanIndexForward", *r.scan_index_forward);
    });
}

std::string encode(const Scan& r, const Item* start) {
    return search(r, start, [&](std::string& out) {
        if (r.segment) put_int(out, "Segment", *r.segment);
        if (r.total_segments) put_int(out, "TotalSegments", *r.total_segments);
    });
}

ItemsPage ItemsPage::decode(std::string_view body, std::string_view operation) {
    return decoded(operation, [&] {
        ItemsPage out;
        read_answer(body, [&](Reader& r, std::string_view name) {
            if (name == "Items") {
                r.array([&] { out.items.push_back(r.item()); });
            } else if (name == "LastEvaluatedKey") {
                out.last_evaluated_key = r.item();
            } else if (name == "Count") {
                out.count = r.integer();
            } else if (name == "ScannedCount") {
                out.scanned_count = r.integer();
            } else if (name == "ConsumedCapacity") {
                r.members([&](std::string_view member) {
                    if (member == "CapacityUnits") {
                        out.consumed_capacity = r.number();
                    } else {
                        r.skip();
                    }
                });
            } else {
                r.skip();
            }
        });
        return out;
    });
}

std::string encode(const BatchGetItem& r) {
    std::string out = "{";
    put_tables(out, "RequestItems", r.request_items, put_keys);
    out.push_back('}');
    return out;
}

BatchGetResult BatchGetResult::decode(std::string_view body) {
    return decoded("BatchGetItem", [&] {
        BatchGetResult out;
        read_answer(body, [&](Reader& r, std::string_view name) {
            if (name == "Responses") {
                read_tables(r, [&](std::string table) {
                    auto& items =
                        out.responses.emplace_back(std::move(table), std::vector<Item>{}).second;
                    r.array([&] { items.push_back(r.item()); });
                });
            } else if (name == "UnprocessedKeys") {
                read_tables(r, [&](std::string table) {
                    out.unprocessed_keys.emplace_back(std::move(table), read_keys(r));
                });
            } else {
                r.skip();
            }
        });
        return out;
    });
}

std::string encode(const BatchWriteItem& r) {
    std::string out = "{";
    put_tables(out, "RequestItems", r.request_items,
               [](std::string& o, const std::vector<WriteRequest>& writes) {
                   o.push_back('[');
                   for (const auto& w : writes) {
                       if (o.back() != '[') o.push_back(',');
                       put_write_request(o, w);
                   }
                   o.push_back(']');
               });
    out.push_back('}');
    return out;
}

BatchWriteResult BatchWriteResult::decode(std::string_view body) {
    return decoded("BatchWriteItem", [&] {
        BatchWriteResult out;
        read_answer(body, [&](Reader& r, std::string_view name) {
            if (name != "UnprocessedItems") return r.skip();
            read_tables(r, [&](std::string table) {
                auto& writes = out.unprocessed_items
                                   .emplace_back(std::move(table), std::vector<WriteRequest>{})
                                   .second;
                r.array([&] { writes.push_back(read_write_request(r)); });
            });
        });
        return out;
    });
}

const Item& key_of(const TransactWriteItem& operation) noexcept {
    return std::visit([](const auto& o) -> const Item& { return o.key; }, operation);
}

std::string encode(const TransactWriteItems& r) {
    std::string out;
    out.reserve(1000 * r.transact_items.size());
    out.push_back('{');
    put_array(out, "TransactItems", r.transact_items,
              [](std::string& o, const TransactWriteItem& item) {
                  if (const auto* update = std::get_if<UpdateItem>(&item)) {
                      o.append(R"({"Update":)");
                      put_update(o, *update, true);
                  } else if (const auto* remove = std::get_if<DeleteItem>(&item)) {
                      o.append(R"({"Delete":)");
                      put_delete(o, *remove, true);
                  } else {
                      const auto& check = std::get<ConditionCheck>(item);
                      o.append(R"({"ConditionCheck":)");
                      put_write(o, check, true, [](std::string&) {});
                  }
                  o.push_back('}');
              });
    put_optional_string(out, "ClientRequestToken", r.client_request_token);
    out.push_back('}');
    return out;
}

std::string encode(const TransactGetItems& r) {
    std::string out = "{";
    put_array(out, "TransactItems", r.transact_items, [](std::string& o, const Get& get) {
        o.append(R"({"Get":{)");
        put_string(o, "TableName", get.table_name);
        put_item(o, "Key", get.key);
        o.append("}}");
    });
    out.push_back('}');
    return out;
}

TransactGetResult TransactGetResult::decode(std::string_view body) {
    return decoded("TransactGetItems", [&] {
        TransactGetResult out;
        read_answer(body, [&](Reader& r, std::string_view name) {
            if (name != "Responses") return r.skip();
            auto& list = out.responses.emplace();
            r.array([&] {
                auto& item = list.emplace_back();
                r.members([&](std::string_view member) {
                    if (member == "Item") {
                        item = r.item();
                    } else {
                        r.skip();
                    }
                });
            });
        });
        return out;
    });
}

}  // namespace bloop::detail::wire
