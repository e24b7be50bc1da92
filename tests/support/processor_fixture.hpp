#pragma once
// Stream-processor workers over a scripted DynamoDB Streams (shard trees DynamoDB Local cannot
// make) and the real lease table in DynamoDB Local: what each worker logged, each delivery it made
// (who, which shard, when), and the stored lease items read back past the library.

#include <bloop/bloop.hpp>

#include "fake_streams.hpp"
#include "fault_proxy.hpp"
#include "integration.hpp"
#include "scripted_engine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace processor_integration {
struct Entry {
    std::string id;
};
}  // namespace processor_integration

template <>
struct bloop::Model<processor_integration::Entry> {
    static constexpr Meta meta{.table_name = "ProcessorItem", .stream = StreamView::new_image};
    static constexpr auto hash_key = &processor_integration::Entry::id;
};

namespace bloop::test {

using processor_integration::Entry;
using Clock = std::chrono::steady_clock;

inline constexpr const char* kStreamArn = "arn:fake:stream/1";

/// One call of a handler.
struct Delivery {
    std::string worker, shard;
    std::vector<std::string> sequences;
    Clock::time_point start, end;
};

/// Every delivery of every worker, and checks across them.
class Deliveries {
  public:
    /// A handler for `worker` recording its deliveries (calling `also` inside, if given).
    std::function<void(RecordBatch<Entry>&)> handler(
        const std::string& worker, std::function<void(RecordBatch<Entry>&)> also = {}) {
        return [this, worker, also](RecordBatch<Entry>& batch) {
            Delivery d{worker, batch.shard_id, {}, Clock::now(), {}};
            for (const auto& r : batch.records) d.sequences.push_back(r.meta.sequence_number);
            if (also) also(batch);
            d.end = Clock::now();
            std::lock_guard lock(mutex_);
            all_.push_back(std::move(d));
        };
    }
    [[nodiscard]] std::vector<Delivery> all() const {
        std::lock_guard lock(mutex_);
        return all_;
    }
    /// The records of `shard`, in handling order.
    [[nodiscard]] std::vector<std::string> of(const std::string& shard) const {
        std::vector<std::string> out;
        for (const auto& d : all())
            if (d.shard == shard) out.insert(out.end(), d.sequences.begin(), d.sequences.end());
        return out;
    }
    /// Pairs of deliveries of one shard by two workers at overlapping times, described.
    [[nodiscard]] std::vector<std::string> overlaps() const {
        std::vector<std::string> out;
        const auto deliveries = all();
        for (std::size_t i = 0; i < deliveries.size(); ++i) {
            for (std::size_t j = i + 1; j < deliveries.size(); ++j) {
                const Delivery& a = deliveries[i];
                const Delivery& b = deliveries[j];
                if (a.shard == b.shard && a.worker != b.worker && a.start < b.end &&
                    b.start < a.end) {
                    out.push_back(a.worker + " and " + b.worker + " on " + a.shard);
                }
            }
        }
        return out;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<Delivery> all_;
};

/// A consumer of its own (its name unique to the test) over a scripted stream and the real lease
/// table.
struct ProcessorFixture {
    std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
    std::mutex log_mutex;
    std::vector<std::string> log;  // the processors' log lines
    Engine engine{Client([this] {
        ClientOptions o = scripted_client_options(transport);
        o.log = [this](LogLevel, std::string_view line) {
            std::lock_guard lock(log_mutex);
            log.emplace_back(line);
        };
        return o;
    }())};
    std::shared_ptr<FakeStreams> streams = std::make_shared<FakeStreams>();
    Engine dynamo{Client(client_options())};  // DynamoDB Local: the lease table
    /// The workers' lease table: requests bounded as a worker bounds them (a quarter of the
    /// 3 s lease).
    std::shared_ptr<LeaseStore> leases =
        lease_table(dynamo, {.timeout = std::chrono::milliseconds(750)});
    /// The same table for the tests' own writes and reads: the client's timeouts, so a slow
    /// answer of a busy or cold DynamoDB Local fails no assertion.
    std::shared_ptr<LeaseStore> own_leases = lease_table(dynamo);
    std::string consumer;
    Deliveries deliveries;

