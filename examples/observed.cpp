// bloop observed: a small workload with every metric on — saves, a query, a transaction and a
// stream-processor worker — served to Prometheus on a loopback port and written as CloudWatch EMF
// lines to a file. The worker is stopped (its handler waits) for 3 s as more orders arrive, to show
// its shard's lag rise, and fall back to zero once it resumes.
//
//   observed [--port N] [--emf FILE] [--linger SECONDS]
//
// --port: the Prometheus port on 127.0.0.1 (default: any free one, printed); --emf: where the EMF
// lines go (default observed.emf); --linger: keep serving the metrics this long after the summary
// line, sending nothing (default 15 s: one scrape at Prometheus' default interval). Region,
// credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL), as in the quickstart. The tables stay:
// ObservedOrders (hash `id`, GSI `by_customer`, a stream) and the worker's bloop_stream_leases.

#include <bloop/bloop.hpp>
#include <bloop/telemetry/prometheus.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

struct ObservedOrder {
    std::string id{};
    std::string customer{};
    std::int64_t cents = 0;
    bloop::ObjectState state{};
};

template <>
struct bloop::Model<ObservedOrder> {
    static constexpr Meta meta{.table_name = "ObservedOrders",
                               .stream = StreamView::new_and_old_images};
    static constexpr auto hash_key = &ObservedOrder::id;
    static constexpr auto by_customer =
        global_index().hash_key<&ObservedOrder::customer>().projection(all_attributes);
    static constexpr auto indexes = bloop::indexes<&by_customer>();
};

namespace {

struct Options {
    int port = 0;
    std::string emf = "observed.emf";
    int linger = 15;  // one scrape at Prometheus' default interval
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--port")
            o.port = std::stoi(argv[i + 1]);
        else if (flag == "--emf")
            o.emf = argv[i + 1];
        else if (flag == "--linger")
            o.linger = std::stoi(argv[i + 1]);
        else
            throw std::invalid_argument(
                "usage: observed [--port N] [--emf FILE] [--linger SECONDS]");
    }
    return o;
}

// The sum of a metric's series whose labels include `labels`.
double total(const bloop::Metrics& metrics, std::string_view name,
             const std::vector<std::pair<std::string, std::string>>& labels = {}) {
    double sum = 0;
    for (const bloop::MetricFamily& f : metrics.snapshot()) {
        if (f.name != name) continue;
        for (const bloop::MetricSample& s : f.samples) {
            bool match = true;
            for (const auto& l : labels)
                match = match && std::find(s.labels.begin(), s.labels.end(), l) != s.labels.end();
            if (match) sum += s.value;
        }
    }
    return sum;
}

// The highest lag of any shard of ObservedOrders now, in seconds.
double lag(const bloop::Metrics& metrics) {
    double highest = 0;
    for (const bloop::MetricFamily& f : metrics.snapshot()) {
        if (f.name != "bloop_stream_lag_seconds") continue;
        for (const bloop::MetricSample& s : f.samples) highest = std::max(highest, s.value);
    }
    return highest;
}

