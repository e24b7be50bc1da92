#include <bloop/telemetry/otlp.hpp>

#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "json/text.hpp"
#include "telemetry/json_number.hpp"
#include "telemetry/periodic.hpp"
#include "util/ascii.hpp"
#include "util/crypto.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <mutex>
#include <variant>

namespace bloop {
namespace {

using json::Value;

// Appends `n` in decimal (no allocation).
template <class N>
void append_number(std::string& out, N n) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, n).ptr;
    out.append(text, static_cast<std::size_t>(end - text));
}

void append_nanos(std::string& out, std::chrono::system_clock::time_point t) {
    append_number(
        out, std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

std::string nanos(std::chrono::system_clock::time_point t) {
    std::string out;
    append_nanos(out, t);
    return out;
}

// OTLP's KeyValue with an AnyValue of each kind.
Value attribute(std::string_view key, Value any) {
    Value kv;
    kv["key"] = key;
    kv["value"] = std::move(any);
    return kv;
}
Value string_value(std::string_view v) {
    Value any;
    any["stringValue"] = v;
    return any;
}

// Spans are written straight as OTLP/JSON text (a span per event, on the exporter's thread).
class SpanText {
  public:
    explicit SpanText(std::string& out) : out_(out) {}

    // `name` is `prefix` and `rest` (plain ASCII: "DynamoDB." and an operation, "bloop." and a
    // call).
    void begin(const SpanContext& span, const SpanContext& parent, std::string_view prefix,
               std::string_view rest, int kind, std::chrono::system_clock::time_point start,
               std::chrono::nanoseconds duration) {
        out_ += R"({"traceId":")";
        detail::append_hex(out_, span.trace_id);
        out_ += R"(","spanId":")";
        detail::append_hex(out_, span.span_id);
        if (parent.valid()) {
            out_ += R"(","parentSpanId":")";
            detail::append_hex(out_, parent.span_id);
        }
        out_ += R"(","name":")";
        out_ += prefix;
        out_ += rest;
        out_ += R"(","kind":)";
        append_number(out_, kind);
        out_ += R"(,"startTimeUnixNano":")";
        append_nanos(out_, start);
        out_ += R"(","endTimeUnixNano":")";
        append_nanos(out_, start + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                       duration));
        out_ += R"(","attributes":[)";
        first_ = true;
    }
    void string(std::string_view key, std::string_view value) {
        open(key);
        out_ += R"("stringValue":)";
        json::detail::write_string(out_, value);
        out_ += "}}";
    }
    void integer(std::string_view key, std::int64_t value) {
        open(key);
        out_ += R"("intValue":")";
        append_number(out_, value);
        out_ += R"("}})";
    }
    void boolean(std::string_view key, bool value) {
        open(key);
        out_ += value ? R"("boolValue":true}})" : R"("boolValue":false}})";
    }
    // An array of strings; `escaped`: the values are JSON string content already (the consumed
    // capacity, written escaped at once).
    template <class Strings>
    void strings(std::string_view key, const Strings& values, bool escaped = false) {
        open(key);
        out_ += R"("arrayValue":{"values":[)";
        bool first = true;
        for (const auto& v : values) {
            if (!first) out_ += ',';
            first = false;
            out_ += R"({"stringValue":)";
            if (escaped) {
                out_ += '"';
                out_ += v;
                out_ += '"';
            } else {
                json::detail::write_string(out_, v);
            }
            out_ += '}';
        }
        out_ += "]}}}";
    }
    // After the attributes: events (each written by `event`), then the status.
    void end_attributes() { out_ += ']'; }
    void begin_events() {
        out_ += R"(,"events":[)";
        first_event_ = true;
    }
    void event(std::string_view name, std::chrono::system_clock::time_point at) {
        if (!first_event_) out_ += "]},";
        first_event_ = false;
        out_ += R"({"timeUnixNano":")";
        append_nanos(out_, at);
        out_ += R"(","name":)";
        json::detail::write_string(out_, name);
        out_ += R"(,"attributes":[)";
        first_ = true;
    }
    void end_events() {
        if (!first_event_) out_ += "]}";
        out_ += ']';
    }
    void end(std::string_view error) {
        if (!error.empty()) {
            out_ += R"(,"status":{"code":2,"message":)";  // STATUS_CODE_ERROR
            json::detail::write_string(out_, error);
            out_ += '}';
        }
        out_ += '}';
    }

  private:
    // `key`: an attribute name of ours (plain ASCII: nothing to escape).
    void open(std::string_view key) {
        if (!first_) out_ += ',';
        first_ = false;
        out_ += R"({"key":")";
        out_ += key;
        out_ += R"(","value":{)";
    }
    std::string& out_;
    bool first_ = true;
    bool first_event_ = true;
};

