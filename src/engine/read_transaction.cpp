// ReadTransaction::commit: TransactGetItems of up to 100 items, objects with one key sharing one
// Get, answers matched back by position.

#include <bloop/engine/transaction.hpp>
#include <bloop/exceptions.hpp>

#include "client/text_calls.hpp"
#include "engine/core.hpp"
#include "engine/mapper_call.hpp"
#include "wire/items.hpp"

#include <algorithm>
#include <map>

namespace bloop {
namespace {

constexpr std::size_t kMaxItems = 100;  // TransactGetItems' limit
constexpr int kMaxAttempts = 8;         // of a read that keeps conflicting with writes

// One item read and the objects waiting for it.
struct Wanted {
    const ModelInfo* model;
    std::vector<void*> objects;
};

}  // namespace

namespace {

void commit_read_now(detail::EngineCore& core, std::span<const detail::ObjectRef> objects) {
    if (objects.empty()) return;
    std::vector<Wanted> wanted;
    std::map<std::string, std::size_t> index;  // table and key -> its Get
    detail::wire::TransactGetItems request;
    for (const auto& ref : objects) {
        detail::require_concrete(*ref.model);
        const auto binding = core.bound(*ref.model);
        Item key = detail::key_of(*ref.model, ref.object);
        const auto [at, fresh] =
            index.emplace(detail::item_id(binding->table_name, key), wanted.size());
        if (fresh) {
            if (wanted.size() == kMaxItems) {
                throw InvalidTransaction("a read transaction holds at most 100 items; " +
                                         detail::describe_object(*ref.model, ref.object) +
                                         " would be the 101st");
            }
            wanted.push_back({ref.model, {}});
            request.transact_items.push_back({binding->table_name, std::move(key)});
        }
        auto& waiting = wanted[at->second].objects;
        if (std::find(waiting.begin(), waiting.end(), ref.object) == waiting.end())
            waiting.push_back(ref.object);
    }

    const std::string body = detail::wire::encode(request);
    detail::wire::TransactGetResult result;
    for (int attempt = 1;; ++attempt) {
        try {
            result = detail::wire::TransactGetResult::decode(
                detail::TextCalls::call(core.client, Operation::TransactGetItems, body, true));
            break;
        } catch (const TransactionCanceled&) {
            // Reads are cancelled only by conflicting writes or throughput: try again later.
            if (attempt >= kMaxAttempts) throw;
            core.client.wait_before_retry(attempt);
        }
    }

    if (!result.responses || result.responses->size() != wanted.size()) {
        throw ProtocolError(
            "TransactGetItems answered " +
            (result.responses ? std::to_string(result.responses->size()) : std::string("no")) +
            " responses for " + std::to_string(wanted.size()) + " items");
    }
    std::vector<detail::ObjectRef> loaded;
    std::vector<detail::ObjectRef> missing;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const Wanted& w = wanted[i];
        std::optional<Item>& stored = (*result.responses)[i];
        if (!stored) {
            for (void* object : w.objects) missing.push_back({w.model, object});
            continue;
        }
        for (void* object : w.objects) {
            detail::load_and_sync(*w.model, object, Item(*stored), w.model->projection.available);
            loaded.push_back({w.model, object});
        }
    }
    // MissingObjects, when some were missing, comes before a receiver's exception.
    const std::exception_ptr receiver_error = core.signal_loaded(loaded);
    if (!missing.empty()) throw detail::missing_objects(missing);
    if (receiver_error) std::rethrow_exception(receiver_error);
}

}  // namespace

void detail::commit_read(detail::EngineCore& core, std::span<const detail::ObjectRef> objects) {
    detail::observed(
        core.client, "read transaction", [&] { return detail::models_of(objects); }, objects.size(),
        [&](detail::MapperCall*) { commit_read_now(core, objects); });
}

}  // namespace bloop
