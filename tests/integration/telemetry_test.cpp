// Telemetry against DynamoDB Local: the events and metrics of real requests, beside what a
// recording transport saw on the wire and what DynamoDB reported consumed.

#include <bloop/bloop.hpp>

#include "integration.hpp"
#include "recording_transport.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace tel {

struct Wallet {
    std::string id{};
    std::string owner{};
    std::int64_t cents = 0;
    bloop::ObjectState state{};
};

struct Ledger {
    std::string id{};
    std::string note{};
};

struct Tick {
    std::string id{};
    std::int64_t n = 0;
};

}  // namespace tel

template <>
struct bloop::Model<tel::Wallet> {
    static constexpr Meta meta{.table_name = "TelWallet"};
    static constexpr auto hash_key = &tel::Wallet::id;
    static constexpr auto by_owner =
        global_index().hash_key<&tel::Wallet::owner>().projection(all_attributes);
    static constexpr auto indexes = bloop::indexes<&by_owner>();
};

template <>
struct bloop::Model<tel::Ledger> {
    static constexpr Meta meta{.table_name = "TelLedger"};
    static constexpr auto hash_key = &tel::Ledger::id;
};

template <>
struct bloop::Model<tel::Tick> {
    static constexpr Meta meta{.table_name = "TelTick", .stream = StreamView::new_image};
    static constexpr auto hash_key = &tel::Tick::id;
};