    explicit ProcessorFixture(std::string consumer_name) : consumer(std::move(consumer_name)) {
        transport->respond(
            400,
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceInUseException","message":"Table already exists"})");
        transport->respond(200, R"({"Table":{"TableName":"ProcessorItem","TableStatus":"ACTIVE",
                "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
                "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},
                "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
                "LatestStreamArn":"arn:fake:stream/1"}})");
        engine.bind<Entry>();
        streams->page_size = 2;
    }

    ProcessorOptions options(const std::string& worker) {
        ProcessorOptions o;
        o.consumer = consumer;
        o.worker = worker;
        o.lease_duration = std::chrono::seconds(3);
        o.take_interval = std::chrono::milliseconds(100);
        o.shard_sync_interval = std::chrono::milliseconds(200);
        o.idle_poll = std::chrono::milliseconds(10);
        o.max_retry_backoff = std::chrono::milliseconds(20);
        o.idle_exit = std::chrono::milliseconds(800);
        o.leases = leases;
        o.streams = streams;
        return o;
    }

    [[nodiscard]] static std::string key(const std::string& shard) {
        return std::string(kStreamArn) + "/" + shard;
    }
    /// The lease item of `shard` as stored (a consistent GetItem past the library).
    [[nodiscard]] std::optional<Item> stored(const std::string& shard) const {
        return stored_item(dynamo.client(), "bloop_stream_leases",
                           Item{{"consumer", AttributeValue::string(consumer)},
                                {"lease", AttributeValue::string(key(shard))}});
    }
    /// The lease of `shard` as stored, read through the lease table.
    [[nodiscard]] StreamLease lease(const std::string& shard) const {
        for (auto& l : own_leases->list(consumer))
            if (l.lease == key(shard)) return l;
        return {};
    }
    /// Log lines containing `text`.
    [[nodiscard]] std::vector<std::string> logged(const std::string& text) {
        std::lock_guard lock(log_mutex);
        std::vector<std::string> out;
        for (const auto& line : log)
            if (line.find(text) != std::string::npos) out.push_back(line);
        return out;
    }
};

/// A worker of a fixture's consumer running on a thread of its own (no idle exit) until stopped
/// or destroyed; its deliveries recorded under its name.
class RunningWorker {
  public:
    RunningWorker(ProcessorFixture& f, ProcessorOptions options,
                  std::function<void(RecordBatch<Entry>&)> also = {})
        : processor_(f.engine, without_idle_exit(std::move(options))) {
        processor_.subscribe<Entry>(f.deliveries.handler(processor_.worker(), std::move(also)));
        thread_ = std::thread([this] { processor_.run(); });
    }
    ~RunningWorker() { stop(); }
    RunningWorker(const RunningWorker&) = delete;
    RunningWorker& operator=(const RunningWorker&) = delete;

    /// Stops it and waits until run() has returned (its leases handed back).
    void stop() {
        processor_.stop();
        if (thread_.joinable()) thread_.join();
    }
    [[nodiscard]] std::size_t held() const { return processor_.held(); }

  private:
    static ProcessorOptions without_idle_exit(ProcessorOptions o) {
        o.idle_exit.reset();
        return o;
    }
    StreamProcessor processor_;
    std::thread thread_;
};

/// Appends a record to each of `shards` every `every` (sequence numbers and creation seconds from
/// `first` on), on a thread of its own, until stopped or destroyed.
class ShardWriter {
  public:
    ShardWriter(FakeStreams& streams, std::vector<std::string> shards,
                std::chrono::milliseconds every, int first = 1)
        : thread_([this, &streams, shards = std::move(shards), every, first] {
              for (int n = first; writing_.load(); ++n) {
                  for (const auto& s : shards) streams.add(s, std::to_string(n), n, "k");
                  std::this_thread::sleep_for(every);
              }
          }) {}
    ~ShardWriter() { stop(); }
    ShardWriter(const ShardWriter&) = delete;
    ShardWriter& operator=(const ShardWriter&) = delete;

    /// Stops writing and waits for the thread.
    void stop() {
        writing_ = false;
        if (thread_.joinable()) thread_.join();
    }

  private:
    std::atomic<bool> writing_{true};
    std::thread thread_;  // last: it reads writing_
};

/// Waits up to 30 s for `condition`; returns it.
template <class Condition>
bool eventually(Condition condition) {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (!condition() && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return condition();
}

}  // namespace bloop::test
