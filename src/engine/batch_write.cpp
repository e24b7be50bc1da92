// BatchWrite::commit: BatchWriteItem in requests of 25 puts/deletes across tables, requests in
// flight concurrently, UnprocessedItems sent again with backoff, a request refused as a whole
// split into single items so that exactly the objects at fault fail.

#include <bloop/engine/batch.hpp>
#include <bloop/exceptions.hpp>

#include "client/text_calls.hpp"
#include "engine/core.hpp"
#include "engine/mapper_call.hpp"
#include "wire/items.hpp"

#include <algorithm>
#include <future>
#include <iterator>
#include <map>
#include <set>

namespace bloop {
namespace {

constexpr std::size_t kPerRequest = 25;  // BatchWriteItem's limit
constexpr int kMaxRounds = 12;           // of UnprocessedItems retries

// One object's put or delete.
struct Entry {
    detail::ObjectRef ref;
    bool remove;
    std::string table;
    detail::wire::WriteRequest request;
    std::exception_ptr error;
    bool unprocessed = false;  // still returned as unprocessed after every round
};

using Group = std::vector<std::size_t>;  // entries sent in one request

Item item_of(const ModelInfo& m, const void* object) {
    Item item;
    for (const std::size_t i : m.dynamo_order) {
        if (auto value = detail::dump_for_write(m, i, object))
            item.insert_or_assign(m.columns[i].dynamo_name, std::move(*value));
    }
    return item;
}

std::vector<Group> groups_of(std::span<const std::size_t> entries) {
    std::vector<Group> groups;
    for (std::size_t i = 0; i < entries.size(); i += kPerRequest) {
        const auto end = std::min(entries.size(), i + kPerRequest);
        groups.emplace_back(entries.begin() + static_cast<std::ptrdiff_t>(i),
                            entries.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return groups;
}

detail::wire::BatchWriteItem request_of(const std::vector<Entry>& entries, const Group& group) {
    detail::wire::BatchWriteItem request;
    auto& tables = request.request_items;
    for (const auto i : group) {
        const Entry& e = entries[i];
        auto table = std::find_if(tables.begin(), tables.end(),
                                  [&](const auto& t) { return t.first == e.table; });
        if (table == tables.end()) {
            tables.emplace_back(e.table, std::vector<detail::wire::WriteRequest>{});
            table = std::prev(tables.end());
        }
        table->second.push_back(e.request);
    }
    return request;
}

std::string verb(bool remove) {
    return remove ? "delete" : "put";
}

}  // namespace

namespace {

void commit_batch_now(detail::EngineCore& core, std::span<const detail::ObjectRef> puts,
                      std::span<const detail::ObjectRef> removes) {
    // Everything that can be wrong with the input is found before anything is sent.
    std::vector<Entry> entries;
    std::map<std::string, std::size_t> items;        // table and key -> its entry
    std::map<std::string, const ModelInfo*> models;  // table -> a model stored in it
    const auto add = [&](const detail::ObjectRef& ref, bool remove) {
        const ModelInfo& m = *ref.model;
        detail::require_concrete(m);
        if (m.version) {
            throw InvalidBatch(detail::describe_object(m, ref.object) +
                               " has a version column, which a batch write cannot check (it "
                               "has no conditions): save or remove it, or use a transaction");
        }
        const auto binding = core.bound(m);
        Item key = detail::key_of(m, ref.object);
        const auto [at, fresh] =
            items.emplace(detail::item_id(binding->table_name, key), entries.size());
        if (!fresh) {
            const Entry& other = entries[at->second];
            if (other.ref.object == ref.object && other.remove == remove) return;  // once
            throw InvalidBatch("a batch holds one operation per item: " +
                               detail::describe_object(*other.ref.model, other.ref.object) + " (" +
                               verb(other.remove) + ") and " +
                               detail::describe_object(m, ref.object) + " (" + verb(remove) +
                               ") are the same item of table " + binding->table_name);
        }
        detail::wire::WriteRequest request{remove,
                                           remove ? std::move(key) : item_of(m, ref.object)};
        models.emplace(binding->table_name, &m);
        entries.push_back({ref, remove, binding->table_name, std::move(request), nullptr, false});
    };
    for (const auto& ref : puts) add(ref, false);
    for (const auto& ref : removes) add(ref, true);
    if (entries.empty()) return;

    std::vector<std::size_t> all(entries.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<Group> pending = groups_of(all);
    for (int round = 0; !pending.empty(); ++round) {
        if (round > 0) core.client.wait_before_retry(round);
        if (round >= kMaxRounds) {
            const auto error = std::make_exception_ptr(RuntimeError(
                "BatchWriteItem still returned it as unprocessed after " +
                std::to_string(kMaxRounds) + " rounds (the table's throughput is exceeded)"));
            for (const auto& group : pending) {
                for (const auto i : group) {
                    entries[i].error = error;
                    entries[i].unprocessed = true;
                }
            }
            break;
        }
        std::vector<std::future<std::string>> answers;
        answers.reserve(pending.size());
        for (const auto& group : pending) {
            answers.push_back(detail::TextCalls::call_async(
                core.client, Operation::BatchWriteItem,
                detail::wire::encode(request_of(entries, group)), true));
        }
        std::vector<Group> next;
        std::vector<std::size_t> unprocessed;
        for (std::size_t g = 0; g < pending.size(); ++g) {
            const Group& group = pending[g];
            detail::wire::BatchWriteResult result;
            try {
                result = detail::wire::BatchWriteResult::decode(answers[g].get());
            } catch (const ValidationError&) {
                // Refused as a whole: find the items at fault by sending each on its own.
                if (group.size() > 1) {
                    for (const auto i : group) next.push_back({i});
                } else {
                    entries[group[0]].error = std::current_exception();
                }
                continue;
            } catch (const std::exception&) {
                for (const auto i : group) entries[i].error = std::current_exception();
                continue;
            }
            for (const auto& [table, writes] : result.unprocessed_items) {
                const auto model = models.find(table);
                if (model == models.end()) continue;
                for (const auto& w : writes) {
                    const Item key = w.remove ? w.item : detail::key_in(*model->second, w.item);
                    const auto found = items.find(detail::item_id(table, key));
                    if (found != items.end()) unprocessed.push_back(found->second);
                }
            }
        }
        for (auto& group : groups_of(unprocessed)) next.push_back(std::move(group));
        pending = std::move(next);
    }

    // Written: each object is synced whatever its receivers do; then signalled.
    std::vector<std::size_t> every_column;
    std::vector<WriteFailed::Failure> failures;
    std::exception_ptr receiver_error;
    for (const Entry& e : entries) {
        const ModelInfo& m = *e.ref.model;
        if (e.error) {
            std::string why;
            try {
                std::rethrow_exception(e.error);
            } catch (const std::exception& error) {
                why = error.what();
            }
            failures.push_back(
                {detail::IdentityAccess::of(e.ref.object),
                 detail::describe_object(m, e.ref.object) + " (" + verb(e.remove) + "): " + why,
                 e.error});
            continue;
        }
        if (e.remove) {
            if (m.state) detail::ModelAccess::state(m, e.ref.object)->forget();
        } else {
            every_column.resize(m.columns.size());
            for (std::size_t i = 0; i < every_column.size(); ++i) every_column[i] = i;
            detail::sync_state(m, e.ref.object, every_column);
        }
        if (auto error = core.signal_written(e.ref, e.remove); !receiver_error)
            receiver_error = error;
    }
    if (!failures.empty()) {
        const bool throttled = std::all_of(entries.begin(), entries.end(), [](const Entry& e) {
            return !e.error || e.unprocessed;
        });
        std::string message =
            std::to_string(failures.size()) + " of " + std::to_string(entries.size()) +
            (throttled ? " batch writes were left unprocessed:" : " batch writes failed:");
        for (const auto& f : failures) message += "\n  - " + f.message;
        if (throttled) throw UnprocessedItems(message, std::move(failures));
        throw WriteFailed(message, std::move(failures));
    }
    if (receiver_error) std::rethrow_exception(receiver_error);
}

}  // namespace

void detail::commit_batch(detail::EngineCore& core, std::span<const detail::ObjectRef> puts,
                          std::span<const detail::ObjectRef> removes) {
    const auto models = [&] {
        std::vector<const ModelInfo*> of;
        for (const auto& refs : {puts, removes}) {
            for (const detail::ObjectRef& ref : refs) of.push_back(ref.model);
        }
        return detail::model_names(of);
    };
    detail::observed(core.client, "batch write", models, puts.size() + removes.size(),
                     [&](detail::MapperCall*) { commit_batch_now(core, puts, removes); });
}

}  // namespace bloop