// ConsumedCapacity as the semantic conventions carry it: one JSON object per table and index,
// written as the content of a JSON string (its quotes escaped) at once. Table and index names
// hold only letters, digits, '_', '-' and '.', so nothing else needs escaping; a name with any
// other character (none DynamoDB accepts) is escaped twice over, the slow way.
std::vector<std::string> capacity_json(const std::vector<CapacityUse>& uses) {
    const auto name = [](std::string& text, const std::string& value) {
        const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
            return detail::is_ascii_alnum(c) || c == '_' || c == '-' || c == '.';
        });
        if (plain) {
            text += R"(\")";
            text += value;
            text += R"(\")";
            return;
        }
        std::string quoted;
        json::detail::write_string(quoted, value);
        std::string twice;
        json::detail::write_string(twice, quoted);
        text.append(twice, 1, twice.size() - 2);  // without its own quotes
    };
    std::vector<std::string> out;
    for (const CapacityUse& c : uses) {
        std::string text = R"({\"TableName\":)";
        name(text, c.table);
        if (!c.index.empty()) {
            text += R"(,\"IndexName\":)";
            name(text, c.index);
        }
        text += R"(,\"ReadCapacityUnits\":)";
        append_number(text, c.read_units);
        text += R"(,\"WriteCapacityUnits\":)";
        append_number(text, c.write_units);
        text += '}';
        out.push_back(std::move(text));
    }
    return out;
}

void write_span(std::string& out, const RequestEvent& e) {
    const bool streams = e.service == "dynamodb-streams";
    SpanText span(out);
    span.begin(e.span, e.parent, streams ? "DynamoDBStreams." : "DynamoDB.", e.operation,
               3 /* SPAN_KIND_CLIENT */, e.start, e.duration);
    span.string("rpc.system", "aws-api");
    span.string("rpc.service", streams ? "DynamoDB Streams" : "DynamoDB");
    span.string("rpc.method", e.operation);
    span.string("db.system.name", "aws.dynamodb");
    span.string("db.operation.name", e.operation);
    if (!e.tables.empty()) span.strings("aws.dynamodb.table_names", e.tables);
    if (!e.index.empty()) span.string("aws.dynamodb.index_name", e.index);
    if (e.limit >= 0) span.integer("aws.dynamodb.limit", e.limit);
    if (!e.projection.empty()) span.string("aws.dynamodb.projection", e.projection);
    if (!e.select.empty()) span.string("aws.dynamodb.select", e.select);
    if (!e.capacity.empty())
        span.strings("aws.dynamodb.consumed_capacity", capacity_json(e.capacity), true);
    if (!e.request_id.empty()) span.string("aws.request_id", e.request_id);
    if (e.http_status > 0) span.integer("http.response.status_code", e.http_status);
    if (!e.error_type.empty()) span.string("error.type", e.error_type);
    if (!e.model.empty()) span.string("bloop.model", e.model);
    span.integer("bloop.attempts", static_cast<std::int64_t>(e.attempts.size()));
    span.end_attributes();
    if (e.attempts.size() > 1) {
        span.begin_events();
        for (std::size_t i = 0; i + 1 < e.attempts.size(); ++i) {  // each retried attempt
            const AttemptEvent& failed = e.attempts[i];
            span.event("retry", e.attempts[i + 1].start);
            span.integer("bloop.attempt", static_cast<std::int64_t>(i + 1));
            span.string("error.type", failed.error_type);
            if (failed.http_status > 0)
                span.integer("http.response.status_code", failed.http_status);
            span.boolean("bloop.throttled", failed.throttled);
        }
        span.end_events();
    }
    span.end(e.error_type);
}

void write_span(std::string& out, const MapperEvent& e) {
    SpanText span(out);
    span.begin(e.span, e.parent, "bloop.", e.name, 1 /* SPAN_KIND_INTERNAL */, e.start, e.duration);
    span.string("bloop.model", e.model);
    span.integer("bloop.objects", static_cast<std::int64_t>(e.objects));
    if (!e.error_type.empty()) span.string("error.type", e.error_type);
    span.end_attributes();
    span.end(e.error_type);
}

