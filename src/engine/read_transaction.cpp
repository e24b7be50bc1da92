// ReadTransaction::commit: TransactGetItems of up to 100 items, objects with one key sharing one
// Get, answers matched back by position.

#include <bloop/engine/transaction.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "engine/engine_impl.hpp"

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

void Engine::commit_read(std::span<const detail::ObjectRef> objects) {
    if (objects.empty()) return;
    std::vector<Wanted> wanted;
    std::map<std::string, std::size_t> index;  // table and key -> its Get
    json::Value request;
    json::Value& items = request["TransactItems"];
    for (const auto& ref : objects) {
        detail::require_concrete(*ref.model);
        const auto binding = impl_->bound(*ref.model);
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
            json::Value get;
            get["Get"]["TableName"] = binding->table_name;
            get["Get"]["Key"] = std::move(key);
            items.push_back(std::move(get));
        }
        auto& waiting = wanted[at->second].objects;
        if (std::find(waiting.begin(), waiting.end(), ref.object) == waiting.end())
            waiting.push_back(ref.object);
    }

    json::Value response;
    for (int attempt = 1;; ++attempt) {
        try {
            response =
                impl_->client.call(Operation::TransactGetItems, request, json::ParseMode::items);
            break;
        } catch (const TransactionCanceled&) {
            // Reads are cancelled only by conflicting writes or throughput: try again later.
            if (attempt >= kMaxAttempts) throw;
            impl_->client.wait_before_retry(attempt);
        }
    }

    json::Value* responses = response.find("Responses");
    if (responses == nullptr || !responses->is_array() ||
        responses->as_array().size() != wanted.size()) {
        throw ProtocolError("TransactGetItems answered " +
                            std::string(responses != nullptr && responses->is_array()
                                            ? std::to_string(responses->as_array().size())
                                            : "no") +
                            " responses for " + std::to_string(wanted.size()) + " items");
    }
    std::vector<detail::ObjectRef> loaded;
    std::vector<detail::ObjectRef> missing;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const Wanted& w = wanted[i];
        json::Value* item = responses->as_array()[i].find("Item");
        if (item == nullptr) {
            for (void* object : w.objects) missing.push_back({w.model, object});
            continue;
        }
        const Item stored = item->type() == json::Type::item ? std::move(item->as_item())
                                                             : json::to_item(std::move(*item));
        for (void* object : w.objects) {
            detail::load_and_sync(*w.model, object, Item(stored), w.model->projection.available);
            loaded.push_back({w.model, object});
        }
    }
    // MissingObjects, when some were missing, comes before a receiver's exception.
    const std::exception_ptr receiver_error = signal_loaded(loaded);
    if (!missing.empty()) throw detail::missing_objects(missing);
    if (receiver_error) std::rethrow_exception(receiver_error);
}

}  // namespace bloop
