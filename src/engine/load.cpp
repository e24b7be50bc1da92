// Engine::load: BatchGetItem in chunks of 100 keys across tables, chunks in flight concurrently,
// UnprocessedKeys retried with backoff, results matched back by (attribute name, typed value).

#include <bloop/exceptions.hpp>

#include "client/text_calls.hpp"
#include "engine/core.hpp"
#include "engine/mapper_call.hpp"
#include "wire/items.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <iterator>
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

namespace wire = detail::wire;

// BatchGetItems of at most 100 keys each, the keys of one table together.
std::vector<wire::BatchGetItem> chunks(const std::vector<std::pair<std::string, Item>>& keys,
                                       bool consistent) {
    std::vector<wire::BatchGetItem> out;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i % kChunk == 0) out.emplace_back();
        auto& tables = out.back().request_items;
        const std::string& table = keys[i].first;
        const Item& key = keys[i].second;
        auto entry = std::find_if(tables.begin(), tables.end(),
                                  [&](const auto& t) { return t.first == table; });
        if (entry == tables.end()) {
            tables.emplace_back(table, wire::KeysAndAttributes{{}, consistent});
            entry = std::prev(tables.end());
        }
        entry->second.keys.push_back(key);
    }
    return out;
}

}  // namespace

namespace {

void load_now(detail::EngineCore& core, std::span<const detail::ObjectRef> objects,
              const LoadOptions& options) {
    Wants wants;
    std::vector<std::pair<std::string, Item>> keys;
    for (const auto& ref : objects) {
        detail::require_concrete(*ref.model);
        const auto binding = core.bound(*ref.model);
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
    std::vector<wire::BatchGetItem> requests = chunks(keys, options.consistent);
    for (int round = 0; !requests.empty(); ++round) {
        if (round > 0) core.client.wait_before_retry(round);
        if (round >= kMaxRounds) {
            throw RuntimeError("BatchGetItem still returned UnprocessedKeys after " +
                               std::to_string(kMaxRounds) + " rounds; the table is throttled");
        }
        std::vector<std::future<std::string>> pending;
        for (const auto& r : requests) {
            pending.push_back(detail::TextCalls::call_async(core.client, Operation::BatchGetItem,
                                                            wire::encode(r), true));
        }
        requests.clear();
        std::vector<std::pair<std::string, Item>> unprocessed;
        for (auto& f : pending) {
            wire::BatchGetResult result = wire::BatchGetResult::decode(f.get());
            for (auto& [table, items] : result.responses) {
                auto& table_wants = wants[table];
                for (Item& item : items) {
                    if (table_wants.empty()) break;
                    const ModelInfo& m = *table_wants.begin()->second.model;
                    const auto w = table_wants.find(detail::canonical_key(detail::key_in(m, item)));
                    if (w == table_wants.end() || w->second.found) continue;
                    w->second.found = true;
                    for (void* object : w->second.objects) {
                        detail::load_and_sync(*w->second.model, object, Item(item),
                                              w->second.model->projection.available);
                        loaded.push_back({w->second.model, object});
                    }
                }
            }
            for (auto& [table, left] : result.unprocessed_keys) {
                for (Item& key : left.keys) unprocessed.emplace_back(table, std::move(key));
            }
        }
        requests = chunks(unprocessed, options.consistent);
    }

    // MissingObjects, when some were missing, comes before a receiver's exception.
    const std::exception_ptr receiver_error = core.signal_loaded(loaded);
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

}  // namespace

void detail::load(detail::EngineCore& core, std::span<const detail::ObjectRef> objects,
                  const LoadOptions& options) {
    detail::observed(
        core.client, "load", [&] { return detail::models_of(objects); }, objects.size(),
        [&](detail::MapperCall*) { load_now(core, objects, options); });
}

}  // namespace bloop
