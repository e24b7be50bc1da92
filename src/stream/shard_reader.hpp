#pragma once
// One held shard of a StreamProcessor: its lease (renewed by the processor's thread, checkpointed
// by the reading thread, one write at a time) and the thread that reads the shard in order and
// calls the handler.

#include <bloop/stream/processor.hpp>

#include "stream/lease_plan.hpp"

#include <atomic>
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
    /// Logs `message` at `level`, prefixed with the consumer and worker.
    void say(LogLevel level, const std::string& message) const;
};

/// The handler of one stream.
using BatchHandler = std::function<void(const std::vector<StreamRecord>&, const std::string&,
                                        const std::string&, ShardCheckpointer&)>;

class ShardReader final : public ShardCheckpointer {
  public:
    /// `lease` was just taken (its counter is the stored one).
    ShardReader(const ReaderContext& context, const BatchHandler& handler, StreamLease lease);
    /// Stops and joins the reading thread (without releasing: see release()).
    ~ShardReader() override;
    ShardReader(const ShardReader&) = delete;
    ShardReader& operator=(const ShardReader&) = delete;

    /// Starts reading (once the shard's parents are finished).
    void start();
    [[nodiscard]] bool started() const { return thread_.joinable(); }
    /// Renews the lease (from the processor's thread). A lease another worker wrote is lost; one
    /// that could not be renewed for two thirds of the lease duration is given up.
    void renew(LeaseClock::time_point now);
    /// The lease is no longer this worker's: its thread stops without checkpointing.
    [[nodiscard]] bool lost() const { return lost_.load(); }
    /// The shard was read to its end, checkpointed there and released.
    [[nodiscard]] bool finished() const { return finished_.load(); }
    /// The reading thread has returned (or never started).
    [[nodiscard]] bool done() const { return !thread_.joinable() || done_.load(); }
    /// The last read found no new records.
    [[nodiscard]] bool caught_up() const { return caught_up_.load(); }
    /// Stops reading after the current batch, then checkpoints what was handled (unless
    /// checkpointing is manual) and releases the lease, so another worker continues at once.
    void release();

    void checkpoint(const std::string& sequence_number) override;

  private:
    void read();
    [[nodiscard]] std::string iterator_at(const std::string& position);
    // Delivers one page to the handler until it returns; false when stopped first.
    bool deliver(const std::vector<StreamRecord>& records);
    // Writes the lease changed by `change`; false (and lost) when another writer got there first.
    bool write(const std::function<void(StreamLease&)>& change);
    [[nodiscard]] bool should_stop() const;
    // Sleeps `duration`, waking early when the reader should stop.
    void pause(std::chrono::milliseconds duration) const;

    const ReaderContext& context_;
    const BatchHandler& handler_;
    const std::string arn_;
    const std::string shard_;

    mutable std::mutex lease_mutex_;  // one lease write at a time
    StreamLease lease_;
    LeaseClock::time_point renewed_;

    std::string handled_;      // the last record the handler returned from (reading thread)
    std::size_t unsaved_ = 0;  // records or batches handled since the last checkpoint
    std::atomic<bool> stop_{false};
    std::atomic<bool> lost_{false};
    std::atomic<bool> finished_{false};
    std::atomic<bool> caught_up_{false};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

}  // namespace bloop::detail
