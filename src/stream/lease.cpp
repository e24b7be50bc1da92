// The lease table: StreamLease items written whole with one conditional UpdateItem each (SET what
// has a value, REMOVE what is empty), conditional on the lease counter, through the engine's
// client with a timeout shorter than any lease duration.

#include <bloop/exceptions.hpp>
#include <bloop/stream/lease.hpp>

#include "wire/items.hpp"

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
constexpr std::string_view kHeartbeatPrefix = "heartbeat/";
}  // namespace

bool StreamLease::is_heartbeat() const {
    return lease.starts_with(kHeartbeatPrefix);
}

std::string heartbeat_key(std::string_view worker) {
    return std::string(kHeartbeatPrefix) + std::string(worker);
}

namespace {

bool same_lease(const StreamLease& a, const StreamLease& b) {
    return a.consumer == b.consumer && a.lease == b.lease && a.owner == b.owner &&
           a.next_owner == b.next_owner && a.checkpoint == b.checkpoint && a.parents == b.parents &&
           a.counter == b.counter && a.throughput == b.throughput;
}

// The key of `lease`'s item.
Item key_of(const StreamLease& lease) {
    return Item{{"consumer", AttributeValue::string(lease.consumer)},
                {"lease", AttributeValue::string(lease.lease)}};
}

// The UpdateItem that writes `lease` whole at counter + 1, conditional on its counter.
detail::wire::UpdateItem write_request(const std::string& table, const StreamLease& lease) {
    detail::wire::ExpressionAttributes a;
    std::string set = "SET #counter = :next, #checkpoint = :checkpoint";
    std::string remove;
    a.names.emplace_back("#counter", "counter");
    a.names.emplace_back("#checkpoint", "checkpoint");
    a.add_value(":next", AttributeValue::number(lease.counter + 1));
    a.add_value(":checkpoint", AttributeValue::string(lease.checkpoint));
    const auto optional = [&](const char* name, std::optional<AttributeValue> value) {
        const std::string placeholder = std::string("#") + name;
        a.names.emplace_back(placeholder, name);
        if (value) {
            set += ", " + placeholder + " = :" + name;
            a.add_value(std::string(":") + name, *value);
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
    optional("throughput", lease.throughput > 0
                               ? std::optional(AttributeValue::number(
                                     detail::float_to_number(lease.throughput, false)))
                               : std::nullopt);
    std::string condition;
    if (lease.counter == 0) {
        a.names.emplace_back("#lease", "lease");
        condition = "attribute_not_exists(#lease)";
    } else {
        condition = "#counter = :counter";
        a.add_value(":counter", AttributeValue::number(lease.counter));
    }
    return {table, key_of(lease), set + remove, std::move(condition), std::move(a), "", "ALL_OLD"};
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
        detail::wire::Query query;
        query.table_name = table_;
        query.consistent_read = true;
        query.key_condition_expression = "#consumer = :consumer";
        query.attributes.names = {{"#consumer", "consumer"}};
        query.attributes.add_value(":consumer", AttributeValue::string(consumer));
        std::optional<Item> start;
        while (true) {
            detail::wire::ItemsPage page = detail::wire::ItemsPage::decode(
                client_.call_raw(Operation::Query,
                                 detail::wire::encode(query, start ? &*start : nullptr), call_),
                "Query");
            for (Item& item : page.items) out.push_back(load_item<StreamLease>(std::move(item)));
            if (!page.last_evaluated_key) return out;
            start = std::move(page.last_evaluated_key);
        }
    }

    LeaseWrite write(StreamLease& lease) override {
        try {
            (void)client_.call_raw(Operation::UpdateItem,
                                   detail::wire::encode(write_request(table_, lease)), call_);
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
        detail::wire::ExpressionAttributes a{{{"#counter", "counter"}}, {}};
        a.add_value(":counter", AttributeValue::number(lease.counter));
        const detail::wire::DeleteItem request{
            table_, key_of(lease), "#counter = :counter", std::move(a), "", "ALL_OLD"};
        try {
            (void)client_.call_raw(Operation::DeleteItem, detail::wire::encode(request), call_);
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
