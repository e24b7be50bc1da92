#pragma once
// The engine's core (its client, bound models and threads) and the helpers the engine's source
// files share. Each feature (writes, loads, searches, transactions, batch writes, bind) is a
// function over the core in a file of its own; Engine only maps the user's calls onto them.

#include <bloop/engine/engine.hpp>

#include "util/executor.hpp"

#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

namespace bloop::detail {

class EngineCore {
  public:
    EngineCore(Engine& e, Client c, std::chrono::milliseconds timeout, std::string name_template)
        : engine(e),
          client(std::move(c)),
          bind_timeout(timeout),
          table_name_template(std::move(name_template)) {}

    Engine& engine;  ///< whose signals fire
    Client client;
    std::chrono::milliseconds bind_timeout;
    std::string table_name_template;

    /// The table name of `model` under the template.
    std::string table_name(const ModelInfo& model) const;
    mutable std::mutex mutex;
    // Shared, so a request in progress keeps the binding it started with (bind may replace it)
    // without copying its strings per request.
    std::unordered_map<const ModelInfo*, std::shared_ptr<const Binding>> bindings;

    /// The binding of `model`; throws UnboundModel.
    std::shared_ptr<const Binding> bound(const ModelInfo& model) const;

    /// Signals `objects` as loaded (object_modified per column, object_loaded), every one even
    /// when a receiver throws; returns the first exception a receiver threw.
    std::exception_ptr signal_loaded(std::span<const ObjectRef> objects);
    /// Signals `object`, just loaded into the given columns: object_modified per column, then
    /// object_loaded (a receiver's exception propagates).
    void signal_delivered(const ModelInfo& model, void* object,
                          std::span<const std::size_t> columns);
    /// Signals `ref` as saved (object_saved) or removed (object_deleted); returns the exception a
    /// receiver threw.
    std::exception_ptr signal_written(const ObjectRef& ref, bool removed);

    /// The threads of the async calls; last, so its queued tasks finish before the rest goes.
    std::once_flag async_once;
    std::unique_ptr<Executor> async;
};

/// "Account(id='42')": how errors name an object.
std::string describe_object(const ModelInfo& model, const void* object);

/// Column `column` of `object` as it is written: a value error (NaN, invalid UTF-8 anywhere in
/// it, ...) is thrown naming the object and the column.
std::optional<AttributeValue> dump_for_write(const ModelInfo& model, std::size_t column,
                                             const void* object);

/// The object's key as an item; throws MissingKey naming the object and the key column, or a
/// value error naming both.
Item key_of(const ModelInfo& model, const void* object);

/// The key attributes of a stored item of `model`.
Item key_in(const ModelInfo& model, const Item& item);

/// The same key spelled one way: numbers normalised (DynamoDB answers "1.10" as "1.1").
std::string canonical_key(const Item& key);

/// One stored item's identity across tables: the table name and the canonical key.
std::string item_id(const std::string& table, const Item& key);

/// The names of the models of `objects`, sorted, each once, joined with '+' (for telemetry).
std::string models_of(std::span<const ObjectRef> objects);

/// Throws InvalidModel when `model` is abstract (it has no table to read or write).
void require_concrete(const ModelInfo& model);

/// MissingObjects naming each of `missing` ("Failed to load some objects: A(id=1), ...").
[[nodiscard]] MissingObjects missing_objects(std::span<const ObjectRef> missing);

}  // namespace bloop::detail