namespace bloop {
namespace {

using tel::Ledger;
using tel::Tick;
using tel::Wallet;

// Keeps every event (tests read them after the calls).
class Recorder final : public Telemetry {
  public:
    void request(const RequestEvent& e) override {
        std::lock_guard lock(mutex);
        requests.push_back(e);
    }
    void mapper(const MapperEvent& e) override {
        std::lock_guard lock(mutex);
        mappers.push_back(e);
    }
    std::mutex mutex;
    std::vector<RequestEvent> requests;
    std::vector<MapperEvent> mappers;
};

const MetricFamily& family(const std::vector<MetricFamily>& all, std::string_view name) {
    for (const MetricFamily& f : all) {
        if (f.name == name) return f;
    }
    throw std::runtime_error("no metric " + std::string(name));
}

// The value of the series of `name` whose labels include every one of `labels`; 0 when none.
double value(const std::vector<MetricFamily>& all, std::string_view name,
             std::vector<std::pair<std::string, std::string>> labels) {
    double total = 0;
    for (const MetricSample& s : family(all, name).samples) {
        bool match = true;
        for (const auto& l : labels) {
            match = match && std::find(s.labels.begin(), s.labels.end(), l) != s.labels.end();
        }
        if (match) total += s.value;
    }
    return total;
}

double all_requests(const std::vector<MetricFamily>& all) {
    return value(all, "bloop_requests_total", {});
}

class Telemetered : public ::testing::Test {
  protected:
    std::shared_ptr<test::RecordingTransport> wire =
        std::make_shared<test::RecordingTransport>(make_socket_transport(16));
    Client client_with(std::shared_ptr<Telemetry> telemetry) {
        ClientOptions o = test::client_options();
        o.transport = wire;
        o.telemetry = std::move(telemetry);
        return Client(o);
    }
};

TEST_F(Telemetered, MetricsCountEveryRequestOnTheWireAndCapacityPerTableIndexAndModel) {
    auto metrics = std::make_shared<Metrics>();
    Engine engine(client_with(metrics));
    engine.bind<Wallet>();
    engine.bind<Ledger>();
    Wallet a{.id = "w1", .owner = "ann", .cents = 100};
    Wallet b{.id = "w2", .owner = "bob", .cents = 50};
    Ledger l{.id = "l1", .note = "opened"};
    engine.save(a, b);
    engine.save(l);
    (void)engine.query(Model<Wallet>::by_owner, attr<&Wallet::owner> == "ann").one();
    Wallet loaded{.id = "w1"};
    engine.load(loaded);

    const std::vector<MetricFamily> m = metrics->snapshot();
    EXPECT_EQ(all_requests(m), static_cast<double>(wire->count()));
    EXPECT_EQ(
        value(m, "bloop_requests_total", {{"operation", "UpdateItem"}, {"table", "TelWallet"}}), 2);
    EXPECT_EQ(value(m, "bloop_requests_total", {{"operation", "Query"}, {"table", "TelWallet"}}),
              1);
    // Capacity was asked for, and attributed to the table, its index and the model.
    EXPECT_NE(wire->last("UpdateItem").find("\"ReturnConsumedCapacity\":\"INDEXES\""),
              std::string::npos);
    EXPECT_GT(value(m, "bloop_consumed_write_units_total",
                    {{"table", "TelWallet"}, {"index", ""}, {"model", "Wallet"}}),
              0);
    EXPECT_GT(value(m, "bloop_consumed_write_units_total",
                    {{"table", "TelWallet"}, {"index", "by_owner"}, {"model", "Wallet"}}),
              0);
    EXPECT_GT(
        value(m, "bloop_consumed_write_units_total", {{"table", "TelLedger"}, {"model", "Ledger"}}),
        0);
    EXPECT_GT(value(m, "bloop_consumed_read_units_total",
                    {{"table", "TelWallet"}, {"index", "by_owner"}, {"model", "Wallet"}}),
              0);
    EXPECT_EQ(value(m, "bloop_items_written_total", {{"model", "Wallet"}}), 2);
    EXPECT_EQ(value(m, "bloop_items_read_total", {{"model", "Wallet"}}), 2);  // a query, a load
    EXPECT_EQ(value(m, "bloop_mapper_calls_total", {{"call", "bind"}}), 2);
    const MetricFamily& latency = family(m, "bloop_request_duration_seconds");
    std::uint64_t observed = 0;
    for (const MetricSample& s : latency.samples) observed += s.count;
    EXPECT_EQ(observed, wire->count());
    EXPECT_GT(value(m, "bloop_in_flight_limit", {}), 0);
    // The engine still read every answer right with ConsumedCapacity in it.
    EXPECT_EQ(loaded.cents, 100);
    EXPECT_EQ(loaded.owner, "ann");
}

TEST_F(Telemetered, WithoutTelemetryNothingIsAskedOfDynamoDB) {
    Engine engine(client_with(nullptr));
    engine.bind<Wallet>();
    Wallet a{.id = "w3", .owner = "cy"};
    engine.save(a);
    EXPECT_EQ(wire->last("UpdateItem").find("ReturnConsumedCapacity"), std::string::npos);
}

TEST_F(Telemetered, RequestsAreChildrenOfTheirMapperCallAcrossAsyncCallsAndCarryItsModels) {
    auto recorder = std::make_shared<Recorder>();
    Engine engine(client_with(recorder));
    engine.bind<Wallet>();
    Wallet a{.id = "w4", .owner = "dee"};
    Wallet b{.id = "w5", .owner = "eve"};
    {
        TraceParent parent(
            SpanContext::from_hex("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"));
        engine.save(a, b);  // two UpdateItems, sent on the client's worker threads
    }
    std::lock_guard lock(recorder->mutex);
    const MapperEvent* save = nullptr;
    for (const MapperEvent& e : recorder->mappers) {
        if (e.name == "save") save = &e;
    }
    ASSERT_NE(save, nullptr);
    EXPECT_EQ(save->model, "Wallet");
    EXPECT_EQ(save->objects, 2U);
    EXPECT_EQ(save->parent.span_id_hex(), "b7ad6b7169203331");
    EXPECT_EQ(save->span.trace_id_hex(), "0af7651916cd43dd8448eb211c80319c");
    int children = 0;
    for (const RequestEvent& r : recorder->requests) {
        if (r.operation != "UpdateItem") continue;
        ++children;
        EXPECT_EQ(r.parent.span_id, save->span.span_id);
        EXPECT_EQ(r.span.trace_id, save->span.trace_id);
        EXPECT_NE(r.span.span_id, save->span.span_id);
        EXPECT_EQ(r.model, "Wallet");
        EXPECT_EQ(r.mapper, "save");
        EXPECT_EQ(r.tables, std::vector<std::string>{"TelWallet"});
        EXPECT_EQ(r.http_status, 200);
        EXPECT_FALSE(r.request_id.empty());
        ASSERT_EQ(r.attempts.size(), 1U);
    }
    EXPECT_EQ(children, 2);
}

TEST_F(Telemetered, AsyncCallsAndParallelScanSegmentsStayInTheCallersTrace) {
    auto recorder = std::make_shared<Recorder>();
    Engine engine(client_with(recorder));
    engine.bind<Wallet>();
    std::vector<Wallet> wallets;
    for (int i = 0; i < 8; ++i) wallets.push_back({"scan" + std::to_string(i), "gus", i});
    engine.save(std::span<Wallet>(wallets));
    const SpanContext user =
        SpanContext::from_hex("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    {
        TraceParent parent(user);
        Wallet w{.id = "async", .owner = "hal"};
        engine.save_async(w).get();
        EXPECT_EQ(engine.scan_all_segments<Wallet>(4).size() >= 8, true);
    }
    std::lock_guard lock(recorder->mutex);
    int scans = 0;
    for (const MapperEvent& e : recorder->mappers) {
        if (e.name != "scan" && !(e.name == "save" && e.objects == 1 && e.parent.valid())) continue;
        EXPECT_EQ(e.span.trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736") << e.name;
        EXPECT_EQ(e.parent.span_id_hex(), "00f067aa0ba902b7") << e.name;
        scans += e.name == "scan" ? 1 : 0;
    }
    EXPECT_GE(scans, 4);  // a page of each segment at least
    int requests = 0;
    for (const RequestEvent& r : recorder->requests) {
        if (r.operation != "Scan") continue;
        ++requests;
        EXPECT_EQ(r.span.trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        EXPECT_EQ(r.mapper, "scan");
    }
    EXPECT_GE(requests, 4);
}

TEST_F(Telemetered, AStreamProcessorReportsRecordsLagAndEveryLeaseChange) {
    auto metrics = std::make_shared<Metrics>();
    Engine engine(client_with(metrics));
    engine.bind<Tick>();
    std::vector<Tick> ticks{{"t1", 1}, {"t2", 2}, {"t3", 3}};
    engine.save(std::span<Tick>(ticks));
    std::atomic<int> handled{0};
    {
        StreamProcessor worker(
            engine, {.consumer = "tel-ticks", .idle_poll = std::chrono::milliseconds(100)});
        worker.subscribe<Tick>([&](RecordBatch<Tick>& batch) {
            handled += static_cast<int>(batch.records.size());
            if (handled.load() >= 3) worker.stop();
        });
        worker.run();  // until the handler has seen the three (stop() releases the leases)
    }
    const auto m = metrics->snapshot();
    EXPECT_EQ(value(m, "bloop_stream_records_total", {{"table", "TelTick"}}), 3);
    EXPECT_GE(value(m, "bloop_stream_batches_total", {{"table", "TelTick"}}), 1);
    EXPECT_GE(value(m, "bloop_lease_events_total", {{"consumer", "tel-ticks"}, {"kind", "taken"}}),
              1);
    EXPECT_GE(
        value(m, "bloop_lease_events_total", {{"consumer", "tel-ticks"}, {"kind", "checkpointed"}}),
        1);
    EXPECT_EQ(
        value(m, "bloop_lease_events_total", {{"consumer", "tel-ticks"}, {"kind", "released"}}),
        value(m, "bloop_lease_events_total", {{"consumer", "tel-ticks"}, {"kind", "taken"}}));
    EXPECT_EQ(value(m, "bloop_leases_held", {{"consumer", "tel-ticks"}}), 0);
    EXPECT_EQ(value(m, "bloop_lease_events_total", {{"kind", "lost"}}), 0);
    // Released in the lease table too: no owner left on any of the consumer's leases.
    for (const StreamLease& lease : lease_table(engine)->list("tel-ticks"))
        EXPECT_EQ(lease.owner, "");
}

TEST_F(Telemetered, AStreamReaderReportsTheRecordsItReadAndItsLag) {
    auto metrics = std::make_shared<Metrics>();
    Engine engine(client_with(metrics));
    engine.bind<Tick>();
    auto stream = engine.stream<Tick>(trim_horizon);
    Tick t{"reader", 9};
    engine.save(t);
    int seen = 0;
    for (int poll = 0; poll < 50 && seen == 0; ++poll) {
        while (auto record = stream.next()) seen += record->new_image->id == "reader" ? 1 : 0;
    }
    ASSERT_EQ(seen, 1);
    const auto m = metrics->snapshot();
    EXPECT_GE(value(m, "bloop_stream_records_total", {{"table", "TelTick"}}), 1);
    bool shard_lag = false;
    for (const MetricFamily& f : m) {
        if (f.name != "bloop_stream_lag_seconds") continue;
        for (const MetricSample& s : f.samples)
            shard_lag = shard_lag || s.labels.at(0).second == "TelTick";
    }
    EXPECT_TRUE(shard_lag);
}

TEST(SpanContext, IdsAreWrittenAndReadAsHexAndBadOnesAreRefused) {
    const SpanContext c =
        SpanContext::from_hex("0AF7651916CD43DD8448EB211C80319C", "b7ad6b7169203331");
    EXPECT_EQ(c.trace_id_hex(), "0af7651916cd43dd8448eb211c80319c");
    EXPECT_EQ(c.span_id_hex(), "b7ad6b7169203331");
    EXPECT_TRUE(c.valid());
    EXPECT_FALSE(SpanContext{}.valid());
    EXPECT_THROW((void)SpanContext::from_hex("0af7", "b7ad6b7169203331"), InvalidArgument);
    EXPECT_THROW(
        (void)SpanContext::from_hex("0af7651916cd43dd8448eb211c80319g", "b7ad6b7169203331"),
        InvalidArgument);
    EXPECT_THROW(
        (void)SpanContext::from_hex("00000000000000000000000000000000", "b7ad6b7169203331"),
        InvalidArgument);
}

TEST_F(Telemetered, AFailedCallReportsItsErrorTypeAndNoKeyValue) {
    auto recorder = std::make_shared<Recorder>();
    auto metrics = std::make_shared<Metrics>();
    Engine engine(client_with(recorder));
    engine.bind<Wallet>();
    Wallet a{.id = "secret-key-value", .owner = "fay"};
    engine.save(a);
    Wallet stale{.id = "secret-key-value", .owner = "fay"};
    EXPECT_THROW(engine.save(stale, {.condition = attr<&Wallet::cents> == 999}),
                 ConstraintViolation);
    std::lock_guard lock(recorder->mutex);
    const RequestEvent& failed = recorder->requests.back();
    EXPECT_EQ(failed.operation, "UpdateItem");
    EXPECT_EQ(failed.error_type, "ConditionalCheckFailedException");
    EXPECT_EQ(failed.http_status, 400);
    const MapperEvent& call = recorder->mappers.back();
    EXPECT_EQ(call.name, "save");
    EXPECT_FALSE(call.error_type.empty());
    for (const RequestEvent& r : recorder->requests) {
        metrics->request(r);
        for (const std::string& t : r.tables) EXPECT_EQ(t.find("secret"), std::string::npos);
        EXPECT_EQ(r.index.find("secret"), std::string::npos);
    }
    for (const MetricFamily& f : metrics->snapshot()) {
        for (const MetricSample& s : f.samples) {
            for (const auto& [name, v] : s.labels) EXPECT_EQ(v.find("secret"), std::string::npos);
        }
    }
    EXPECT_EQ(value(metrics->snapshot(), "bloop_request_errors_total",
                    {{"error_type", "ConditionalCheckFailedException"}}),
              1);
}

}  // namespace
}  // namespace bloop
