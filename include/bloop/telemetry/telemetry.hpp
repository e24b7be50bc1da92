#pragma once
/// \file
/// The one telemetry interface: set `ClientOptions::telemetry` and every request, mapper call and
/// stream batch is reported to it as an event; unset, nothing is measured (docs/observability.md).
/// `bloop::Metrics` turns the events into metrics for the Prometheus and CloudWatch EMF exporters.
/// Events never hold credentials, key values or item contents.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bloop {

/// An OpenTelemetry span context: which trace a span belongs to and which span it is (W3C trace
/// context ids; all zero: none).
struct SpanContext {
    std::array<std::uint8_t, 16> trace_id{};  ///< the trace
    std::array<std::uint8_t, 8> span_id{};    ///< the span

    /// Whether this names a span.
    [[nodiscard]] bool valid() const noexcept;
    /// The trace id as 32 lowercase hex digits.
    [[nodiscard]] std::string trace_id_hex() const;
    /// The span id as 16 lowercase hex digits.
    [[nodiscard]] std::string span_id_hex() const;
    /// The context of ids written as hex (32 and 16 digits, as W3C traceparent and OTLP write
    /// them); throws InvalidArgument for anything else.
    static SpanContext from_hex(std::string_view trace_id, std::string_view span_id);
};

/// Makes `parent` the parent of the spans bloop starts on this thread while the scope lives (and
/// of those its async calls start from here): how a user's own span, e.g. opentelemetry-cpp's
/// current one, becomes the parent of bloop's.
class TraceParent {
  public:
    /// Sets `parent` as the current span context of this thread.
    explicit TraceParent(SpanContext parent);
    /// Restores the context that was current before.
    ~TraceParent();
    TraceParent(const TraceParent&) = delete;
    TraceParent& operator=(const TraceParent&) = delete;

  private:
    SpanContext previous_;
};

/// Capacity a request consumed on one table or index, as DynamoDB reported it.
struct CapacityUse {
    std::string table;       ///< the table
    std::string index;       ///< the index; empty: the table's own items
    double read_units = 0;   ///< read capacity units
    double write_units = 0;  ///< write capacity units
};

/// One attempt of a request.
struct AttemptEvent {
    std::chrono::system_clock::time_point start;  ///< when it was sent
    std::chrono::nanoseconds duration{};          ///< until its answer or error
    int http_status = 0;                          ///< 0: no answer came
    /// Empty when it succeeded; else the service's error code ("ThrottlingException") or the
    /// class of the failure ("RequestTimeout", "ConnectionRefused", "CredentialsUnavailable").
    std::string error_type;
    bool throttled = false;  ///< a throttling error (the limit halves, the attempt is retried)
};

/// One call to DynamoDB or DynamoDB Streams, every attempt and backoff included.
struct RequestEvent {
    std::string_view service;         ///< "dynamodb" or "dynamodb-streams"
    std::string_view operation;       ///< the API name, "PutItem"
    std::vector<std::string> tables;  ///< the tables the request names, in order
    std::string index;                ///< the IndexName it names, if any
    /// The models of the mapper call that sent it, sorted and joined with '+' ("Account",
    /// "Order+User"); empty for a request sent with Client::call.
    std::string model;
    std::string mapper;  ///< the mapper call that sent it ("save", "query"); else empty
    std::chrono::system_clock::time_point start;  ///< when the call began
    std::chrono::nanoseconds duration{};          ///< until it returned or threw
    std::vector<AttemptEvent> attempts;           ///< each attempt, in order (at least one)
    int http_status = 0;                          ///< the last attempt's; 0: no answer
    std::string error_type;  ///< the last attempt's error; empty when the call succeeded
    std::string request_id;  ///< DynamoDB's x-amzn-RequestId of the last answer
    /// What DynamoDB reported consumed, per table and index (asked for only while the telemetry
    /// wants capacity; empty for operations that report none).
    std::vector<CapacityUse> capacity;
    std::int64_t limit = -1;  ///< the request's Limit; -1: none
    std::string select;       ///< the request's Select; empty: none
    std::string projection;   ///< the request's ProjectionExpression (names or placeholders)
    std::size_t in_flight_limit = 0;  ///< the client's adaptive limit when the call ended
    SpanContext span;                 ///< this request's span
    SpanContext parent;               ///< its parent (a mapper call, or the user's); may be empty
};

