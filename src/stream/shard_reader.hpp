#pragma once
// One held shard of a StreamProcessor: its lease (checkpointed by the reading thread, one write at
// a time; kept alive by the worker's heartbeat) and the thread that reads the shard in order and
// calls the handler. The reader hands out a batch only while the lease's or the heartbeat's last
// successful write was sent less than the safe window ago, by the monotonic clock at that moment:
// another worker takes the lease over only once neither counter has changed for a whole lease
// duration.

#include <bloop/stream/processor.hpp>

#include "stream/lease_plan.hpp"
#include "stream/throughput_meter.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace bloop::detail {

/// What every shard of a worker shares.
struct ReaderContext {
    const ProcessorOptions* options;
    std::string worker;
    std::shared_ptr<StreamsApi> streams;
    std::shared_ptr<LeaseStore> leases;
    LogListener log;
    const std::atomic<bool>* stopping;           // the worker is stopping
    std::atomic<LeaseClock::rep>* last_handled;  // when a record was last handled
    /// When the worker's last successful heartbeat was sent (0: none yet).
    const std::atomic<LeaseClock::rep>* heartbeat_written = nullptr;
    Telemetry* telemetry = nullptr;  // the client's; null: none
    /// Logs `message` at `level`, prefixed with the consumer and worker.
    void say(LogLevel level, const std::string& message) const;
    /// Reports a lease of `shard` taken, stolen, lost, released or checkpointed (with telemetry).
    void lease_event(std::string_view kind, const std::string& shard) const;
    /// How long after its last successful write a lease may still be used: two thirds of the
    /// lease duration, leaving a third for a batch handed out just before it ends.
    [[nodiscard]] LeaseClock::duration safe_window() const;
    /// How often the worker's heartbeat is written: a third of the lease duration.
    [[nodiscard]] LeaseClock::duration beat_interval() const;
};

/// The handler of one stream.
using BatchHandler = std::function<void(const std::vector<StreamRecord>&, const std::string&,
                                        const std::string&, const CheckpointAt&)>;

class ShardReader final {
  public:
    /// `lease` was just taken with a write sent at `taken` (its counter is the stored one).
    ShardReader(const ReaderContext& context, const BatchHandler& handler, StreamLease lease,
                LeaseClock::time_point taken);
    /// Stops and joins the reading thread (without releasing: see release()).
    ~ShardReader();
    ShardReader(const ShardReader&) = delete;
    ShardReader& operator=(const ShardReader&) = delete;

    /// Starts reading (once the shard's parents are finished), after writing the lease once more:
    /// a listing may be older than another worker's take, the lease's own condition is not.
    void start();
    /// Starts reading at once: the lease was just written (taken).
    void launch();
    [[nodiscard]] bool started() const { return thread_.joinable(); }
    /// The lease's key ("<stream arn>/<shard id>").
    [[nodiscard]] const std::string& key() const { return key_; }
    /// What a listing says is stored for the lease now (from the processor). A lease another
    /// worker took is lost; one another worker asked for is handed over after the current batch.
    /// A listing older than this reader's own last write changes nothing.
    void observe(const StreamLease& stored);
    /// The lease is no longer this worker's: its thread stops without checkpointing.
    [[nodiscard]] bool lost() const { return lost_.load(); }
    /// The shard was read to its end, checkpointed there and released.
    [[nodiscard]] bool finished() const { return finished_.load(); }
    /// The lease is no longer this worker's by its own write: released, handed over to the worker
    /// that asked for it, or finished.
    [[nodiscard]] bool released() const { return released_.load(); }
    /// Lost, finished or released: no longer held.
    [[nodiscard]] bool gone() const { return lost() || finished() || released(); }
    /// The reading thread has returned (or never started).
    [[nodiscard]] bool done() const { return !thread_.joinable() || done_.load(); }
    /// The last read found no new records.
    [[nodiscard]] bool caught_up() const { return caught_up_.load(); }
    /// Asks the reading thread to stop after the current batch (returns at once).
    void request_stop();
    /// Stops reading after the current batch, then checkpoints what was handled (unless
    /// checkpointing is manual) and releases the lease, so another worker continues at once.
    void release();

    /// Writes `sequence_number` as the shard's checkpoint (a handler's RecordBatch::checkpoint);
    /// throws LeaseLost when another worker took the shard.
    void checkpoint(const std::string& sequence_number);

  private:
    enum class Written { yes, lost, handoff };
    void read();
    [[nodiscard]] std::string iterator_at(const std::string& position);
    // Delivers one page to the handler until it returns; false when it may not (any more).
    bool deliver(const std::vector<StreamRecord>& records);
    // Checkpoints what was handled, trying again until it is saved: nothing more is read before.
    bool checkpoint_handled();
    // Writes the lease changed by `change`. A confirmation does not write over a handoff request;
    // other writes (checkpoints, releases) do, keeping the request.
    Written write(const std::function<void(StreamLease&)>& change, bool confirm);
    // Takes note of `stored`, the lease as another worker left it for this one: asked for, the
    // lease is handed over after the current batch (true); caller holds lease_mutex_.
    bool asked_for(const StreamLease& stored);
    // Checkpoints what was handled and releases the lease (once).
    void hand_back();
    // Whether the reader may go on: not stopped, and the lease's or the heartbeat's last write
    // recent enough (else it is given up, logged once).
    bool may_continue();
    [[nodiscard]] bool should_stop() const;
    // Sleeps `duration`, waking early when the reader should stop.
    void pause(std::chrono::milliseconds duration) const;
    // Wakes a pause (the reader should stop).
    void wake() const;
    // Writes the lease for its throughput alone (it drifted and no checkpoint carried it); false
    // when the lease was lost.
    bool write_throughput();
    // Marks the lease lost (once: reported and logged with `why`); the reader stops.
    void lose(const std::string& why);
    // The lease went to `owner` (empty: no one).
    void lose_to(const std::string& owner);
    // Reports a step with `records` to the telemetry.
    void report(StreamBatchEvent::Stage stage, const std::vector<StreamRecord>& records) const;

    const ReaderContext& context_;
    const BatchHandler& handler_;
    const CheckpointAt checkpoint_at_ = [this](const std::string& s) { checkpoint(s); };
    const std::string key_;
    const std::string arn_;
    const std::string shard_;
    const std::string table_;  // the table whose stream this is (for telemetry)

    mutable std::mutex lease_mutex_;  // one lease write at a time
    StreamLease lease_;
    std::atomic<LeaseClock::rep> written_;  // when the last successful write was sent
    ThroughputMeter meter_;                 // records per second, carried by every lease write

    std::string handled_;             // the last record the handler returned from (reading thread)
    std::size_t unsaved_ = 0;         // records or batches handled since the last checkpoint
    mutable std::mutex pause_mutex_;  // with pause_wake_: pauses end early when woken
    mutable std::condition_variable pause_wake_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> lost_{false};
    std::atomic<bool> handoff_{false};
    std::atomic<bool> finished_{false};
    std::atomic<bool> released_{false};
    std::atomic<bool> caught_up_{false};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

}  // namespace bloop::detail
