#pragma once
/// \file
/// `bloop::StreamProcessor`: many workers, in one process or on many machines, share the shards of
/// one or more tables' streams. Each shard is held by one worker at a time through a lease in
/// DynamoDB (`bloop/stream/lease.hpp`); records reach the handler in order within a shard, parents
/// before children; progress is checkpointed in the lease, so a worker that dies or stops is
/// followed by another from its last checkpoint. Delivery is at least once: records after the last
/// checkpoint may be handled again (see docs/stream-processor.md).
///
/// ```cpp
/// bloop::StreamProcessor processor(engine, {.consumer = "order-counter"});
/// processor.subscribe<Order>([&](bloop::RecordBatch<Order>& batch) {
///     for (auto& record : batch.records) { ... }
/// });                     // checkpointed after the handler returns
/// processor.run();        // until processor.stop() (safe in a signal handler)
/// ```

#include <bloop/client/log.hpp>
#include <bloop/engine/engine.hpp>
#include <bloop/stream/coordinator.hpp>
#include <bloop/stream/lease.hpp>
#include <bloop/stream/stream.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace bloop {

/// When a worker checkpoints a shard on its own.
class Checkpointing {
  public:
    /// After every batch the handler returns from (the default).
    static Checkpointing every_batch() { return Checkpointing(1, false); }
    /// After the handler returns from the batch that reaches `records` records since the last
    /// checkpoint (at least 1).
    static Checkpointing every_records(std::size_t records) {
        return Checkpointing(records == 0 ? 1 : records, true);
    }
    /// Only when the handler calls `RecordBatch::checkpoint()` (and at a shard's end).
    static Checkpointing manual() { return Checkpointing(0, false); }

    /// 0: manual.
    [[nodiscard]] std::size_t records() const { return records_; }
    /// Whether `records()` counts records (true) or batches.
    [[nodiscard]] bool counts_records() const { return counts_records_; }

  private:
    Checkpointing(std::size_t records, bool counts_records)
        : records_(records), counts_records_(counts_records) {}
    std::size_t records_;
    bool counts_records_;
};

/// What a consumer's workers even out among themselves.
enum class Balance {
    /// The number of leases each holds (the default).
    lease_count,
    /// The records per second each one's shards deliver, as measured by their holders and carried
    /// in the leases (KCL 3's lever): a worker holding a few busy shards is not given more, and
    /// quiet shards are shared by count. Free and expired leases are still taken up to each
    /// worker's share by count; only the asks for balance follow throughput.
    throughput,
};