/// One call of the mapper: a save, load, delete, query or scan page, transaction, batch write or
/// bind.
struct MapperEvent {
    std::string_view name;    ///< "save", "delete", "load", "query", "scan", "transaction",
                              ///< "read transaction", "batch write", "bind"
    std::string model;        ///< the models it touched, sorted and joined with '+'
    std::size_t objects = 0;  ///< objects saved, deleted, asked for, or yielded by the page
    std::chrono::system_clock::time_point start;  ///< when it began
    std::chrono::nanoseconds duration{};          ///< until it returned or threw
    std::string error_type;  ///< the exception's class when it threw; else empty
    SpanContext span;        ///< its span
    SpanContext parent;      ///< the user's span it ran under, if any
};

/// A step of a stream processor's reader of one shard.
struct StreamBatchEvent {
    /// What happened: a batch is handed to the handler, the handler returned from it, the handler
    /// threw (the batch is delivered again), or a read found nothing new (the reader caught up).
    enum class Stage { delivering, handled, failed, caught_up };
    Stage stage = Stage::delivering;  ///< what happened
    std::string table;                ///< the table whose stream it read
    std::string shard_id;             ///< the shard
    std::size_t records = 0;          ///< records in the batch (0 when caught up)
    /// The ApproximateCreationDateTime of the batch's newest record (unset when caught up): the
    /// shard's lag is now minus this until the reader catches up (KCL's MillisBehindLatest).
    std::chrono::system_clock::time_point newest{};
};

/// A change in the leases a stream processor's worker holds.
struct LeaseEvent {
    /// "taken" (free or expired), "stolen" (handed over to this worker for balance at its
    /// request), "lost" (another worker took it, or it could not be renewed in time), "released"
    /// (given up: on shutdown, handed over to another worker, or at the end of its shard),
    /// "checkpointed".
    std::string_view kind;
    std::string consumer;  ///< the processor's consumer (ProcessorOptions::consumer)
    std::string shard_id;  ///< the shard
};

/// Receives bloop's events; the base ignores each. Called from whichever thread sent the request
/// or handled the batch: overrides must be thread-safe and quick (export from a thread of their
/// own). Set on ClientOptions::telemetry (and so seen by the engine and the stream processor).
class Telemetry {
  public:
    virtual ~Telemetry() = default;
    /// Whether requests ask DynamoDB for ReturnConsumedCapacity INDEXES (a request that names its
    /// own ReturnConsumedCapacity keeps it).
    [[nodiscard]] virtual bool wants_capacity() const { return true; }
    /// A request ended (answered, or thrown). The event lives only during the call: copy what
    /// you keep.
    virtual void request(const RequestEvent&) {}
    /// A mapper call ended.
    virtual void mapper(const MapperEvent&) {}
    /// The client signed with renewed credentials (`ok`: their expiration moved), or could get
    /// no valid credentials at all (a request failed with CredentialsUnavailable).
    virtual void credentials(bool ok) { (void)ok; }
    /// A stream batch was handled.
    virtual void stream_batch(const StreamBatchEvent&) {}
    /// A stream processor's lease changed hands or was checkpointed.
    virtual void lease(const LeaseEvent&) {}
};

}  // namespace bloop

namespace bloop {

/// Hands every event to each of several telemetries (Metrics and an OtlpExporter, say); wants
/// capacity when any of them does.
class TelemetryFanout final : public Telemetry {
  public:
    /// Each of `to` receives every event, in order.
    explicit TelemetryFanout(std::vector<std::shared_ptr<Telemetry>> to) : to_(std::move(to)) {}
    /// Whether any of them wants capacity.
    [[nodiscard]] bool wants_capacity() const override {
        for (const auto& t : to_) {
            if (t->wants_capacity()) return true;
        }
        return false;
    }
    /// To each.
    void request(const RequestEvent& e) override {
        for (const auto& t : to_) t->request(e);
    }
    /// To each.
    void mapper(const MapperEvent& e) override {
        for (const auto& t : to_) t->mapper(e);
    }
    /// To each.
    void credentials(bool ok) override {
        for (const auto& t : to_) t->credentials(ok);
    }
    /// To each.
    void stream_batch(const StreamBatchEvent& e) override {
        for (const auto& t : to_) t->stream_batch(e);
    }
    /// To each.
    void lease(const LeaseEvent& e) override {
        for (const auto& t : to_) t->lease(e);
    }

  private:
    std::vector<std::shared_ptr<Telemetry>> to_;
};

}  // namespace bloop
