#pragma once
/// \file
/// All-or-nothing writes and consistent reads across objects, models and tables
/// (TransactWriteItems and TransactGetItems).
///
/// ```cpp
/// bloop::WriteTransaction tx(engine);
/// tx.save(from, {.condition = bloop::attr<&BankAccount::balance> >= amount});
/// tx.save(to);
/// tx.save(entry);
/// tx.check(bank, bloop::attr<&Bank::open> == true);
/// tx.commit();  // every write applied, or none (TransactionFailed names the objects and why)
///
/// bloop::ReadTransaction rx(engine);
/// rx.load(from, to);
/// rx.commit();  // both as they were at one moment
/// ```

#include <bloop/conditions/condition.hpp>
#include <bloop/engine/engine.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace bloop {

/// Options of a write transaction.
struct TransactionOptions {
    /// DynamoDB's ClientRequestToken (1 to 36 characters). Empty: each `commit()` makes a fresh
    /// random one. Whatever the token, every retry of one commit sends it again, so a commit
    /// whose answer was lost is applied once. Give your own to make a commit idempotent across
    /// processes (DynamoDB remembers a token for 10 minutes; the same token with a different
    /// request is refused with IdempotentParameterMismatchException).
    std::string token{};
};

/// Saves, removes and condition checks of objects of any bound models, applied all together or
/// not at all, in one TransactWriteItems request (up to 100 objects and 4 MB). Each operation has
/// the same rules as the engine's own `save` / `remove`: what a save writes, `atomic`, and the
/// version rule of a versioned model. Not thread-safe; the engine it uses is.
class WriteTransaction {
  public:
    /// An empty transaction on `engine`'s bound models.
    explicit WriteTransaction(Engine& engine, TransactionOptions options = {})
        : core_(&detail::EngineAccess::core(engine)), options_(std::move(options)) {}

    /// Saves `object` (an Update of its changed columns and its update actions), if
    /// `options.condition` holds. `options.sync` is refused: DynamoDB returns no items from a
    /// transaction.
    template <TableModel T>
    WriteTransaction& save(T& object, const WriteOptions<T>& options = {}) {
        return add({&model_info<T>(), &object}, Kind::save, detail::spec_of(options));
    }
    /// Deletes `object`, if `options.condition` holds.
    template <TableModel T>
    WriteTransaction& remove(T& object, const WriteOptions<T>& options = {}) {
        return add({&model_info<T>(), &object}, Kind::remove, detail::spec_of(options));
    }
    /// Requires `condition` of the item stored under `object`'s key, without writing it.
    template <TableModel T>
    WriteTransaction& check(const T& object, const ConditionOf<T>& condition) {
        // Never written: only its key is read.
        return add({&model_info<T>(), const_cast<T*>(&object)}, Kind::check,
                   detail::WriteSpec{condition.condition(), false, {}, Sync::none});
    }

    /// The operations added so far.
    [[nodiscard]] std::size_t size() const noexcept { return operations_.size(); }

    /// Sends the transaction; an empty one sends nothing. Input DynamoDB would refuse is refused
    /// first (MissingKey, InvalidValue, InvalidCondition, InvalidTransaction, UnboundModel).
    /// Conflicts with other transactions are retried with backoff, a bounded number of times,
    /// with the same token. Committed: every saved object is synced (its version incremented),
    /// every removed one forgotten, then `object_saved` / `object_deleted` fire once for each.
    /// Cancelled: TransactionFailed names each failing object and why, and nothing changed. The
    /// operations stay, so the transaction can be committed again (with a new token, unless one
    /// was given).
    void commit() { detail::commit_write(*core_, operations_, options_.token); }

  private:
    using Kind = detail::WriteKind;
    WriteTransaction& add(detail::ObjectRef ref, Kind kind, detail::WriteSpec spec) {
        operations_.push_back({ref, kind, std::move(spec)});
        return *this;
    }

    detail::EngineCore* core_;
    TransactionOptions options_;
    std::vector<detail::TransactionOperation> operations_;
};

/// Loads objects of any bound models as they all were at one moment, in one TransactGetItems
/// request (up to 100 items; objects with the same key share one). Not thread-safe; the engine it
/// uses is.
class ReadTransaction {
  public:
    /// An empty read on `engine`'s bound models.
    explicit ReadTransaction(Engine& engine) : core_(&detail::EngineAccess::core(engine)) {}

    /// Adds objects to load by their keys.
    template <TableModel... T>
    ReadTransaction& load(T&... objects) {
        (objects_.push_back({&model_info<T>(), &objects}), ...);
        return *this;
    }
    /// Adds a list of objects of one model.
    template <TableModel T>
    ReadTransaction& load(std::span<T> objects) {
        for (auto& o : objects) objects_.push_back({&model_info<T>(), &o});
        return *this;
    }

    /// The objects added so far.
    [[nodiscard]] std::size_t size() const noexcept { return objects_.size(); }

    /// Reads every object's item in one snapshot; the found objects are loaded and signalled
    /// (`object_loaded`). Throws MissingObjects naming exactly the objects not found, after the
    /// others were loaded. Conflicts with write transactions are retried with backoff.
    void commit() { detail::commit_read(*core_, objects_); }

  private:
    detail::EngineCore* core_;
    std::vector<detail::ObjectRef> objects_;
};

}  // namespace bloop