/// How a StreamProcessor's worker behaves.
struct ProcessorOptions {
    /// The consumer's name: workers with one name share its shards (and leases). Required.
    std::string consumer{};
    /// This worker's name in the leases; empty: "<host>:<pid>:<random>".
    std::string worker{};
    /// Where a shard no worker has started yet begins. With `latest`, shards that are already
    /// closed when the consumer first runs are skipped; their children start at their trim horizon
    /// (so nothing after the start is lost).
    std::variant<StreamPosition::TrimHorizon, StreamPosition::Latest> start = trim_horizon;
    /// When the handler's progress is checkpointed.
    Checkpointing checkpointing = Checkpointing::every_batch();
    /// A lease whose counter and whose owner's heartbeat did not change for this long is taken
    /// over. Each worker writes its heartbeat every third of it (one write for all its leases), and
    /// stops delivering a shard once two thirds of it passed since the last successful write of
    /// the heartbeat or the lease (a handler call should take less than the third left).
    std::chrono::milliseconds lease_duration = std::chrono::seconds(10);
    /// The most leases this worker holds (KCL's maxLeasesForWorker); the rest go to other workers,
    /// or wait for one. Unset: its share, whatever that is.
    std::optional<std::size_t> max_leases{};
    /// What this worker evens out when it asks other workers for leases (every worker of a
    /// consumer should use the same).
    Balance balance = Balance::lease_count;
    /// By throughput: a lease is asked for only when moving it narrows the gap between the two
    /// workers by more than this fraction of a worker's mean load (KCL 3's rebalance threshold),
    /// so leases do not move for noise. At least 0.
    double balance_threshold = 0.1;
    /// How often leases are listed, to take free, expired or (for balance) other workers' leases.
    std::chrono::milliseconds take_interval = std::chrono::seconds(5);
    /// How often the streams are described, to add leases for new shards.
    std::chrono::milliseconds shard_sync_interval = std::chrono::seconds(30);
    /// The pause after a shard returned no records.
    std::chrono::milliseconds idle_poll = std::chrono::seconds(1);
    /// The longest pause between a handler's retries (they back off from 100 ms).
    std::chrono::milliseconds max_retry_backoff = std::chrono::seconds(10);
    /// How long stopping waits for handlers in a call: run() returns within it. A shard whose
    /// handler is still in a call then is neither checkpointed nor released — its lease expires
    /// and another worker continues from its last checkpoint — and destroying the processor waits
    /// for that call to return.
    std::chrono::milliseconds shutdown_deadline = std::chrono::seconds(20);
    /// run() returns once no record was handled for this long and every held shard is caught up.
    std::optional<std::chrono::milliseconds> idle_exit{};
    /// Where leases are kept; null: `lease_table(engine)` with a timeout of a quarter of
    /// `lease_duration` on every lease request.
    std::shared_ptr<LeaseStore> leases{};
    /// DynamoDB Streams; null: the engine client's.
    std::shared_ptr<StreamsApi> streams{};
};

/// Writes a sequence number as a held shard's checkpoint; throws LeaseLost.
using CheckpointAt = std::function<void(const std::string& sequence_number)>;

/// Records of one shard, in order, for a handler: Record<T>s of one model, or for the entities
/// of a shared table (RecordBatch<Org, User, Order>) each record as a variant of their Records.
/// The processor makes them; one made by hand (to test a handler) checkpoints nothing.
template <class... Ts>
struct RecordBatch {
    /// Record<T>, or std::variant<Record<Ts>...> for several entities.
    using record_type = typename detail::BatchRecord<Ts...>::type;
    /// The records, in the shard's order (for entities: only theirs; records of the table's
    /// other entities are passed over).
    std::vector<record_type> records;
    /// The stream the shard belongs to.
    std::string stream_arn;
    /// The shard they come from.
    std::string shard_id;

    /// Checkpoints the shard at the batch's last record now. Throws LeaseLost when another worker
    /// took the shard (the records after its checkpoint will be handled there again).
    void checkpoint();
    /// Checkpoints at `record` (one of this batch's): every record up to it was handled.
    void checkpoint(const record_type& record);

  private:
    friend class StreamProcessor;
    CheckpointAt checkpoint_at_;  // empty: checkpoints do nothing
};

/// One worker of a consumer: takes leases on the shards of the subscribed models' streams and
/// calls their handlers. Handlers of different shards run concurrently (one thread per held
/// shard); a handler's exception retries the batch with backoff, never skipping it.
class StreamProcessor {
  public:
    /// A worker over `engine`'s client and bindings (the models it subscribes must be bound with
    /// a stream). Binds the lease table unless `options.leases` is given. Throws InvalidArgument
    /// for an empty consumer or non-positive intervals.
    StreamProcessor(Engine& engine, ProcessorOptions options);
    /// Stops the worker (see stop()), waits until a run() on another thread has returned, and
    /// releases what is still held.
    ~StreamProcessor();
    StreamProcessor(const StreamProcessor&) = delete;
    StreamProcessor& operator=(const StreamProcessor&) = delete;

    /// Handles T's stream with `handler`. Throws InvalidStream when T has no stream or a handler
    /// already, InvalidArgument while run() works (subscribe every model before).
    template <TableModel T>
    StreamProcessor& subscribe(std::function<void(RecordBatch<T>&)> handler);
    /// Handles a shared table's stream as several of its entities (single-table design): each
    /// record as the model its entity type names (see EntityStream); a batch holding none of
    /// theirs is not handed over. One subscription per table.
    template <TableModel A, TableModel B, TableModel... More>
    StreamProcessor& subscribe(
        std::type_identity_t<std::function<void(RecordBatch<A, B, More...>&)>> handler);

