#pragma once
// One object's save, delete or condition check, prepared before anything is sent: the request
// (also an item of a write transaction), what it writes, and how to tell why its condition failed.

#include <bloop/conditions/condition.hpp>
#include <bloop/engine/engine.hpp>

#include "engine/applied.hpp"
#include "wire/items.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bloop::detail {

/// One object's write, ready to send.
struct PreparedWrite {
    ObjectRef ref;
    WriteKind kind;
    /// An UpdateItem (a save), a DeleteItem (a remove) or a ConditionCheck (a check).
    wire::TransactWriteItem request;
    std::vector<std::size_t> written;     ///< columns a save makes known, ascending
    std::vector<std::size_t> acted;       ///< columns update actions leave unknown, ascending
    WriteEffect effect;                   ///< what a save writes, to recognise it in place
    std::optional<std::int64_t> version;  ///< the object's version, when the model has one
    Sync sync = Sync::none;               ///< whether the response's item is loaded
};

/// Builds the request of `kind` for `ref` as `spec` says: its condition (and the snapshot when
/// atomic, and the version rule), its update actions and ReturnValues. Throws MissingKey,
/// InvalidValue, InvalidModel and InvalidUpdate before anything is sent.
[[nodiscard]] PreparedWrite prepare_write(const ObjectRef& ref, const Binding& binding,
                                          const WriteSpec& spec, WriteKind kind);

/// Why the prepared write's condition failed, given the stored item (null: no item).
struct ConditionFailure {
    bool stale = false;   ///< the object's version is not the stored one
    std::string message;  ///< "Doc(id=...) is stale: ..." or "The condition was not met for ..."
};
[[nodiscard]] ConditionFailure condition_failure(const PreparedWrite& p,
                                                 const AttributeMap* stored);

/// After the write was applied: a save increments the object's version and syncs its state (the
/// columns of its update actions become unknown; the values it wrote move from `p.effect` into the
/// snapshot); a remove resets its version to 0 and forgets its state; a check changes nothing.
/// With `returned` (the item DynamoDB returned for `p.sync`), the object is then loaded from it (a
/// removed object's state stays forgotten). Returns whether the object was loaded.
bool mark_written(PreparedWrite& p, Item* returned = nullptr);

}  // namespace bloop::detail
