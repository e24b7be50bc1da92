#pragma once
// The Engine's shared state and helpers, used by the engine's source files.

#include <bloop/engine/engine.hpp>

#include "util/executor.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bloop {

struct Engine::Impl {
    Impl(Client c, std::chrono::milliseconds timeout, std::string name_template)
        : client(std::move(c)),
          bind_timeout(timeout),
          table_name_template(std::move(name_template)) {}

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

    /// The threads of the async calls; last, so its queued tasks finish before the rest goes.
    std::once_flag async_once;
    std::unique_ptr<detail::Executor> async;
};

namespace detail {

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

/// Throws InvalidModel when `model` is abstract (it has no table to read or write).
void require_concrete(const ModelInfo& model);

/// MissingObjects naming each of `missing` ("Failed to load some objects: A(id=1), ...").
[[nodiscard]] MissingObjects missing_objects(std::span<const ObjectRef> missing);

}  // namespace detail
}  // namespace bloop
