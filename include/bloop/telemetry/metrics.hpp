#pragma once
/// \file
/// The built-in Telemetry: turns bloop's events into counters, gauges and histograms, read by the
/// exporters (Prometheus, CloudWatch EMF) or by the user through `snapshot()`. Every metric and
/// label is listed in docs/observability.md.

#include <bloop/telemetry/telemetry.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bloop {

/// What kind of metric a family is.
enum class MetricKind { counter, gauge, histogram };

/// One labelled series of a metric family.
struct MetricSample {
    /// Label names and values, in the family's label order.
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;  ///< a counter's or gauge's value
    /// A histogram's count of observations at or below each of the family's bounds (cumulative).
    std::vector<std::uint64_t> buckets;
    double sum = 0;           ///< a histogram's sum of observations
    std::uint64_t count = 0;  ///< a histogram's number of observations
};

/// One metric: its name (Prometheus' rules: `bloop_requests_total`), help, kind, unit and series.
struct MetricFamily {
    std::string name;                       ///< e.g. "bloop_request_duration_seconds"
    std::string help;                       ///< one line
    MetricKind kind = MetricKind::counter;  ///< counter, gauge or histogram
    std::string unit;  ///< "seconds", "units", "requests", ... (CloudWatch's unit follows)
    std::vector<double> bounds;         ///< a histogram's bucket upper bounds, ascending
    std::vector<MetricSample> samples;  ///< one per label set, sorted by labels
};

/// Aggregates every event into metrics; thread-safe. Set it as ClientOptions::telemetry and hand
/// it to exporters.
class Metrics final : public Telemetry {
  public:
    /// Every metric at zero.
    Metrics();
    ~Metrics() override;
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    /// Every metric as it stands now, families in a fixed order, series sorted by their labels.
    [[nodiscard]] std::vector<MetricFamily> snapshot() const;
    /// Counts `n` items an exporter dropped (a full queue, an unreachable endpoint):
    /// `bloop_telemetry_dropped_total{exporter}`.
    void dropped(std::string_view exporter, std::size_t n);

    /// Counts the request, its retries, throttles, errors, latency and consumed capacity.
    void request(const RequestEvent& event) override;
    /// Counts the mapper call, its latency and the items it read or wrote.
    void mapper(const MapperEvent& event) override;
    /// Counts a credentials renewal or failure.
    void credentials(bool ok) override;
    /// Counts the batch's records and handler failures; follows its shard's lag.
    void stream_batch(const StreamBatchEvent& event) override;
    /// Counts the lease change and sets the leases held and the shard's checkpoint time.
    void lease(const LeaseEvent& event) override;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace bloop
