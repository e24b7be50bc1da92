// One held shard: reading it in order, handing pages to the handler until it returns, and
// checkpointing and releasing its lease.

#include "stream/shard_reader.hpp"

#include <bloop/exceptions.hpp>

#include "stream/record.hpp"
#include "wire/streams.hpp"

#include <algorithm>

namespace bloop::detail {

namespace {

std::string ms(LeaseClock::duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

LeaseClock::time_point at(LeaseClock::rep ticks) {
    return LeaseClock::time_point(LeaseClock::duration(ticks));
}

}  // namespace

void ReaderContext::say(LogLevel level, const std::string& message) const {
    if (log) log(level, "stream processor " + options->consumer + " (" + worker + "): " + message);
}

void ReaderContext::lease_event(std::string_view kind, const std::string& shard) const {
    if (telemetry != nullptr) telemetry->lease({kind, options->consumer, shard});
}

void ShardReader::report(StreamBatchEvent::Stage stage,
                         const std::vector<StreamRecord>& records) const {
    if (context_.telemetry == nullptr) return;
    StreamBatchEvent event{stage, table_, shard_, records.size(), {}};
    if (!records.empty()) event.newest = records.back().created_at;
    context_.telemetry->stream_batch(event);
}

LeaseClock::duration ReaderContext::safe_window() const {
    return options->lease_duration * 2 / 3;
}

LeaseClock::duration ReaderContext::beat_interval() const {
    return options->lease_duration / 3;
}

ShardReader::ShardReader(const ReaderContext& context, const BatchHandler& handler,
                         StreamLease lease, LeaseClock::time_point taken)
    : context_(context),
      handler_(handler),
      key_(lease.lease),
      arn_(lease.stream_arn()),
      shard_(lease.shard_id()),
      table_(wire::table_of_stream(arn_)),
      lease_(std::move(lease)),
      written_(taken.time_since_epoch().count()),
      meter_(lease_.throughput, context.options->lease_duration, taken) {}

ShardReader::~ShardReader() {
    request_stop();
    if (thread_.joinable()) thread_.join();
}

void ShardReader::start() {
    if (thread_.joinable() || gone()) return;
    Written written = Written::lost;
    try {
        written = write([](StreamLease&) {}, true);
    } catch (const std::exception& e) {
        context_.say(LogLevel::debug,
                     "could not confirm the lease of " + key_ + " before reading it: " + e.what());
        return;  // the next round tries again
    }
    if (written == Written::handoff) hand_back();
    if (written == Written::yes) launch();
}

void ShardReader::launch() {
    if (thread_.joinable() || gone()) return;
    thread_ = std::thread([this] {
        read();
        if (handoff_.load()) hand_back();
        done_.store(true);
    });
}

bool ShardReader::should_stop() const {
    return stop_.load() || lost_.load() || handoff_.load() || context_.stopping->load();
}

void ShardReader::lose(const std::string& why) {
    if (lost_.exchange(true)) return;
    context_.lease_event("lost", shard_);
    context_.say(LogLevel::warning, why);
}

void ShardReader::lose_to(const std::string& owner) {
    lose("lost the lease of " + key_ + " to " + (owner.empty() ? std::string("no one") : owner) +
         "; stopped reading it");
}

bool ShardReader::may_continue() {
    if (should_stop()) return false;
    const LeaseClock::rep beat =
        context_.heartbeat_written != nullptr ? context_.heartbeat_written->load() : 0;
    const auto silent = LeaseClock::now() - at(std::max(written_.load(), beat));
    if (silent < context_.safe_window()) return true;
    lose("could not renew the lease of " + key_ + " for " + ms(silent) +
         " (no heartbeat or lease write succeeded); stopped reading it before another worker "
         "may take it");
    return false;
}

void ShardReader::pause(std::chrono::milliseconds duration) const {
    // Woken at once by this reader's own stop, loss or handoff (wake()); the worker's stop, set
    // in a signal handler, is seen within 100 ms (run() then stops every reader, which wakes it).
    const auto until = LeaseClock::now() + duration;
    std::unique_lock lock(pause_mutex_);
    while (!should_stop() && LeaseClock::now() < until) {
        pause_wake_.wait_for(lock, std::min<LeaseClock::duration>(std::chrono::milliseconds(100),
                                                                  until - LeaseClock::now()));
    }
}

void ShardReader::wake() const {
    std::lock_guard lock(pause_mutex_);  // a pause between its check and its wait is not missed
    pause_wake_.notify_all();
}

ShardReader::Written ShardReader::write(const std::function<void(StreamLease&)>& change,
                                        bool confirm) {
    std::lock_guard lock(lease_mutex_);
    if (lost_.load() || released_.load() || finished_.load()) return Written::lost;
    for (int round = 0;; ++round) {
        StreamLease next = lease_;
        next.throughput = meter_.rate();
        change(next);
        const auto sent = LeaseClock::now();
        LeaseWrite result = context_.leases->write(next);
        if (result.written) {
            lease_ = std::move(next);
            written_.store(sent.time_since_epoch().count());
            meter_.stored(lease_.throughput);
            // Finished, released or handed over: no write of this worker's may follow.
            if (lease_.finished()) finished_.store(true);
            if (lease_.owner != context_.worker) released_.store(true);
            if (finished_.load() || released_.load()) context_.lease_event("released", shard_);
            return Written::yes;
        }
        const std::optional<StreamLease>& stored = result.stored;
        if (round > 0 || !stored || stored->owner != context_.worker) {
            lose_to(stored ? stored->owner : std::string());
            return Written::lost;
        }
        // Still this worker's: an earlier write of its own that got no answer, or another worker
        // asking for it (then it is handed over after the current batch, and not confirmed).
        if (asked_for(*stored) && confirm) return Written::handoff;
    }
}

bool ShardReader::asked_for(const StreamLease& stored) {
    lease_ = stored;
    if (stored.next_owner.empty()) return false;
    if (!handoff_.exchange(true)) {
        context_.say(LogLevel::info, stored.next_owner + " asked for the lease of " + lease_.lease +
                                         " (for balance); handing it over after this batch");
    }
    return true;
}

void ShardReader::observe(const StreamLease& stored) {
    bool handoff = false;
    {
        std::lock_guard lock(lease_mutex_);
        if (lost_.load() || released_.load() || finished_.load()) return;
        if (stored.counter <= lease_.counter) return;  // not newer than this reader's own write
        if (stored.owner != context_.worker) {
            lose_to(stored.owner);
        } else {
            handoff = asked_for(stored);
            if (!handoff) return;
        }
    }
    wake();
    if (handoff && !started()) hand_back();  // a reader that never started hands over at once
}

void ShardReader::checkpoint(const std::string& sequence_number) {
    if (write([&](StreamLease& l) { l.checkpoint = sequence_number; }, false) != Written::yes) {
        throw LeaseLost("the lease of " + arn_ + "/" + shard_ +
                        " moved to another worker: its records after the last checkpoint will be "
                        "handled there");
    }
    context_.lease_event("checkpointed", shard_);
    unsaved_ = 0;
}

bool ShardReader::checkpoint_handled() {
    while (true) {
        try {
            checkpoint(handled_);
            return true;
        } catch (const LeaseLost&) {
            return false;
        } catch (const std::exception& e) {
            context_.say(LogLevel::warning, "could not checkpoint " + arn_ + "/" + shard_ + " (" +
                                                e.what() + "); reading on once it is saved");
        }
        pause(context_.options->idle_poll);
        // Stopping or handing over: hand_back() checkpoints once more as it releases.
        if (!may_continue()) return false;
    }
}

void ShardReader::hand_back() {
    const bool save = !handled_.empty() && context_.options->checkpointing.records() != 0;
    try {
        if (write(
                [&](StreamLease& l) {
                    if (save) l.checkpoint = handled_;
                    l.owner = l.next_owner;  // handed over to the worker that asked, else free
                    l.next_owner.clear();
                },
                false) == Written::yes) {
            // No write follows a release (write() marked it): the lease is read unguarded.
            context_.say(LogLevel::info, (lease_.owner.empty() ? "released the lease of " + key_
                                                               : "handed the lease of " + key_ +
                                                                     " over to " + lease_.owner) +
                                             " at " + lease_.checkpoint);
        }
    } catch (const std::exception& e) {
        context_.say(LogLevel::warning, "could not release the lease of " + key_ + " (" + e.what() +
                                            "); it expires instead");
    }
}

bool ShardReader::write_throughput() {
    try {
        if (write([](StreamLease&) {}, false) != Written::yes) return false;
        context_.say(LogLevel::debug, "the lease of " + key_ + " now says " +
                                          std::to_string(meter_.rate()) + " records per second");
    } catch (const std::exception& e) {
        context_.say(LogLevel::debug,
                     "could not write the throughput of " + key_ + " (" + e.what() + ")");
    }
    return true;
}

void ShardReader::request_stop() {
    stop_.store(true);
    wake();
}

void ShardReader::release() {
    request_stop();
    if (thread_.joinable()) thread_.join();
    if (!gone()) hand_back();
}

std::string ShardReader::iterator_at(const std::string& position) {
    if (position == checkpoint::trim_horizon || position == checkpoint::latest)
        return context_.streams->get_shard_iterator(arn_, shard_, position, "");
    try {
        return context_.streams->get_shard_iterator(arn_, shard_, "AFTER_SEQUENCE_NUMBER",
                                                    position);
    } catch (const TrimmedDataAccess&) {
        context_.say(LogLevel::error, "the records of " + arn_ + "/" + shard_ + " after " +
                                          position +
                                          " were trimmed from the stream (older than 24 hours) "
                                          "before they were handled; reading from the oldest left");
        return context_.streams->get_shard_iterator(arn_, shard_, "TRIM_HORIZON", "");
    }
}

bool ShardReader::deliver(const std::vector<StreamRecord>& records) {
    auto backoff = std::chrono::milliseconds(100);
    for (int attempt = 1;; ++attempt) {
        // Checked at the moment of each delivery: a lease unwritten for the safe window is given
        // up before any other worker may take it.
        if (!may_continue()) return false;
        try {
            report(StreamBatchEvent::Stage::delivering, records);
            handler_(records, arn_, shard_, checkpoint_at_);
            report(StreamBatchEvent::Stage::handled, records);
            return true;
        } catch (const LeaseLost&) {
            return false;
        } catch (const std::exception& e) {
            report(StreamBatchEvent::Stage::failed, records);
            context_.say(LogLevel::error,
                         "the handler failed on " + std::to_string(records.size()) +
                             " records of " + arn_ + "/" + shard_ + " from " +
                             records.front().sequence_number + " (attempt " +
                             std::to_string(attempt) + ": " + e.what() +
                             "); trying them again in " + std::to_string(backoff.count()) + " ms");
        }
        pause(backoff);
        backoff = std::min(backoff * 2, context_.options->max_retry_backoff);
    }
}

void ShardReader::read() {
    const Checkpointing policy = context_.options->checkpointing;
    std::string iterator;
    while (may_continue()) {
        StreamsApi::Records page;
        try {
            if (iterator.empty()) {
                std::string position;
                {
                    std::lock_guard lock(lease_mutex_);
                    position = handled_.empty() ? lease_.checkpoint : handled_;
                }
                iterator = iterator_at(position);
            }
            page = context_.streams->get_records(iterator);
        } catch (const ExpiredIterator&) {
            iterator.clear();  // a new one after the last record handled
            continue;
        } catch (const TrimmedDataAccess&) {
            // DynamoDB Local answers so for a trim-horizon iterator taken while the shard was
            // empty; a new one from the same position reads on (and one past records truly
            // trimmed moves to the oldest left, saying so).
            context_.say(LogLevel::debug, "reading " + arn_ + "/" + shard_ +
                                              " ran into trimmed records; a new iterator");
            iterator.clear();
            pause(context_.options->idle_poll);
            continue;
        } catch (const std::exception& e) {
            context_.say(LogLevel::warning,
                         "could not read " + arn_ + "/" + shard_ + ": " + e.what());
            iterator.clear();
            pause(context_.options->idle_poll);
            continue;
        }
        std::vector<StreamRecord> records = std::move(page.records);
        for (StreamRecord& r : records) r.shard_id = shard_;
        if (!records.empty()) {
            if (!deliver(records)) return;
            handled_ = records.back().sequence_number;
            unsaved_ += policy.counts_records() ? records.size() : 1;
        }
        const auto now = LeaseClock::now();
        const bool measured = meter_.add(records.size(), now);
        if (!records.empty()) {
            context_.last_handled->store(now.time_since_epoch().count());
            if (policy.records() != 0 && unsaved_ >= policy.records() && !checkpoint_handled())
                return;
        }
        // A checkpoint carries the rate; without one, a rate that moved is written on its own
        // when workers balance by it (counting leases, they do not read it: no write for it).
        if (measured && context_.options->balance == Balance::throughput && meter_.drifted() &&
            !write_throughput())
            return;
        if (!page.next_iterator) {  // closed and read to its end: children may start
            try {
                const Written written = write(
                    [](StreamLease& l) {
                        l.checkpoint = checkpoint::shard_end;
                        l.owner.clear();
                        l.next_owner.clear();
                    },
                    false);
                if (written == Written::yes)
                    context_.say(LogLevel::info, "finished " + arn_ + "/" + shard_);
                return;
            } catch (const std::exception& e) {
                context_.say(LogLevel::warning, "could not checkpoint the end of " + arn_ + "/" +
                                                    shard_ + " (" + e.what() + ")");
                iterator.clear();
                pause(context_.options->idle_poll);
                continue;
            }
        }
        iterator = std::move(*page.next_iterator);
        if (records.empty()) report(StreamBatchEvent::Stage::caught_up, records);
        caught_up_.store(records.empty());
        if (records.empty()) pause(context_.options->idle_poll);
    }
}

}  // namespace bloop::detail
