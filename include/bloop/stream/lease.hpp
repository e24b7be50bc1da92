#pragma once
/// \file
/// The lease table of `StreamProcessor`: one item per shard of every stream a consumer reads,
/// saying which worker processes the shard and how far it got, and one heartbeat item per live
/// worker. Every write is conditional on the item's counter (the model's version column), so two
/// workers never hold one shard.

#include <bloop/engine/engine.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bloop {

/// One shard's lease. Readable by anyone (e.g. to monitor a consumer's progress); written only by
/// workers, always whole: an empty `owner`, `next_owner` or `parents` is absent from the item.
struct StreamLease {
    /// The consumer's name (hash key): its workers share these leases.
    std::string consumer;
    /// "<stream arn>/<shard id>" (range key).
    std::string lease;
    /// The worker holding the lease; empty: free.
    std::string owner;
    /// A worker that asked the owner for this lease to balance the shares; the owner hands it over
    /// (checkpoints and releases it) once its current batch is handled. Empty: none.
    std::string next_owner;
    /// How far the shard was processed: `checkpoint::trim_horizon` or `checkpoint::latest` (not
    /// started), a sequence number (every record up to it was handled), or `checkpoint::shard_end`.
    std::string checkpoint;
    /// The ids of the shard's parents (read first).
    std::vector<std::string> parents;
    /// Incremented by every write (taking, checkpointing, releasing; a heartbeat's by each beat):
    /// a lease whose counter and whose owner's heartbeat both stop changing has lost its worker.
    std::int64_t counter = 0;
    /// Records per second its holder delivered lately (an average over lease durations), carried by
    /// every write of the lease; workers balancing by throughput share shards by it. 0: quiet, or
    /// not measured yet.
    double throughput = 0;

    /// The stream arn part of `lease`.
    [[nodiscard]] std::string_view stream_arn() const;
    /// The shard id part of `lease`.
    [[nodiscard]] std::string_view shard_id() const;
    /// Whether the shard was read to its end (closed shards only).
    [[nodiscard]] bool finished() const;
    /// Whether this item is a worker's heartbeat, not a shard's lease.
    [[nodiscard]] bool is_heartbeat() const;
};

/// The key of a worker's heartbeat item: "heartbeat/<worker>" (its `owner` is the worker). A
/// worker writes it every third of the lease duration instead of renewing each lease it holds, so
/// keeping leases costs one write per worker, not one per shard.
[[nodiscard]] std::string heartbeat_key(std::string_view worker);

/// The special checkpoints of a lease.
namespace checkpoint {
/// Start at the oldest record still in the shard.
inline constexpr std::string_view trim_horizon = "TRIM_HORIZON";
/// Start after the newest record when first read.
inline constexpr std::string_view latest = "LATEST";
/// What a heartbeat item holds as its checkpoint.
inline constexpr std::string_view heartbeat = "HEARTBEAT";
/// The shard is closed and every record was handled.
inline constexpr std::string_view shard_end = "SHARD_END";
}  // namespace checkpoint

/// The lease table: `bloop_stream_leases` (under the engine's table name template), on-demand.
template <>
struct Model<StreamLease> {
    /// The table: bloop_stream_leases, on-demand.
    static constexpr Meta meta{.table_name = "bloop_stream_leases", .billing = Billing::on_demand};
    /// One partition per consumer.
    static constexpr auto hash_key = &StreamLease::consumer;
    /// One item per shard.
    static constexpr auto range_key = &StreamLease::lease;
    /// Every write is conditional on the lease counter, and increments it.
    static constexpr auto version = &StreamLease::counter;
};

/// What a conditional lease write did.
struct LeaseWrite {
    /// The lease was written (and its counter incremented).
    bool written = false;
    /// When not written: the lease as stored now; none when no lease is stored under its key.
    std::optional<StreamLease> stored{};
};

/// Where leases are kept. `lease_table(engine)` is the real one; tests may supply their own.
class LeaseStore {
  public:
    virtual ~LeaseStore() = default;
    /// Every lease of `consumer`, read consistently.
    virtual std::vector<StreamLease> list(const std::string& consumer) = 0;
    /// Writes `lease` whole — every attribute, empty ones removed from the item — when the stored
    /// lease's counter is `lease.counter` (0: no lease stored), and increments `lease.counter`.
    /// When another writer got there first, changes nothing and says what is stored.
    virtual LeaseWrite write(StreamLease& lease) = 0;
    /// Deletes `lease` when its stored counter is `lease.counter`; false otherwise.
    virtual bool remove(const StreamLease& lease) = 0;
};

/// How the lease table answers a worker.
struct LeaseTableOptions {
    /// Bounds every lease request, its retries included (CallOptions::timeout). A worker's
    /// requests must answer well within its lease duration; unset: the client's own timeouts.
    std::optional<std::chrono::milliseconds> timeout{};
};

/// The lease table of `engine` (binds StreamLease: creates or validates the table). Its requests
/// go through the engine's client, not through `Engine::save`, so the engine's object signals do
/// not fire for leases.
[[nodiscard]] std::shared_ptr<LeaseStore> lease_table(Engine& engine,
                                                      LeaseTableOptions options = {});

}  // namespace bloop
