#pragma once
/// \file
/// OpenTelemetry's protocol, OTLP/HTTP with its JSON encoding (no protobuf library): spans of
/// every request and mapper call following OpenTelemetry's semantic conventions for DynamoDB, and
/// optionally a `bloop::Metrics`, sent to a collector from a thread of the exporter's own.

#include <bloop/client/environment.hpp>
#include <bloop/client/log.hpp>
#include <bloop/telemetry/metrics.hpp>
#include <bloop/telemetry/telemetry.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace bloop {

/// Where and how an OtlpExporter sends.
struct OtlpOptions {
    /// The collector's base URL ("http://127.0.0.1:4318"; /v1/traces and /v1/metrics are added);
    /// else OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318.
    std::optional<std::string> endpoint{};
    /// The resource's service.name; else OTEL_SERVICE_NAME, else "bloop".
    std::optional<std::string> service_name{};
    /// Also send these metrics (and count what is dropped in them); null: spans only.
    std::shared_ptr<Metrics> metrics{};
    /// How often the exporter's thread sends.
    std::chrono::milliseconds interval{5000};
    /// Spans kept waiting at most; more are dropped (counted, said once).
    std::size_t max_queue = 2048;
    /// Spans per request at most.
    std::size_t max_batch = 512;
    /// Each send's bound (connect and answer).
    std::chrono::milliseconds timeout{3000};
    LogListener log{};          ///< where a failing collector is said (once per outage)
    Environment environment{};  ///< where OTEL_* variables are read
};

/// A Telemetry that turns request and mapper events into spans and sends them (and the metrics)
/// to an OTLP collector. Events only queue a span (bounded): a slow or unreachable collector
/// never delays a DynamoDB request. Set it (with Metrics, through TelemetryFanout) as
/// ClientOptions::telemetry.
class OtlpExporter final : public Telemetry {
  public:
    /// Starts the sending thread.
    explicit OtlpExporter(OtlpOptions options = {});
    /// Sends what is queued (once more), then stops the thread.
    ~OtlpExporter() override;
    OtlpExporter(const OtlpExporter&) = delete;
    OtlpExporter& operator=(const OtlpExporter&) = delete;

    /// Sends the queued spans and the metrics now; false when the collector did not take them.
    bool flush();
    /// Spans dropped so far (queue full or collector unreachable).
    [[nodiscard]] std::size_t dropped() const;

    /// Queues the request's span.
    void request(const RequestEvent& event) override;
    /// Queues the mapper call's span.
    void mapper(const MapperEvent& event) override;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace bloop