std::vector<ObservedOrder> orders(int first, int count) {
    std::vector<ObservedOrder> out;
    for (int i = first; i < first + count; ++i) {
        out.push_back(
            {"order-" + std::to_string(i), "customer-" + std::to_string(i % 3), 100 * (i + 1)});
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) try {
    using bloop::attr;
    const Options options = parse(argc, argv);
    auto metrics = std::make_shared<bloop::Metrics>();
    bloop::ClientOptions client;  // everything else from the environment
    client.telemetry = metrics;
    bloop::Engine engine{bloop::Client(client)};

    bloop::PrometheusExporter prometheus(
        metrics, "127.0.0.1:" + std::to_string(options.port),
        [](bloop::LogLevel, std::string_view line) { std::cerr << line << "\n"; });
    std::ofstream emf_file(options.emf);
    std::mutex emf_mutex;
    std::size_t emf_lines = 0;
    auto emf = std::make_unique<bloop::EmfExporter>(
        metrics, bloop::EmfOptions{.name_space = "bloop/observed",
                                   .sink =
                                       [&](std::string_view line) {
                                           std::lock_guard lock(emf_mutex);
                                           emf_file << line << '\n';
                                           ++emf_lines;
                                       },
                                   .interval = std::chrono::seconds(1)});
    std::cout << "scrape: " << prometheus.url() << std::endl;

    engine.bind<ObservedOrder>();
    auto batch = orders(0, 10);
    engine.save(batch);
    int found = 0;
    for (const ObservedOrder& o : engine.query(bloop::Model<ObservedOrder>::by_customer,
                                               attr<&ObservedOrder::customer> == "customer-1"))
        found += o.customer == "customer-1" ? 1 : 0;
    ObservedOrder from{.id = "order-0"};
    ObservedOrder to{.id = "order-1"};
    bloop::ReadTransaction(engine).load(from, to).commit();
    from.cents -= 50;
    to.cents += 50;
    bloop::WriteTransaction(engine)
        .save(from, {.condition = attr<&ObservedOrder::cents> >= 0})
        .save(to)
        .commit();
    std::cout << "workload: saved 10 orders, " << found << " found by customer, one transfer"
              << std::endl;

    // A stream-processor worker reads what is there; then it is stopped (its handler waits) while
    // 10 more orders arrive, and its shard's lag rises until it resumes and catches up.
    std::atomic<int> handled{0};
    std::atomic<bool> hold{false};
    std::mutex held_mutex;
    std::condition_variable released;
    bloop::StreamProcessor worker(
        engine, {.consumer = "observed", .idle_poll = std::chrono::milliseconds(200)});
    worker.subscribe<ObservedOrder>([&](bloop::RecordBatch<ObservedOrder>& b) {
        std::unique_lock lock(held_mutex);
        released.wait(lock, [&] { return !hold.load(); });
        handled += static_cast<int>(b.records.size());
    });
    std::thread running([&] { worker.run(); });
    const auto wait_for = [&](int records) {  // until handled and caught up (at most a minute)
        for (int i = 0; i < 600 && (handled.load() < records || lag(*metrics) > 0); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    };
    wait_for(12);  // 10 inserts and the transfer's 2 changes
    const double lag_before = lag(*metrics);
    hold = true;
    auto more = orders(10, 10);
    engine.save(more);
    double lag_stopped_early = 0;
    double lag_stopped_late = 0;
    for (int i = 0; i < 30; ++i) {  // 3 s stopped
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (i == 9) lag_stopped_early = lag(*metrics);
        lag_stopped_late = lag(*metrics);
    }
    {
        std::lock_guard lock(held_mutex);
        hold = false;
    }
    released.notify_all();
    wait_for(22);
    const double lag_after = lag(*metrics);
    worker.stop();
    running.join();
    char lags[160];
    std::snprintf(lags, sizeof lags,
                  "lag %g s caught up, %.1f s then %.1f s while stopped, %g s after resuming",
                  lag_before, lag_stopped_early, lag_stopped_late, lag_after);
    std::cout << "stream: " << handled << " records handled; " << lags << std::endl;

    emf.reset();  // the last lines
    std::cout << "emf: " << emf_lines << " lines in " << options.emf << std::endl;
    std::cout << "metrics: " << total(*metrics, "bloop_requests_total") << " requests, "
              << total(*metrics, "bloop_retries_total") << " retries, "
              << total(*metrics, "bloop_consumed_write_units_total",
                       {{"table", "ObservedOrders"}, {"model", "ObservedOrder"}})
              << " write units on ObservedOrders (ObservedOrder)" << std::endl;
    // No request is sent from here on: a scrape now reads the counts above.
    std::this_thread::sleep_for(std::chrono::seconds(options.linger));
    return 0;
} catch (const std::exception& e) {
    std::cerr << "observed failed: " << e.what() << "\n";
    return 1;
}
