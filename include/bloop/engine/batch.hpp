#pragma once
/// \file
/// Batch writes (BatchWriteItem): put and delete many whole items fast.
///
/// ```cpp
/// bloop::BatchWrite batch(engine);
/// batch.put(std::span(accounts)).remove(stale_session);
/// batch.commit();  // 25 items a request, requests in flight concurrently
/// ```
///
/// A put is not a save: it replaces the whole item, so attributes the model does not know (or
/// columns the object holds no value for) are gone afterwards, and it checks no condition.

#include <bloop/engine/engine.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace bloop {

/// Puts and deletes of objects of any bound models, 25 a request (DynamoDB's limit), the
/// requests in flight concurrently (up to the client's max_in_flight). Unlike a transaction it is
/// not atomic: each item is written or not on its own, and `commit()` reports exactly the objects
/// that were not. Not thread-safe; the engine it uses is.
class BatchWrite {
  public:
    /// An empty batch on `engine`'s bound models.
    explicit BatchWrite(Engine& engine) : core_(&detail::EngineAccess::core(engine)) {}

    /// Replaces the item of `object` with its columns (PutRequest): no condition, and attributes
    /// the model does not know are removed.
    template <TableModel T>
    BatchWrite& put(T& object) {
        puts_.push_back({&model_info<T>(), &object});
        return *this;
    }
    /// Puts a list of objects of one model.
    template <TableModel T>
    BatchWrite& put(std::span<T> objects) {
        for (auto& o : objects) puts_.push_back({&model_info<T>(), &o});
        return *this;
    }
    /// Deletes the item of `object` (DeleteRequest), whether it exists or not.
    template <TableModel T>
    BatchWrite& remove(T& object) {
        removes_.push_back({&model_info<T>(), &object});
        return *this;
    }
    /// Deletes the items of a list of objects of one model.
    template <TableModel T>
    BatchWrite& remove(std::span<T> objects) {
        for (auto& o : objects) removes_.push_back({&model_info<T>(), &o});
        return *this;
    }

    /// The operations added so far.
    [[nodiscard]] std::size_t size() const noexcept { return puts_.size() + removes_.size(); }

    /// Sends the batch; an empty one sends nothing. Input that cannot be written is refused first
    /// (MissingKey, InvalidValue, InvalidBatch, UnboundModel); the same object twice is one
    /// operation. UnprocessedItems are sent again with backoff; a request DynamoDB refuses as a
    /// whole is split so that only the items at fault fail. Written objects are synced (a put
    /// makes every column known; a delete forgets the state) and signalled (`object_saved`,
    /// `object_deleted`). When some could not be written, WriteFailed lists exactly those.
    void commit() { detail::commit_batch(*core_, puts_, removes_); }

  private:
    detail::EngineCore* core_;
    std::vector<detail::ObjectRef> puts_;
    std::vector<detail::ObjectRef> removes_;
};

}  // namespace bloop
