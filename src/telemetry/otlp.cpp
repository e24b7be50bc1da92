#include <bloop/telemetry/otlp.hpp>

#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

namespace bloop {
namespace {

using json::Value;

std::string nanos(std::chrono::system_clock::time_point t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

Value number(double v) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", v);
    return Value::number(text);
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
Value int_value(std::int64_t v) {
    Value any;
    any["intValue"] = std::to_string(v);  // int64 as a string, as OTLP/JSON writes it
    return any;
}
Value bool_value(bool v) {
    Value any;
    any["boolValue"] = v;
    return any;
}
Value strings_value(const std::vector<std::string>& values) {
    Value list = Value::array();
    for (const std::string& v : values) list.as_array().push_back(string_value(v));
    Value array;
    array["values"] = std::move(list);
    Value any;
    any["arrayValue"] = std::move(array);
    return any;
}

// ConsumedCapacity as semantic conventions carry it: one JSON object per table and index.
std::vector<std::string> capacity_json(const std::vector<CapacityUse>& uses) {
    std::vector<std::string> out;
    for (const CapacityUse& c : uses) {
        Value v;
        v["TableName"] = c.table;
        if (!c.index.empty()) v["IndexName"] = c.index;
        v["ReadCapacityUnits"] = number(c.read_units);
        v["WriteCapacityUnits"] = number(c.write_units);
        out.push_back(json::to_string(v));
    }
    return out;
}

Value span_of(const RequestEvent& e) {
    const bool streams = e.service == "dynamodb-streams";
    Value attributes = Value::array();
    auto& a = attributes.as_array();
    a.push_back(attribute("rpc.system", string_value("aws-api")));
    a.push_back(attribute("rpc.service", string_value(streams ? "DynamoDB Streams" : "DynamoDB")));
    a.push_back(attribute("rpc.method", string_value(e.operation)));
    a.push_back(attribute("db.system.name", string_value("aws.dynamodb")));
    a.push_back(attribute("db.operation.name", string_value(e.operation)));
    if (!e.tables.empty())
        a.push_back(attribute("aws.dynamodb.table_names", strings_value(e.tables)));
    if (!e.index.empty()) a.push_back(attribute("aws.dynamodb.index_name", string_value(e.index)));
    if (e.limit >= 0) a.push_back(attribute("aws.dynamodb.limit", int_value(e.limit)));
    if (!e.projection.empty())
        a.push_back(attribute("aws.dynamodb.projection", string_value(e.projection)));
    if (!e.select.empty()) a.push_back(attribute("aws.dynamodb.select", string_value(e.select)));
    if (!e.capacity.empty()) {
        a.push_back(
            attribute("aws.dynamodb.consumed_capacity", strings_value(capacity_json(e.capacity))));
    }
    if (!e.request_id.empty()) a.push_back(attribute("aws.request_id", string_value(e.request_id)));
    if (e.http_status > 0)
        a.push_back(attribute("http.response.status_code", int_value(e.http_status)));
    if (!e.error_type.empty()) a.push_back(attribute("error.type", string_value(e.error_type)));
    if (!e.model.empty()) a.push_back(attribute("bloop.model", string_value(e.model)));
    a.push_back(
        attribute("bloop.attempts", int_value(static_cast<std::int64_t>(e.attempts.size()))));

    Value events = Value::array();
    for (std::size_t i = 0; i + 1 < e.attempts.size(); ++i) {  // each retried attempt
        const AttemptEvent& failed = e.attempts[i];
        Value event;
        event["timeUnixNano"] = nanos(e.attempts[i + 1].start);
        event["name"] = "retry";
        Value ea = Value::array();
        ea.as_array().push_back(
            attribute("bloop.attempt", int_value(static_cast<std::int64_t>(i + 1))));
        ea.as_array().push_back(attribute("error.type", string_value(failed.error_type)));
        if (failed.http_status > 0)
            ea.as_array().push_back(
                attribute("http.response.status_code", int_value(failed.http_status)));
        ea.as_array().push_back(attribute("bloop.throttled", bool_value(failed.throttled)));
        event["attributes"] = std::move(ea);
        events.as_array().push_back(std::move(event));
    }

    Value span;
    span["traceId"] = e.span.trace_id;
    span["spanId"] = e.span.span_id;
    if (e.parent.valid()) span["parentSpanId"] = e.parent.span_id;
    span["name"] =
        std::string(streams ? "DynamoDBStreams." : "DynamoDB.") + std::string(e.operation);
    span["kind"] = 3;  // SPAN_KIND_CLIENT
    span["startTimeUnixNano"] = nanos(e.start);
    span["endTimeUnixNano"] = nanos(
        e.start + std::chrono::duration_cast<std::chrono::system_clock::duration>(e.duration));
    span["attributes"] = std::move(attributes);
    if (!events.as_array().empty()) span["events"] = std::move(events);
    if (!e.error_type.empty()) {
        Value status;
        status["code"] = 2;  // STATUS_CODE_ERROR
        status["message"] = e.error_type;
        span["status"] = std::move(status);
    }
    return span;
}

Value span_of(const MapperEvent& e) {
    Value attributes = Value::array();
    auto& a = attributes.as_array();
    a.push_back(attribute("bloop.model", string_value(e.model)));
    a.push_back(attribute("bloop.objects", int_value(static_cast<std::int64_t>(e.objects))));
    if (!e.error_type.empty()) a.push_back(attribute("error.type", string_value(e.error_type)));
    Value span;
    span["traceId"] = e.span.trace_id;
    span["spanId"] = e.span.span_id;
    if (e.parent.valid()) span["parentSpanId"] = e.parent.span_id;
    span["name"] = "bloop." + std::string(e.name);
    span["kind"] = 1;  // SPAN_KIND_INTERNAL
    span["startTimeUnixNano"] = nanos(e.start);
    span["endTimeUnixNano"] = nanos(
        e.start + std::chrono::duration_cast<std::chrono::system_clock::duration>(e.duration));
    span["attributes"] = std::move(attributes);
    if (!e.error_type.empty()) {
        Value status;
        status["code"] = 2;
        status["message"] = e.error_type;
        span["status"] = std::move(status);
    }
    return span;
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
            point["sum"] = number(s.sum);
            Value counts = Value::array();
            std::uint64_t below = 0;
            for (std::uint64_t cumulative : s.buckets) {
                counts.as_array().emplace_back(std::to_string(cumulative - below));
                below = cumulative;
            }
            counts.as_array().emplace_back(std::to_string(s.count - below));
            point["bucketCounts"] = std::move(counts);
            Value bounds = Value::array();
            for (double b : f.bounds) bounds.as_array().push_back(number(b));
            point["explicitBounds"] = std::move(bounds);
        } else {
            point["asDouble"] = number(s.value);
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

    std::mutex send_mutex;  // one send at a time
    std::mutex wake_mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::thread thread;

    Value resource() const {
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
            Value spans = Value::array();
            {
                std::lock_guard lock(mutex);
                while (!queue.empty() && spans.as_array().size() < options.max_batch) {
                    spans.as_array().push_back(
                        std::visit([](const auto& e) { return span_of(e); }, queue.front()));
                    queue.pop_front();
                }
                if (queue.size() < options.max_queue / 2) said_full = false;
            }
            if (spans.as_array().empty()) break;
            const std::size_t n = spans.as_array().size();
            Value scope_spans;
            scope_spans["scope"] = scope();
            scope_spans["spans"] = std::move(spans);
            Value resource_spans;
            resource_spans["resource"] = resource();
            resource_spans["scopeSpans"] = Value(Value::Array{std::move(scope_spans)});
            Value request;
            request["resourceSpans"] = Value(Value::Array{std::move(resource_spans)});
            if (!post("/v1/traces", json::to_string(request))) {
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
            resource_metrics["resource"] = resource();
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

    void run() {
        std::unique_lock lock(wake_mutex);
        while (!wake.wait_for(lock, options.interval, [&] { return stopping; })) {
            lock.unlock();
            flush();
            lock.lock();
        }
    }
};

OtlpExporter::OtlpExporter(OtlpOptions options) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.options = std::move(options);
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
    s.thread = std::thread([state = state_.get()] { state->run(); });
}

OtlpExporter::~OtlpExporter() {
    {
        std::lock_guard lock(state_->wake_mutex);
        state_->stopping = true;
    }
    state_->wake.notify_all();
    state_->thread.join();
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