// The resource: service.name (the options', else OTEL_SERVICE_NAME, else "bloop") and the SDK's.
Value resource_of(const OtlpOptions& options) {
    Value attributes = Value::array();
    attributes.as_array().push_back(attribute(
        "service.name",
        string_value(options.service_name
                         ? *options.service_name
                         : options.environment.get("OTEL_SERVICE_NAME").value_or("bloop"))));
    attributes.as_array().push_back(attribute("telemetry.sdk.name", string_value("bloop")));
    attributes.as_array().push_back(attribute("telemetry.sdk.language", string_value("cpp")));
    Value r;
    r["attributes"] = std::move(attributes);
    return r;
}

std::string unit_of(const MetricFamily& f) {
    return f.unit == "seconds" ? "s" : "{" + f.unit + "}";
}

// One metric's OTLP form: a cumulative monotonic Sum, a Gauge or a cumulative Histogram.
Value metric_of(const MetricFamily& f, const std::string& start, const std::string& now) {
    Value points = Value::array();
    for (const MetricSample& s : f.samples) {
        Value point;
        Value attributes = Value::array();
        for (const auto& [name, value] : s.labels)
            attributes.as_array().push_back(attribute(name, string_value(value)));
        point["attributes"] = std::move(attributes);
        point["startTimeUnixNano"] = start;
        point["timeUnixNano"] = now;
        if (f.kind == MetricKind::histogram) {
            point["count"] = std::to_string(s.count);
            point["sum"] = detail::json_number(s.sum);
            Value counts = Value::array();
            std::uint64_t below = 0;
            for (std::uint64_t cumulative : s.buckets) {
                counts.as_array().emplace_back(std::to_string(cumulative - below));
                below = cumulative;
            }
            counts.as_array().emplace_back(std::to_string(s.count - below));
            point["bucketCounts"] = std::move(counts);
            Value bounds = Value::array();
            for (double b : f.bounds) bounds.as_array().push_back(detail::json_number(b));
            point["explicitBounds"] = std::move(bounds);
        } else {
            point["asDouble"] = detail::json_number(s.value);
        }
        points.as_array().push_back(std::move(point));
    }
    Value data;
    data["dataPoints"] = std::move(points);
    Value metric;
    metric["name"] = f.name;
    metric["description"] = f.help;
    metric["unit"] = unit_of(f);
    switch (f.kind) {
        case MetricKind::counter:
            data["aggregationTemporality"] = 2;  // CUMULATIVE
            data["isMonotonic"] = true;
            metric["sum"] = std::move(data);
            break;
        case MetricKind::gauge: metric["gauge"] = std::move(data); break;
        case MetricKind::histogram:
            data["aggregationTemporality"] = 2;
            metric["histogram"] = std::move(data);
            break;
    }
    return metric;
}

}  // namespace

struct OtlpExporter::State {
    OtlpOptions options;
    std::string url;   // the collector's base URL, without a trailing '/'
    std::string host;  // host:port
    std::string base_path;
    std::shared_ptr<Transport> transport;
    std::string started = nanos(std::chrono::system_clock::now());

    mutable std::mutex mutex;
    // Events as they came: their spans are built on the exporter's thread, not the caller's.
    std::deque<std::variant<RequestEvent, MapperEvent>> queue;
    std::size_t dropped = 0;
    bool said_full = false;
    bool failing = false;  // the last send failed (said once per outage)

    std::mutex send_mutex;                       // one send at a time
    Value resource;                              // the resource every request names, resolved once
    std::unique_ptr<detail::Periodic> periodic;  // last: stopped before the rest goes

    static Value scope() {
        Value s;
        s["name"] = "bloop";
        return s;
    }

    template <class Event>
    void enqueue(const Event& event) {
        std::size_t dropped_now = 0;
        {
            std::lock_guard lock(mutex);
            if (queue.size() >= options.max_queue) {
                ++dropped;
                dropped_now = 1;
                if (!said_full && options.log) {
                    options.log(LogLevel::warning,
                                "the OTLP exporter's queue is full (" +
                                    std::to_string(options.max_queue) +
                                    " spans); dropping spans until the collector catches up");
                }
                said_full = true;
            } else {
                queue.emplace_back(event);
            }
        }
        if (dropped_now != 0 && options.metrics) options.metrics->dropped("otlp", dropped_now);
    }

    bool post(const std::string& path, std::string body) {
        HttpRequest request;
        request.url = url + path;
        request.path = base_path + path;
        request.headers.emplace_back("Host", host);
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = std::move(body);
        std::string why;
        try {
            const HttpResponse response =
                transport->send(request, Timeouts{options.timeout, options.timeout});
            if (response.status >= 200 && response.status < 300) {
                if (failing && options.log)
                    options.log(LogLevel::info,
                                "the OTLP collector at " + url + " takes data again");
                failing = false;
                return true;
            }
            why = "HTTP " + std::to_string(response.status) + ": " + response.body.substr(0, 200);
        } catch (const std::exception& e) {
            why = e.what();
        }
        if (!failing && options.log) {
            options.log(LogLevel::warning, "the OTLP collector at " + url + " did not take " +
                                               path + " (" + why + "); dropping until it does");
        }
        failing = true;
        return false;
    }

