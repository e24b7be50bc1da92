// WriteTransaction::commit: TransactWriteItems of prepared saves, deletes and checks, its limits
// checked before sending, one client request token for every retry, cancellation reasons mapped
// back to the objects.

#include <bloop/engine/transaction.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/types/uuid.hpp>

#include "client/text_calls.hpp"
#include "engine/core.hpp"
#include "engine/item_size.hpp"
#include "engine/mapper_call.hpp"
#include "engine/prepared_write.hpp"

#include <algorithm>
#include <map>

namespace bloop {
namespace {

using detail::PreparedWrite;
using detail::WriteKind;

constexpr std::size_t kMaxItems = 100;              // TransactWriteItems' limit
constexpr std::size_t kMaxBytes = 4 * 1024 * 1024;  // of item data in one transaction
constexpr std::size_t kMaxTokenLength = 36;         // ClientRequestToken
constexpr int kMaxAttempts = 8;                     // of a transaction that keeps conflicting
constexpr std::size_t kLargestNamed = 5;            // objects named when 4 MB is exceeded

const char* verb_of(WriteKind kind) {
    switch (kind) {
        case WriteKind::save: return "save";
        case WriteKind::remove: return "delete";
        case WriteKind::check: return "check";
    }
    return "";
}

std::string thousands(std::size_t n) {
    std::string digits = std::to_string(n);
    for (auto at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
    return digits;
}

// A prepared operation and what the limits need of it.
struct Entry {
    PreparedWrite write;
    std::size_t bytes;
};

// The data an operation sends: its key and, for a save, the values it sets.
std::size_t bytes_of(const PreparedWrite& p, const Item& key) {
    return detail::item_size(key) + detail::item_size(p.effect.set);
}

void check_size(const std::vector<Entry>& entries) {
    std::size_t total = 0;
    for (const auto& e : entries) total += e.bytes;
    if (total <= kMaxBytes) return;
    std::vector<const Entry*> largest;
    for (const auto& e : entries) largest.push_back(&e);
    std::stable_sort(largest.begin(), largest.end(),
                     [](const Entry* a, const Entry* b) { return a->bytes > b->bytes; });
    std::string names;
    for (std::size_t i = 0; i < largest.size() && i < kLargestNamed; ++i) {
        const PreparedWrite& w = largest[i]->write;
        names += "\n  - " + detail::describe_object(*w.ref.model, w.ref.object) + ": " +
                 thousands(largest[i]->bytes) + " bytes";
    }
    throw InvalidTransaction("a transaction holds at most 4 MB (" + thousands(kMaxBytes) +
                             " bytes) of item data; this one has " + thousands(total) +
                             " bytes. The largest objects:" + names);
}

// Whether DynamoDB cancelled only because of other transactions or throughput: the same request
// may succeed later.
bool worth_retrying(const TransactionCanceled& e) {
    bool any = false;
    for (const auto& r : e.reasons()) {
        if (r.code == "None" || r.code.empty()) continue;
        if (r.code != "TransactionConflict" && r.code != "ThrottlingError" &&
            r.code != "ProvisionedThroughputExceeded")
            return false;
        any = true;
    }
    return any;
}

// Called while handling `e`.
[[noreturn]] void throw_failed(const std::vector<Entry>& entries, const TransactionCanceled& e,
                               int attempts) {
    std::vector<TransactionFailed::Failure> failures;
    std::string lines;
    const std::size_t n = std::min(entries.size(), e.reasons().size());
    for (std::size_t i = 0; i < n; ++i) {
        const CancellationReason& reason = e.reasons()[i];
        if (reason.code == "None" || reason.code.empty()) continue;
        const PreparedWrite& p = entries[i].write;
        TransactionFailed::Failure f{
            detail::IdentityAccess::of(p.ref.object), reason.code, {}, false};
        if (reason.code == "ConditionalCheckFailed") {
            auto why = detail::condition_failure(p, reason.item.get());
            f.message = std::move(why.message);
            f.stale = why.stale;
        } else {
            f.message = detail::describe_object(*p.ref.model, p.ref.object) + ": " + reason.code +
                        (reason.message.empty() ? "" : " (" + reason.message + ")");
            if (reason.code == "TransactionConflict")
                f.message += " after " + std::to_string(attempts) + " attempts";
        }
        lines += "\n  - " + f.message;
        failures.push_back(std::move(f));
    }
    if (failures.empty()) throw;  // no reason names an object: DynamoDB's own error stands
    throw TransactionFailed(
        "The transaction was cancelled and wrote nothing (" + e.request_id() + "):" + lines,
        std::move(failures));
}

}  // namespace

namespace {

void commit_write_now(detail::EngineCore& core,
                      std::span<const detail::TransactionOperation> operations,
                      const std::string& given_token) {
    if (operations.empty()) return;
    // Everything DynamoDB would refuse is refused here, before anything is sent.
    if (operations.size() > kMaxItems) {
        const auto& first = operations[kMaxItems].ref;
        throw InvalidTransaction("a transaction holds at most 100 items; this one has " +
                                 std::to_string(operations.size()) + " (the first beyond: " +
                                 detail::describe_object(*first.model, first.object) + ")");
    }
    const std::string token = given_token.empty() ? Uuid::random().to_string() : given_token;
    if (token.size() > kMaxTokenLength) {
        throw InvalidTransaction("a client request token has 1 to 36 characters; \"" + token +
                                 "\" has " + std::to_string(token.size()));
    }
    std::vector<Entry> entries;
    std::map<std::string, std::size_t> items;  // table and key -> its entry
    for (const auto& op : operations) {
        const ModelInfo& m = *op.ref.model;
        if (op.kind == WriteKind::check && op.spec.condition.empty()) {
            throw InvalidTransaction("a check of " + detail::describe_object(m, op.ref.object) +
                                     " needs a condition");
        }
        if (op.spec.sync != Sync::none) {
            throw InvalidUpdate("a transactional " + std::string(verb_of(op.kind)) + " of " +
                                detail::describe_object(m, op.ref.object) +
                                " cannot sync: DynamoDB returns no items from a transaction");
        }
        detail::require_concrete(m);  // before the binding: an abstract one has none
        const auto binding = core.bound(m);
        PreparedWrite p = detail::prepare_write(op.ref, *binding, op.spec, op.kind);
        if (op.kind == WriteKind::save &&
            std::get<detail::wire::UpdateItem>(p.request).update_expression.empty()) {
            throw InvalidTransaction(
                "a transactional save of " + detail::describe_object(m, op.ref.object) +
                " has nothing to write besides its key (DynamoDB's transactional Update needs an "
                "update); check() that it exists, or save it outside the transaction");
        }
        const Item& key = detail::wire::key_of(p.request);
        const auto [at, fresh] =
            items.emplace(detail::item_id(binding->table_name, key), entries.size());
        if (!fresh) {
            const PreparedWrite& other = entries[at->second].write;
            const std::string what =
                other.ref.object == op.ref.object
                    ? detail::describe_object(m, op.ref.object) + " is in it twice (" +
                          verb_of(other.kind) + " and " + verb_of(op.kind) + ")"
                    : detail::describe_object(*other.ref.model, other.ref.object) + " (" +
                          verb_of(other.kind) + ") and " +
                          detail::describe_object(m, op.ref.object) + " (" + verb_of(op.kind) +
                          ") are the same item of table " + binding->table_name;
            throw InvalidTransaction("a transaction holds one operation per item: " + what);
        }
        const std::size_t bytes = bytes_of(p, key);
        entries.push_back({std::move(p), bytes});
    }
    check_size(entries);

    detail::wire::TransactWriteItems request;
    request.transact_items.reserve(entries.size());
    // Moved: nothing reads an entry's request after this.
    for (auto& e : entries) request.transact_items.push_back(std::move(e.write.request));
    request.client_request_token = token;
    // The same bytes on every attempt: the token makes a retry of an applied transaction a no-op
    // that succeeds, and a retry of a cancelled one a new try.
    const std::string body = detail::wire::encode(request);

    for (int attempt = 1;; ++attempt) {
        try {
            (void)detail::TextCalls::call(core.client, Operation::TransactWriteItems, body, true);
            break;
        } catch (const TransactionCanceled& e) {
            if (attempt >= kMaxAttempts || !worth_retrying(e)) throw_failed(entries, e, attempt);
            core.client.wait_before_retry(attempt);
        }
    }

    // Committed: every object is synced whatever its receivers do; then each is signalled once.
    for (auto& e : entries) detail::mark_written(e.write);
    std::exception_ptr receiver_error;
    for (const auto& e : entries) {
        if (e.write.kind == WriteKind::check) continue;
        auto error = core.signal_written(e.write.ref, e.write.kind == WriteKind::remove);
        if (!receiver_error) receiver_error = error;
    }
    if (receiver_error) std::rethrow_exception(receiver_error);
}

}  // namespace

void detail::commit_write(detail::EngineCore& core,
                          std::span<const detail::TransactionOperation> operations,
                          const std::string& given_token) {
    const auto models = [&] {
        std::vector<const ModelInfo*> of;
        for (const auto& operation : operations) of.push_back(operation.ref.model);
        return detail::model_names(of);
    };
    detail::observed(core.client, "transaction", models, operations.size(),
                     [&](detail::MapperCall*) { commit_write_now(core, operations, given_token); });
}

}  // namespace bloop
