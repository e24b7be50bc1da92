// The Prometheus exporter scraped by a real Prometheus server (Debian's), its counts read back
// through Prometheus' HTTP API and compared with the requests a recording transport saw on the way
// to DynamoDB Local.

#include <bloop/bloop.hpp>
#include <bloop/telemetry/prometheus.hpp>

#include "integration.hpp"
#include "prometheus_server.hpp"
#include "recording_transport.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace prom {

struct Gauge {
    std::string id{};
    std::string site{};
    std::int64_t level = 0;
};

}  // namespace prom

template <>
struct bloop::Model<prom::Gauge> {
    static constexpr Meta meta{.table_name = "PromGauge"};
    static constexpr auto hash_key = &prom::Gauge::id;
    static constexpr auto by_site =
        global_index().hash_key<&prom::Gauge::site>().projection(all_attributes);
    static constexpr auto indexes = bloop::indexes<&by_site>();
};

namespace bloop {
namespace {

using prom::Gauge;

// Asks `promql` until Prometheus answers `expected` (each scrape is a second apart); the last
// answer otherwise.
std::optional<double> settled(const test::PrometheusServer& server, const std::string& promql,
                              double expected) {
    std::optional<double> seen;
    for (int i = 0; i < 600; ++i) {
        seen = server.scalar(promql);
        if (seen && *seen == expected) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return seen;
}

TEST(PrometheusExporter, ARealPrometheusScrapesCountsEqualToTheRequestsOnTheWire) {
    auto wire = std::make_shared<test::RecordingTransport>(make_socket_transport(16));
    auto metrics = std::make_shared<Metrics>();
    ClientOptions options = test::client_options();
    options.transport = wire;
    options.telemetry = metrics;
    Engine engine{Client(options)};
    PrometheusExporter exporter(metrics, "127.0.0.1:0");
    ASSERT_TRUE(exporter.listening());
    ASSERT_GT(exporter.port(), 0);
    EXPECT_EQ(exporter.url(), "http://127.0.0.1:" + std::to_string(exporter.port()) + "/metrics");

    engine.bind<Gauge>();
    std::vector<Gauge> gauges;
    for (int i = 0; i < 5; ++i) gauges.push_back({"g" + std::to_string(i), "north", i});
    for (Gauge& g : gauges) engine.save(g);
    int found = 0;
    for (const Gauge& g : engine.query(Model<Gauge>::by_site, attr<&Gauge::site> == "north"))
        found += g.site == "north" ? 1 : 0;
    EXPECT_EQ(found, 5);
    Gauge loaded{.id = "g3"};
    engine.load(loaded);
    const auto total = static_cast<double>(wire->count());
    const auto updates = static_cast<double>(wire->count("UpdateItem"));
    ASSERT_EQ(updates, 5);

    test::PrometheusServer prometheus(exporter.port());
    EXPECT_EQ(settled(prometheus, "up{job=\"bloop\"}", 1), 1);
    EXPECT_EQ(settled(prometheus, "sum(bloop_requests_total)", total), total);
    EXPECT_EQ(
        settled(prometheus,
                "sum(bloop_requests_total{operation=\"UpdateItem\",table=\"PromGauge\"})", updates),
        updates);
    EXPECT_EQ(settled(prometheus, "sum(bloop_request_duration_seconds_count)", total), total);
    EXPECT_EQ(settled(prometheus, "sum(bloop_items_written_total{model=\"Gauge\"})", 5), 5);
    // Whatever a model is called, the scrape stays valid: quotes, newlines, invalid UTF-8.
    RequestEvent odd;
    odd.service = "dynamodb";
    odd.operation = "GetItem";
    odd.tables = {"PromGauge"};
    odd.model = "Odd\"model\n\xff";
    odd.capacity.push_back({"PromGauge", "", 1.5, 0});
    metrics->request(odd);
    EXPECT_EQ(
        settled(prometheus, "sum(bloop_consumed_read_units_total{model=~\"(?s)Odd.*\"})", 1.5),
        1.5);
    EXPECT_EQ(settled(prometheus, "up{job=\"bloop\"}", 1), 1);
    const std::optional<json::Value> odd_series =
        prometheus.api("query", "query=bloop_consumed_read_units_total{model=~\"(?s)Odd.*\"}");
    ASSERT_TRUE(odd_series.has_value());
    ASSERT_EQ(odd_series->at("result").as_array().size(), 1U);
    EXPECT_EQ(odd_series->at("result").as_array()[0].at("metric").at("model").as_string(),
              "Odd\"model\n\uFFFD");  // invalid UTF-8 replaced, the rest kept
    const std::optional<double> units = prometheus.scalar(
        "sum(bloop_consumed_write_units_total{table=\"PromGauge\",model=\"Gauge\"})");
    ASSERT_TRUE(units.has_value());
    EXPECT_GT(*units, 0);
}

TEST(PrometheusExporter, APortInUseIsSaidOnceAndFailsNoRequest) {
    auto metrics = std::make_shared<Metrics>();
    PrometheusExporter first(metrics, "127.0.0.1:0");
    ASSERT_TRUE(first.listening());
    std::vector<std::string> lines;
    PrometheusExporter second(metrics, "127.0.0.1:" + std::to_string(first.port()),
                              [&](LogLevel level, std::string_view line) {
                                  if (level == LogLevel::warning) lines.emplace_back(line);
                              });
    EXPECT_FALSE(second.listening());
    EXPECT_EQ(second.url(), "");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_NE(lines[0].find(std::to_string(first.port())), std::string::npos);

    ClientOptions options = test::client_options();
    options.telemetry = metrics;
    Engine engine{Client(options)};
    engine.bind<Gauge>();
    Gauge g{"busy", "south", 1};
    engine.save(g);
    double dropped = 0;
    for (const MetricFamily& f : metrics->snapshot()) {
        if (f.name == "bloop_telemetry_dropped_total") {
            for (const MetricSample& s : f.samples) dropped += s.value;
        }
    }
    EXPECT_EQ(dropped, 1);
}

}  // namespace
}  // namespace bloop
