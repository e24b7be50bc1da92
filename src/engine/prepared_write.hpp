#pragma once
// One object's save, delete or condition check, prepared before anything is sent: the request
// (also an item of a write transaction), what it writes, and how to tell why its condition failed.

#include <bloop/conditions/condition.hpp>
#include <bloop/engine/engine.hpp>
#include <bloop/json/json.hpp>

#include "engine/applied.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bloop::detail {

/// One object's write, ready to send.
struct PreparedWrite {
    ObjectRef ref;
    WriteKind kind;
    /// UpdateItem, DeleteItem or (a check) ConditionCheck members: TableName, Key, expressions,
    /// ReturnValuesOnConditionCheckFailure.
    json::Value request;
    std::vector<std::size_t> written;     ///< columns a save makes known, ascending
    WriteEffect effect;                   ///< what a save writes, to recognise it in place
    std::optional<std::int64_t> version;  ///< the object's version, when the model has one
};

/// Builds the request of `kind` for `ref` with `condition` (and the snapshot when `atomic`, and
/// the version rule). Throws MissingKey, InvalidValue and InvalidModel before anything is sent.
[[nodiscard]] PreparedWrite prepare_write(const ObjectRef& ref, const Binding& binding,
                                          const Condition& condition, bool atomic, WriteKind kind);

/// Why the prepared write's condition failed, given the stored item (null: no item).
struct ConditionFailure {
    bool stale = false;   ///< the object's version is not the stored one
    std::string message;  ///< "Doc(id=...) is stale: ..." or "The condition was not met for ..."
};
[[nodiscard]] ConditionFailure condition_failure(const PreparedWrite& p,
                                                 const AttributeMap* stored);

/// After the write was applied: a save increments the object's version and syncs its state; a
/// remove resets its version to 0 and forgets its state; a check changes nothing.
void mark_written(const PreparedWrite& p);

}  // namespace bloop::detail
