// One held shard: reading it in order, handing pages to the handler until it returns, and
// checkpointing and releasing its lease.

#include "stream/shard_reader.hpp"

#include <bloop/exceptions.hpp>

#include "stream/record.hpp"

#include <algorithm>

namespace bloop::detail {

void ReaderContext::say(LogLevel level, const std::string& message) const {
    if (log) log(level, "stream processor " + options->consumer + " (" + worker + "): " + message);
}

ShardReader::ShardReader(const ReaderContext& context, const BatchHandler& handler,
                         StreamLease lease)
    : context_(context),
      handler_(handler),
      arn_(lease.stream_arn()),
      shard_(lease.shard_id()),
      lease_(std::move(lease)),
      renewed_(LeaseClock::now()) {}

ShardReader::~ShardReader() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
}

void ShardReader::start() {
    if (!thread_.joinable()) {
        thread_ = std::thread([this] {
            read();
            done_.store(true);
        });
    }
}

bool ShardReader::should_stop() const {
    return stop_.load() || lost_.load() || context_.stopping->load();
}

void ShardReader::pause(std::chrono::milliseconds duration) const {
    const auto until = LeaseClock::now() + duration;
    while (!should_stop() && LeaseClock::now() < until) {
        std::this_thread::sleep_for(std::min<LeaseClock::duration>(std::chrono::milliseconds(25),
                                                                   until - LeaseClock::now()));
    }
}

bool ShardReader::write(const std::function<void(StreamLease&)>& change) {
    std::lock_guard lock(lease_mutex_);
    if (lost_.load()) return false;
    StreamLease next = lease_;
    change(next);
    if (!context_.leases->write(next)) {
        lost_.store(true);
        context_.say(LogLevel::warning, "lost the lease of " + lease_.lease +
                                            " to another worker; stopped reading it");
        return false;
    }
    lease_ = std::move(next);
    renewed_ = LeaseClock::now();
    return true;
}

void ShardReader::renew(LeaseClock::time_point now) {
    try {
        (void)write([](StreamLease&) {});
    } catch (const std::exception& e) {
        std::lock_guard lock(lease_mutex_);
        const auto silent = now - renewed_;
        if (silent >= context_.options->lease_duration * 2 / 3) {
            lost_.store(true);
            context_.say(
                LogLevel::warning,
                "could not renew the lease of " + lease_.lease + " for " +
                    std::to_string(
                        std::chrono::duration_cast<std::chrono::milliseconds>(silent).count()) +
                    " ms (" + e.what() + "); stopped reading it");
        } else {
            context_.say(LogLevel::debug,
                         "could not renew the lease of " + lease_.lease + ": " + e.what());
        }
    }
}

void ShardReader::checkpoint(const std::string& sequence_number) {
    if (!write([&](StreamLease& l) { l.checkpoint = sequence_number; })) {
        throw LeaseLost("the lease of " + arn_ + "/" + shard_ +
                        " moved to another worker: its records after the last checkpoint will be "
                        "handled there");
    }
    unsaved_ = 0;
}

void ShardReader::release() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    if (lost_.load() || finished_.load()) return;
    const bool save = !handled_.empty() && context_.options->checkpointing.records() != 0;
    try {
        if (write([&](StreamLease& l) {
                if (save) l.checkpoint = handled_;
                l.owner.clear();
            })) {
            context_.say(LogLevel::info,
                         "released the lease of " + lease_.lease + " at " + lease_.checkpoint);
        }
    } catch (const std::exception& e) {
        context_.say(LogLevel::warning, "could not release the lease of " + lease_.lease + " (" +
                                            e.what() + "); it expires instead");
    }
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
        try {
            handler_(records, arn_, shard_, *this);
            return true;
        } catch (const LeaseLost&) {
            return false;
        } catch (const std::exception& e) {
            context_.say(LogLevel::error,
                         "the handler failed on " + std::to_string(records.size()) +
                             " records of " + arn_ + "/" + shard_ + " from " +
                             records.front().sequence_number + " (attempt " +
                             std::to_string(attempt) + ": " + e.what() +
                             "); trying them again in " + std::to_string(backoff.count()) + " ms");
        }
        pause(backoff);
        if (should_stop()) return false;
        backoff = std::min(backoff * 2, context_.options->max_retry_backoff);
    }
}

void ShardReader::read() {
    const Checkpointing policy = context_.options->checkpointing;
    std::string iterator;
    while (!should_stop()) {
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
        std::vector<StreamRecord> records;
        records.reserve(page.records.size());
        for (auto& wire : page.records) records.push_back(parse_record(std::move(wire), shard_));
        if (!records.empty()) {
            if (!deliver(records)) return;
            handled_ = records.back().sequence_number;
            unsaved_ += policy.counts_records() ? records.size() : 1;
            context_.last_handled->store(LeaseClock::now().time_since_epoch().count());
            if (policy.records() != 0 && unsaved_ >= policy.records()) {
                try {
                    checkpoint(handled_);
                } catch (const LeaseLost&) {
                    return;
                } catch (const std::exception& e) {
                    context_.say(LogLevel::warning, "could not checkpoint " + arn_ + "/" + shard_ +
                                                        " (" + e.what() + "); trying again later");
                }
            }
        }
        if (!page.next_iterator) {  // closed and read to its end: children may start
            try {
                if (write([](StreamLease& l) {
                        l.checkpoint = checkpoint::shard_end;
                        l.owner.clear();
                    })) {
                    finished_.store(true);
                    context_.say(LogLevel::info, "finished " + arn_ + "/" + shard_);
                    return;
                }
                return;  // lost
            } catch (const std::exception& e) {
                context_.say(LogLevel::warning, "could not checkpoint the end of " + arn_ + "/" +
                                                    shard_ + " (" + e.what() + ")");
                iterator.clear();
                pause(context_.options->idle_poll);
                continue;
            }
        }
        iterator = std::move(*page.next_iterator);
        caught_up_.store(records.empty());
        if (records.empty()) pause(context_.options->idle_poll);
    }
}

}  // namespace bloop::detail
