// The lease table: StreamLease items written whole with one conditional UpdateItem each (SET what
// has a value, REMOVE what is empty), conditional on the lease counter, through the engine's
// client with a timeout shorter than any lease duration.

#include <bloop/exceptions.hpp>
#include <bloop/stream/lease.hpp>

#include <array>

namespace bloop {

std::string_view StreamLease::stream_arn() const {
    const auto slash = lease.rfind('/');
    return slash == std::string::npos ? std::string_view()
                                      : std::string_view(lease).substr(0, slash);
}

std::string_view StreamLease::shard_id() const {
    const auto slash = lease.rfind('/');
    return slash == std::string::npos ? std::string_view(lease)
                                      : std::string_view(lease).substr(slash + 1);
}

bool StreamLease::finished() const {
    return checkpoint == checkpoint::shard_end;
}

namespace {

bool same_lease(const StreamLease& a, const StreamLease& b) {
    return a.consumer == b.consumer && a.lease == b.lease && a.owner == b.owner &&
           a.next_owner == b.next_owner && a.checkpoint == b.checkpoint && a.parents == b.parents &&
           a.counter == b.counter;
}

// The UpdateItem that writes `lease` whole at counter + 1, conditional on its counter.
json::Value write_request(const std::string& table, const StreamLease& lease) {
    Item values;
    json::Value::Object names;
    std::string set = "SET #counter = :next, #checkpoint = :checkpoint";
    std::string remove;
    names.emplace_back("#counter", "counter");
    names.emplace_back("#checkpoint", "checkpoint");
    values.insert_or_assign(":next", AttributeValue::number(lease.counter + 1));
    values.insert_or_assign(":checkpoint", AttributeValue::string(lease.checkpoint));
    const auto optional = [&](const char* name, std::optional<AttributeValue> value) {
        const std::string placeholder = std::string("#") + name;
        names.emplace_back(placeholder, name);
        if (value) {
            set += ", " + placeholder + " = :" + name;
            values.insert_or_assign(std::string(":") + name, std::move(*value));
        } else {
            remove += (remove.empty() ? " REMOVE " : ", ") + placeholder;
        }
    };
    const auto text = [](const std::string& s) {
        return s.empty() ? std::nullopt : std::optional(AttributeValue::string(s));
    };
    optional("owner", text(lease.owner));
    optional("next_owner", text(lease.next_owner));
    std::optional<AttributeValue> parents;
    if (!lease.parents.empty()) {
        std::vector<AttributeValue> ids;
        for (const auto& p : lease.parents) ids.push_back(AttributeValue::string(p));
        parents = AttributeValue::list(std::move(ids));
    }
    optional("parents", std::move(parents));
    std::string condition;
    if (lease.counter == 0) {
        names.emplace_back("#lease", "lease");
        condition = "attribute_not_exists(#lease)";
    } else {
        condition = "#counter = :counter";
        values.insert_or_assign(":counter", AttributeValue::number(lease.counter));
    }
    json::Value request = json::Value::object();
    request["TableName"] = table;
    request["Key"] = Item{{"consumer", AttributeValue::string(lease.consumer)},
                          {"lease", AttributeValue::string(lease.lease)}};
    request["UpdateExpression"] = set + remove;
    request["ConditionExpression"] = condition;
    request["ExpressionAttributeNames"] = json::Value(std::move(names));
    request["ExpressionAttributeValues"] = std::move(values);
    request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
    return request;
}

class DynamoLeaseStore : public LeaseStore {
  public:
    DynamoLeaseStore(Engine& engine, LeaseTableOptions options)
        : client_(engine.client()),
          // Another worker's write first is a normal outcome of a conditional lease write.
          call_{options.timeout, {"ConditionalCheckFailedException"}} {
        engine.bind<StreamLease>();
        table_ = engine.binding<StreamLease>().table_name;
    }

    std::vector<StreamLease> list(const std::string& consumer) override {
        std::vector<StreamLease> out;
        json::Value request = json::Value::object();
        request["TableName"] = table_;
        request["KeyConditionExpression"] = "#consumer = :consumer";
        request["ExpressionAttributeNames"] = json::Value::Object{{"#consumer", "consumer"}};
        request["ExpressionAttributeValues"] =
            Item{{":consumer", AttributeValue::string(consumer)}};
        request["ConsistentRead"] = true;
        while (true) {
            json::Value page =
                client_.call(Operation::Query, request, json::ParseMode::items, call_);
            if (json::Value* items = page.find("Items")) {
                for (json::Value& item : items->as_array())
                    out.push_back(load_item<StreamLease>(json::to_item(std::move(item))));
            }
            json::Value* last = page.find("LastEvaluatedKey");
            if (last == nullptr || last->is_null()) return out;
            request["ExclusiveStartKey"] = std::move(*last);
        }
    }

    LeaseWrite write(StreamLease& lease) override {
        try {
            (void)client_.call(Operation::UpdateItem, write_request(table_, lease),
                               json::ParseMode::plain, call_);
        } catch (const ConditionalCheckFailed& e) {
            LeaseWrite conflict;
            if (e.item() != nullptr) conflict.stored = load_item<StreamLease>(*e.item());
            // An earlier attempt of this call, unanswered, may have written it.
            StreamLease intended = lease;
            ++intended.counter;
            if (e.info().earlier_attempt_unknown && conflict.stored &&
                same_lease(*conflict.stored, intended)) {
                lease = std::move(intended);
                return {true, {}};
            }
            return conflict;
        }
        ++lease.counter;
        return {true, {}};
    }

    bool remove(const StreamLease& lease) override {
        json::Value request = json::Value::object();
        request["TableName"] = table_;
        request["Key"] = Item{{"consumer", AttributeValue::string(lease.consumer)},
                              {"lease", AttributeValue::string(lease.lease)}};
        request["ConditionExpression"] = "#counter = :counter";
        request["ExpressionAttributeNames"] = json::Value::Object{{"#counter", "counter"}};
        request["ExpressionAttributeValues"] =
            Item{{":counter", AttributeValue::number(lease.counter)}};
        request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
        try {
            (void)client_.call(Operation::DeleteItem, request, json::ParseMode::plain, call_);
            return true;
        } catch (const ConditionalCheckFailed& e) {
            return e.item() == nullptr;  // gone (an earlier, unanswered attempt deleted it)
        }
    }

  private:
    Client client_;
    CallOptions call_;
    std::string table_;
};

}  // namespace

std::shared_ptr<LeaseStore> lease_table(Engine& engine, LeaseTableOptions options) {
    return std::make_shared<DynamoLeaseStore>(engine, options);
}

}  // namespace bloop
