#pragma once
// The engine's runtime beneath the templates (internal): the core that holds the client and the
// bound models, and the calls that Engine, Search<T>, Stream<T>, the transactions and batch writes
// make on it. Engine only maps; what each feature does lives in its own source file over this core.

#include <bloop/engine/detail/search_cursor.hpp>
#include <bloop/engine/options.hpp>

#include <cstddef>
#include <functional>
#include <future>
#include <span>
#include <string>
#include <vector>

namespace bloop {
class Engine;
}  // namespace bloop

namespace bloop::detail {

/// An object as the runtime sees it.
struct ObjectRef {
    const ModelInfo* model;
    void* object;
};
/// What a write does to an object.
enum class WriteKind { save, remove, check };
/// WriteOptions<T> for the runtime.
struct WriteSpec {
    Condition condition;
    bool atomic = false;
    std::vector<UpdateAction> actions;
    Sync sync = Sync::none;
};
/// The runtime form of `options`.
template <class T>
WriteSpec spec_of(const WriteOptions<T>& options) {
    WriteSpec spec{options.condition.condition(), options.atomic, {}, options.sync};
    spec.actions.reserve(options.actions.size());
    for (const auto& a : options.actions) spec.actions.push_back(a.action());
    return spec;
}
/// One operation of a write transaction, before it is prepared.
struct TransactionOperation {
    ObjectRef ref;
    WriteKind kind;
    WriteSpec spec;
};

/// An engine's client, bound models and threads (src/engine/core.hpp).
class EngineCore;

/// The one door from an Engine to its core.
struct EngineAccess {
    [[nodiscard]] static EngineCore& core(Engine& engine) noexcept;
};

/// Binds `models` (bind.cpp).
BindReport bind_models(EngineCore& core, std::span<const ModelInfo* const> models,
                       const BindOptions& options);
/// The binding of `model`; throws UnboundModel.
[[nodiscard]] Binding binding_of(const EngineCore& core, const ModelInfo& model);
/// Saves or removes `objects`, concurrently when several (write.cpp).
void write(EngineCore& core, std::span<const ObjectRef> objects, const WriteSpec& spec,
           bool remove);
/// Loads `objects` with BatchGetItem (load.cpp).
void load(EngineCore& core, std::span<const ObjectRef> objects, const LoadOptions& options);
/// Validates and builds a Query (key given) or Scan, bloop's shape (query.cpp). Conditions on key
/// members are written on key attributes; a shared table's model reads only items of its entity
/// type, a `collection` (models of one shared table) items of theirs, every attribute.
[[nodiscard]] SearchCursor start_search(EngineCore& core, const SearchTarget& target,
                                        const Condition* key, const Condition& filter,
                                        const ProjectionSpec& projection, bool consistent,
                                        bool forward, std::optional<Segment> segment,
                                        const Paging& paging,
                                        std::span<const ModelInfo* const> collection = {});
/// Which of `models` (entities of one shared table) the item's entity type names; nullopt for
/// another entity of the table. An item without a type is the one model whose key templates fit
/// its keys; when none or several fit: nullopt after a warning, or WrongEntity when the table's
/// EntityTypes::unknown says so (collection.cpp).
[[nodiscard]] std::optional<std::size_t> entity_of(const EngineCore& core, const Item& item,
                                                   std::span<const ModelInfo* const> models);
/// Loads `item` into `object` (the given columns), syncs its state, and signals object_modified
/// per column and object_loaded.
void deliver(EngineCore& core, const ModelInfo& model, void* object, Item&& item,
             std::span<const std::size_t> columns);
/// Runs `task` on the engine's threads (started on first use).
std::future<void> run_async(EngineCore& core, std::function<void()> task);
/// Commits a write transaction (write_transaction.cpp).
void commit_write(EngineCore& core, std::span<const TransactionOperation> operations,
                  const std::string& token);
/// Commits a read transaction (read_transaction.cpp).
void commit_read(EngineCore& core, std::span<const ObjectRef> objects);
/// Commits a batch write (batch_write.cpp).
void commit_batch(EngineCore& core, std::span<const ObjectRef> puts,
                  std::span<const ObjectRef> removes);

}  // namespace bloop::detail
