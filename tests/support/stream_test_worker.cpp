// A worker process for the multi-process stream processor test: it reads the streams of four
// tables (ProcOrders0..3, one shard each on DynamoDB Local) as one consumer, and appends to its
// log file one line per record handled, one per batch and one per lease change, with the
// monotonic clock in milliseconds (one clock for every process of the machine):
//
//   R <table> <shard> <sequence number> <id> <n>
//   B <start ms> <end ms> <table> <shard>      (the handler's call, after its R lines)
//   L <ms> <the processor's log line>
//   M <an EMF document>                       (its metrics, every 500 ms and at the end)
//
// and counts each order's changes in ProcOrderCounts with a write conditional on the last
// sequence number counted (so records handled twice are counted once). AWS_* variables as usual.
//
//   stream_test_worker --consumer C --worker W --log FILE --lease-ms MS --idle-exit SECONDS

#include <bloop/bloop.hpp>

#include "proc_orders.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>

namespace {

bloop::StreamProcessor* running = nullptr;
extern "C" void on_signal(int) {
    if (running != nullptr) running->stop();
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::mutex log_mutex;
std::FILE* log_file = nullptr;

void append(const std::string& lines) {
    std::lock_guard lock(log_mutex);
    if (log_file == nullptr) return;  // closed: the processor's destructor may still log
    std::fwrite(lines.data(), 1, lines.size(), log_file);
    std::fflush(log_file);
}

void count(bloop::Engine& engine, const std::string& id, const std::string& sequence_number) {
    using bloop::attr;
    ProcOrderCount c{id, 0, std::string(40 - sequence_number.size(), '0') + sequence_number};
    for (int attempt = 1;; ++attempt) {
        try {
            engine.save(c, {.condition = attr<&ProcOrderCount::last_sequence>.is_missing() ||
                                         (attr<&ProcOrderCount::last_sequence> < c.last_sequence),
                            .actions = {attr<&ProcOrderCount::changes>.add(1)}});
        } catch (const bloop::ConstraintViolation&) {
            // counted before
        } catch (const bloop::RuntimeError&) {
            if (attempt == 10) throw;
            continue;
        }
        return;
    }
}

template <int N>
void subscribe(bloop::StreamProcessor& processor, bloop::Engine& engine) {
    processor.subscribe<ProcOrder<N>>([&engine](bloop::RecordBatch<ProcOrder<N>>& batch) {
        const std::int64_t start = now_ms();
        std::string lines;
        for (const auto& r : batch.records) {
            lines += "R " + std::string(kTables[N]) + " " + batch.shard_id + " " +
                     r.meta.sequence_number + " " + r.new_image->id + " " +
                     std::to_string(r.new_image->n) + "\n";
        }
        for (const auto& r : batch.records)
            count(engine, std::string(kTables[N]) + "/" + r.new_image->id, r.meta.sequence_number);
        lines += "B " + std::to_string(start) + " " + std::to_string(now_ms()) + " " +
                 std::string(kTables[N]) + " " + batch.shard_id + "\n";
        append(lines);  // handled: the handler returns next
    });
}

}  // namespace

int main(int argc, char** argv) try {
    std::string consumer, worker, log_path;
    int lease_ms = 10000;
    double idle_exit = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--consumer")
            consumer = argv[i + 1];
        else if (flag == "--worker")
            worker = argv[i + 1];
        else if (flag == "--log")
            log_path = argv[i + 1];
        else if (flag == "--lease-ms")
            lease_ms = std::atoi(argv[i + 1]);
        else if (flag == "--idle-exit")
            idle_exit = std::atof(argv[i + 1]);
    }
    log_file = std::fopen(log_path.c_str(), "a");
    if (log_file == nullptr) throw std::runtime_error("cannot open " + log_path);

    // The worker's own telemetry, exported as CloudWatch EMF into its log: what a deployment
    // would see of it, through a process killed, stopped or cut off from the lease table.
    auto metrics = std::make_shared<bloop::Metrics>();
    auto emf = std::make_unique<bloop::EmfExporter>(
        metrics, bloop::EmfOptions{
                     .sink = [](std::string_view line) { append("M " + std::string(line) + "\n"); },
                     .interval = std::chrono::milliseconds(500)});
    bloop::ClientOptions client;
    client.telemetry = metrics;
    client.log = [](bloop::LogLevel, std::string_view line) {
        if (line.rfind("stream processor", 0) == 0)
            append("L " + std::to_string(now_ms()) + " " + std::string(line) + "\n");
    };
    bloop::Engine engine{bloop::Client(client)};
    engine.bind<ProcOrder<0>, ProcOrder<1>, ProcOrder<2>, ProcOrder<3>, ProcOrderCount>();

    bloop::ProcessorOptions options{.consumer = consumer, .worker = worker};
    options.lease_duration = std::chrono::milliseconds(lease_ms);
    options.take_interval = std::chrono::milliseconds(lease_ms / 3);
    options.shard_sync_interval = std::chrono::milliseconds(lease_ms);
    options.idle_poll = std::chrono::milliseconds(100);
    options.idle_exit = std::chrono::milliseconds(static_cast<std::int64_t>(idle_exit * 1000));
    bloop::StreamProcessor processor(engine, options);
    subscribe<0>(processor, engine);
    subscribe<1>(processor, engine);
    subscribe<2>(processor, engine);
    subscribe<3>(processor, engine);
    running = &processor;
    std::signal(SIGTERM, on_signal);
    append("L " + std::to_string(now_ms()) + " started\n");
    processor.run();
    running = nullptr;
    emf.reset();  // writes what changed since its last write
    append("L " + std::to_string(now_ms()) + " stopped\n");
    std::lock_guard lock(log_mutex);  // the processor, destroyed after this, logs no more here
    std::fclose(log_file);
    log_file = nullptr;
    return 0;
} catch (const std::exception& e) {
    std::cerr << "stream_test_worker: " << e.what() << "\n";
    return 1;
}