    /// Works until stop() or the idle exit: takes and balances leases, keeps them alive with its
    /// heartbeat, reads held shards. On the way out, checkpoints what was handled (unless manual)
    /// and releases every lease, so other workers continue at once — waiting for a handler in a
    /// call up to `shutdown_deadline`. Throws InvalidArgument when nothing is subscribed or run()
    /// is already working (on another thread).
    void run();
    /// Asks run() to return. Async-signal-safe: may be called from a SIGTERM handler.
    void stop() noexcept { stopping_.store(true); }
    /// This worker's name in the leases.
    [[nodiscard]] const std::string& worker() const;
    /// How many shards this worker holds now.
    [[nodiscard]] std::size_t held() const;

  private:
    using UntypedHandler =
        std::function<void(const std::vector<StreamRecord>&, const std::string& arn,
                           const std::string& shard, const CheckpointAt& checkpoint)>;
    void add_stream(const ModelInfo& model, const std::string& stream_arn, UntypedHandler handler);

    Engine* engine_;
    std::atomic<bool> stopping_{false};
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// At the batch's last record.
template <class... Ts>
void RecordBatch<Ts...>::checkpoint() {
    if (!records.empty()) checkpoint(records.back());
}

/// At `record`.
template <class... Ts>
void RecordBatch<Ts...>::checkpoint(const record_type& record) {
    if (checkpoint_at_) checkpoint_at_(detail::sequence_number_of(record));
}

template <TableModel T>
StreamProcessor& StreamProcessor::subscribe(std::function<void(RecordBatch<T>&)> handler) {
    detail::EngineCore* core = &detail::EngineAccess::core(*engine_);
    add_stream(model_info<T>(), engine_->binding<T>().stream_arn,
               [core, handler = std::move(handler)](
                   const std::vector<StreamRecord>& records, const std::string& arn,
                   const std::string& shard, const CheckpointAt& checkpoint) {
                   RecordBatch<T> batch;
                   batch.stream_arn = arn;
                   batch.shard_id = shard;
                   batch.checkpoint_at_ = checkpoint;
                   batch.records.reserve(records.size());
                   for (const auto& r : records) {  // afresh for every try of the handler
                       // Of a shared table: its other entities' records are passed over.
                       if (auto record = detail::record_of<T>(*core, StreamRecord(r)))
                           batch.records.push_back(std::move(*record));
                   }
                   if (!batch.records.empty() || records.empty()) handler(batch);
               });
    return *this;
}

template <TableModel A, TableModel B, TableModel... More>
StreamProcessor& StreamProcessor::subscribe(
    std::type_identity_t<std::function<void(RecordBatch<A, B, More...>&)>> handler) {
    static_assert(detail::check_collection<A, B, More...>());
    detail::EngineCore* core = &detail::EngineAccess::core(*engine_);
    const std::array<const ModelInfo*, 2 + sizeof...(More)> models{
        &model_info<A>(), &model_info<B>(), &model_info<More>()...};
    add_stream(model_info<A>(), engine_->binding<A>().stream_arn,
               [core, models, handler = std::move(handler)](
                   const std::vector<StreamRecord>& records, const std::string& arn,
                   const std::string& shard, const CheckpointAt& checkpoint) {
                   RecordBatch<A, B, More...> batch;
                   batch.stream_arn = arn;
                   batch.shard_id = shard;
                   batch.checkpoint_at_ = checkpoint;
                   for (const auto& r : records) {  // afresh for every try of the handler
                       if (auto record =
                               detail::entity_record<A, B, More...>(*core, models, StreamRecord(r)))
                           batch.records.push_back(std::move(*record));
                   }
                   if (!batch.records.empty()) handler(batch);
               });
    return *this;
}

}  // namespace bloop