    bool flush() {
        std::lock_guard sending(send_mutex);
        bool ok = true;
        while (true) {
            // A batch taken under the lock, its spans written outside it: enqueue never waits
            // on the writing.
            std::vector<std::variant<RequestEvent, MapperEvent>> batch;
            {
                std::lock_guard lock(mutex);
                const std::size_t n = std::min(queue.size(), options.max_batch);
                batch.reserve(n);
                for (std::size_t i = 0; i < n; ++i) {
                    batch.push_back(std::move(queue.front()));
                    queue.pop_front();
                }
                if (queue.size() < options.max_queue / 2) said_full = false;
            }
            const std::size_t n = batch.size();
            if (n == 0) break;
            std::string spans;
            spans.reserve(n * 1536);  // about a span's text each: no regrowth on the way
            for (const auto& event : batch) {
                if (!spans.empty()) spans += ',';
                std::visit([&](const auto& e) { write_span(spans, e); }, event);
            }
            std::string request = R"({"resourceSpans":[{"resource":)";
            request += json::to_string(resource);
            request += R"(,"scopeSpans":[{"scope":{"name":"bloop"},"spans":[)";
            request += spans;
            request += "]}]}]}";
            if (!post("/v1/traces", std::move(request))) {
                ok = false;
                {
                    std::lock_guard lock(mutex);
                    dropped += n;
                }
                if (options.metrics) options.metrics->dropped("otlp", n);
            }
        }
        if (options.metrics) {
            const std::string now = nanos(std::chrono::system_clock::now());
            Value metrics = Value::array();
            for (const MetricFamily& f : options.metrics->snapshot()) {
                if (!f.samples.empty()) metrics.as_array().push_back(metric_of(f, started, now));
            }
            Value scope_metrics;
            scope_metrics["scope"] = scope();
            scope_metrics["metrics"] = std::move(metrics);
            Value resource_metrics;
            resource_metrics["resource"] = resource;
            resource_metrics["scopeMetrics"] = Value(Value::Array{std::move(scope_metrics)});
            Value request;
            request["resourceMetrics"] = Value(Value::Array{std::move(resource_metrics)});
            if (!post("/v1/metrics", json::to_string(request))) {
                ok = false;
                options.metrics->dropped("otlp", 1);
            }
        }
        return ok;
    }
};

OtlpExporter::OtlpExporter(OtlpOptions options) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.options = std::move(options);
    s.resource = resource_of(s.options);
    s.url = s.options.endpoint.value_or(
        s.options.environment.get("OTEL_EXPORTER_OTLP_ENDPOINT").value_or("http://localhost:4318"));
    while (!s.url.empty() && s.url.back() == '/') s.url.pop_back();
    const std::size_t scheme = s.url.find("://");
    if (scheme == std::string::npos ||
        (s.url.compare(0, scheme, "http") != 0 && s.url.compare(0, scheme, "https") != 0))
        throw InvalidConfiguration("the OTLP endpoint must be an http or https URL, got '" + s.url +
                                   "'");
    const std::size_t path = s.url.find('/', scheme + 3);
    s.host =
        s.url.substr(scheme + 3, path == std::string::npos ? std::string::npos : path - scheme - 3);
    if (path != std::string::npos) s.base_path = s.url.substr(path);
    s.transport =
        s.url.compare(0, scheme, "https") == 0 ? make_curl_transport(2) : make_socket_transport(2);
    if (s.options.max_queue == 0 || s.options.max_batch == 0 || s.options.interval.count() <= 0)
        throw InvalidConfiguration(
            "OtlpOptions: max_queue, max_batch and interval must be positive");
    s.periodic = std::make_unique<detail::Periodic>(
        s.options.interval, [state = state_.get()] { (void)state->flush(); });
}

OtlpExporter::~OtlpExporter() {
    state_->periodic.reset();
    state_->flush();
}

bool OtlpExporter::flush() {
    return state_->flush();
}

std::size_t OtlpExporter::dropped() const {
    std::lock_guard lock(state_->mutex);
    return state_->dropped;
}

void OtlpExporter::request(const RequestEvent& event) {
    state_->enqueue(event);
}

void OtlpExporter::mapper(const MapperEvent& event) {
    state_->enqueue(event);
}

}  // namespace bloop
