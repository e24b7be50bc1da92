// Engine::load: BatchGetItem in chunks of 100 keys across tables, chunks in flight concurrently,
// UnprocessedKeys retried with backoff, results matched back by (attribute name, typed value).

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "engine/engine_impl.hpp"

#include <exception>

#include <future>
#include <map>
#include <set>

namespace bloop {
namespace {

constexpr std::size_t kChunk = 100;  // BatchGetItem's limit
constexpr int kMaxRounds = 12;       // of UnprocessedKeys retries

// One requested key and the objects waiting for it.
struct Wanted {
    const ModelInfo* model;
    Item key;
    std::vector<void*> objects;
    bool found = false;
};

// table → canonical key → wanted
using Wants = std::map<std::string, std::map<std::string, Wanted>>;

json::Value chunk_request(const std::vector<std::pair<std::string, Item>>& keys, bool consistent) {
    json::Value request;
    for (const auto& [table, key] : keys) {
        json::Value& entry = request["RequestItems"][table];
        entry["Keys"].push_back(key);
        entry["ConsistentRead"] = consistent;
    }
    return request;
}

std::vector<json::Value> chunks(const std::vector<std::pair<std::string, Item>>& keys,
                                bool consistent) {
    std::vector<json::Value> out;
    for (std::size_t i = 0; i < keys.size(); i += kChunk) {
        const auto end = std::min(keys.size(), i + kChunk);
        out.push_back(chunk_request({keys.begin() + static_cast<std::ptrdiff_t>(i),
                                     keys.begin() + static_cast<std::ptrdiff_t>(end)},
                                    consistent));
    }
    return out;
}

}  // namespace

void Engine::load_objects(std::span<const detail::ObjectRef> objects, const LoadOptions& options) {
    Wants wants;
    std::vector<std::pair<std::string, Item>> keys;
    for (const auto& ref : objects) {
        detail::require_concrete(*ref.model);
        const auto binding = impl_->bound(*ref.model);
        Item key = detail::key_of(*ref.model, ref.object);
        Wanted& w = wants[binding->table_name][detail::canonical_key(key)];
        if (w.objects.empty()) {
            w.model = ref.model;
            w.key = key;
            keys.emplace_back(binding->table_name, std::move(key));
        }
        if (std::find(w.objects.begin(), w.objects.end(), ref.object) == w.objects.end())
            w.objects.push_back(ref.object);
    }

    std::vector<detail::ObjectRef> loaded;
    std::vector<json::Value> requests = chunks(keys, options.consistent);
    for (int round = 0; !requests.empty(); ++round) {
        if (round > 0) impl_->client.wait_before_retry(round);
        if (round >= kMaxRounds) {
            throw RuntimeError("BatchGetItem still returned UnprocessedKeys after " +
                               std::to_string(kMaxRounds) + " rounds; the table is throttled");
        }
        std::vector<std::future<json::Value>> pending;
        for (auto& r : requests)
            pending.push_back(impl_->client.call_async(Operation::BatchGetItem, std::move(r),
                                                       json::ParseMode::items));
        requests.clear();
        std::vector<std::pair<std::string, Item>> unprocessed;
        for (auto& f : pending) {
            json::Value response = f.get();
            if (json::Value* responses = response.find("Responses")) {
                for (auto& [table, items] : responses->as_object()) {
                    auto& table_wants = wants[table];
                    for (auto& wire : items.as_array()) {
                        Item item = json::to_item(std::move(wire));
                        if (table_wants.empty()) break;
                        const ModelInfo& m = *table_wants.begin()->second.model;
                        const auto w =
                            table_wants.find(detail::canonical_key(detail::key_in(m, item)));
                        if (w == table_wants.end() || w->second.found) continue;
                        w->second.found = true;
                        for (void* object : w->second.objects) {
                            detail::load_and_sync(*w->second.model, object, Item(item),
                                                  w->second.model->projection.available);
                            loaded.push_back({w->second.model, object});
                        }
                    }
                }
            }
            if (const json::Value* left = response.find("UnprocessedKeys")) {
                for (const auto& [table, entry] : left->as_object()) {
                    for (const auto& key : entry.at("Keys").as_array())
                        unprocessed.emplace_back(table, json::to_item(key));
                }
            }
        }
        requests = chunks(unprocessed, options.consistent);
    }

    // MissingObjects, when some were missing, comes before a receiver's exception.
    const std::exception_ptr receiver_error = signal_loaded(loaded);
    std::vector<detail::ObjectRef> missing;
    for (const auto& [table, table_wants] : wants) {
        for (const auto& [canonical, w] : table_wants) {
            if (w.found) continue;
            for (void* object : w.objects) missing.push_back({w.model, object});
        }
    }
    if (!missing.empty()) throw detail::missing_objects(missing);
    if (receiver_error) std::rethrow_exception(receiver_error);
}

// Every loaded object is signalled even when a receiver throws; the first exception is returned.
std::exception_ptr Engine::signal_loaded(std::span<const detail::ObjectRef> objects) {
    std::exception_ptr receiver_error;
    for (const auto& ref : objects) {
        try {
            for (const auto& column : ref.model->columns)
                object_modified.emit(ColumnEvent(*this, *ref.model, ref.object, column));
            object_loaded.emit(ObjectEvent(*this, *ref.model, ref.object));
        } catch (...) {
            if (!receiver_error) receiver_error = std::current_exception();
        }
    }
    return receiver_error;
}

std::exception_ptr Engine::signal_written(const detail::ObjectRef& ref, bool removed) {
    try {
        (removed ? object_deleted : object_saved).emit(ObjectEvent(*this, *ref.model, ref.object));
    } catch (...) {
        return std::current_exception();
    }
    return nullptr;
}

}  // namespace bloop
