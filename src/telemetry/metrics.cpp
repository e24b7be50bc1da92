#include <bloop/telemetry/metrics.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>

namespace bloop {
namespace {

using Labels = std::vector<std::string>;

constexpr std::array<double, 14> kLatencyBounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                0.25,  0.5,    1,     2.5,  5,     10,   30};

// One series: a value, or a histogram over the family's bounds.
struct Series {
    double value = 0;
    std::vector<std::uint64_t> buckets;  // per bound, not cumulative
    double sum = 0;
    std::uint64_t count = 0;
};

struct Family {
    const char* name;
    const char* help;
    MetricKind kind;
    const char* unit;
    std::vector<const char*> label_names;
    std::map<Labels, Series> series{};

    Series& at(Labels labels) { return series[std::move(labels)]; }
    void add(Labels labels, double n) { at(std::move(labels)).value += n; }
    void set(Labels labels, double v) { at(std::move(labels)).value = v; }
    void observe(Labels labels, double v) {
        Series& s = at(std::move(labels));
        if (s.buckets.empty()) s.buckets.assign(kLatencyBounds.size(), 0);
        const auto bucket = std::lower_bound(kLatencyBounds.begin(), kLatencyBounds.end(), v);
        if (bucket != kLatencyBounds.end()) ++s.buckets[bucket - kLatencyBounds.begin()];
        s.sum += v;
        ++s.count;
    }
};

double seconds(std::chrono::nanoseconds d) {
    return std::chrono::duration<double>(d).count();
}

// A request's table label: its tables joined with '+' ("" for ListTables and GetRecords).
std::string tables_of(const RequestEvent& e) {
    std::string joined;
    for (const std::string& t : e.tables) {
        if (!joined.empty()) joined += '+';
        joined += t;
    }
    return joined;
}

bool reads(std::string_view call) {
    return call == "load" || call == "query" || call == "scan" || call == "read transaction";
}

bool writes(std::string_view call) {
    return call == "save" || call == "delete" || call == "transaction" || call == "batch write";
}

}  // namespace

struct Metrics::State {
    mutable std::mutex mutex;
    Family requests{"bloop_requests_total",
                    "DynamoDB and Streams calls, every attempt included",
                    MetricKind::counter,
                    "requests",
                    {"service", "operation", "table"}};
    Family errors{"bloop_request_errors_total",
                  "Calls that failed, by the last attempt's error",
                  MetricKind::counter,
                  "requests",
                  {"operation", "table", "error_type"}};
    Family latency{"bloop_request_duration_seconds",
                   "Call latency, every attempt and backoff included",
                   MetricKind::histogram,
                   "seconds",
                   {"operation", "table"}};
    Family retries{"bloop_retries_total",
                   "Attempts retried, by the failed attempt's error",
                   MetricKind::counter,
                   "attempts",
                   {"operation", "table", "reason"}};
    Family throttles{"bloop_throttles_total",
                     "Attempts the service throttled",
                     MetricKind::counter,
                     "attempts",
                     {"operation", "table"}};
    Family limit{"bloop_in_flight_limit",
                 "The client's adaptive limit on requests in flight",
                 MetricKind::gauge,
                 "requests",
                 {}};
    Family renewals{"bloop_credential_renewals_total",
                    "Times the client signed with renewed credentials",
                    MetricKind::counter,
                    "renewals",
                    {}};
    Family credential_failures{"bloop_credential_failures_total",
                               "Requests that failed for want of valid credentials",
                               MetricKind::counter,
                               "failures",
                               {}};
    Family read_units{"bloop_consumed_read_units_total",
                      "Read capacity units consumed, per table, index (empty: the table) and model",
                      MetricKind::counter,
                      "units",
                      {"table", "index", "model"}};
    Family write_units{
        "bloop_consumed_write_units_total",
        "Write capacity units consumed, per table, index (empty: the table) and model",
        MetricKind::counter,
        "units",
        {"table", "index", "model"}};
    Family mapper_calls{"bloop_mapper_calls_total",
                        "Mapper calls (save, load, query, ...)",
                        MetricKind::counter,
                        "calls",
                        {"call", "model"}};
    Family mapper_errors{"bloop_mapper_errors_total",
                         "Mapper calls that threw, by exception",
                         MetricKind::counter,
                         "calls",
                         {"call", "model", "error_type"}};
    Family mapper_latency{"bloop_mapper_duration_seconds",
                          "Mapper call latency",
                          MetricKind::histogram,
                          "seconds",
                          {"call", "model"}};
    Family items_read{"bloop_items_read_total",
                      "Objects loaded, or yielded by query and scan pages",
                      MetricKind::counter,
                      "items",
                      {"model"}};
    Family items_written{"bloop_items_written_total",
                         "Objects saved or deleted (alone, in transactions or in batches)",
                         MetricKind::counter,
                         "items",
                         {"model"}};
    Family records{"bloop_stream_records_total",
                   "Stream records handled",
                   MetricKind::counter,
                   "records",
                   {"table"}};
    Family batches{"bloop_stream_batches_total",
                   "Stream batches handled",
                   MetricKind::counter,
                   "batches",
                   {"table"}};
    Family handler_failures{"bloop_stream_handler_failures_total",
                            "Stream batches whose handler threw (delivered again)",
                            MetricKind::counter,
                            "batches",
                            {"table"}};
    Family lag{"bloop_stream_lag_seconds",
               "Per shard: now minus the newest record handled's creation time (0: caught up)",
               MetricKind::gauge,
               "seconds",
               {"table", "shard"}};
    Family lease_events{"bloop_lease_events_total",
                        "Leases taken, stolen, lost, released and checkpointed by this worker",
                        MetricKind::counter,
                        "events",
                        {"lease_table", "kind"}};
    Family leases_held{"bloop_leases_held",
                       "Leases this worker holds",
                       MetricKind::gauge,
                       "leases",
                       {"lease_table"}};
    Family checkpoint_age{"bloop_checkpoint_age_seconds",
                          "Per held shard: time since this worker last checkpointed it",
                          MetricKind::gauge,
                          "seconds",
                          {"lease_table", "shard"}};
    Family dropped{"bloop_telemetry_dropped_total",
                   "Metrics or spans an exporter dropped (full queue, unreachable endpoint)",
                   MetricKind::counter,
                   "items",
                   {"exporter"}};
    // When each held shard was last checkpointed (checkpoint_age is computed at snapshot time).
    std::map<Labels, std::chrono::steady_clock::time_point> checkpointed;

    std::array<Family*, 23> all() {
        return {&requests,
                &errors,
                &latency,
                &retries,
                &throttles,
                &limit,
                &renewals,
                &credential_failures,
                &read_units,
                &write_units,
                &mapper_calls,
                &mapper_errors,
                &mapper_latency,
                &items_read,
                &items_written,
                &records,
                &batches,
                &handler_failures,
                &lag,
                &lease_events,
                &leases_held,
                &checkpoint_age,
                &dropped};
    }
};

Metrics::Metrics() : state_(std::make_unique<State>()) {}
Metrics::~Metrics() = default;

void Metrics::request(const RequestEvent& e) {
    const std::string table = tables_of(e);
    const std::string operation(e.operation);
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    s.requests.add({std::string(e.service), operation, table}, 1);
    s.latency.observe({operation, table}, seconds(e.duration));
    if (!e.error_type.empty()) s.errors.add({operation, table, e.error_type}, 1);
    for (std::size_t i = 0; i < e.attempts.size(); ++i) {
        const AttemptEvent& a = e.attempts[i];
        if (a.throttled) s.throttles.add({operation, table}, 1);
        if (i + 1 < e.attempts.size()) s.retries.add({operation, table, a.error_type}, 1);
    }
    for (const CapacityUse& c : e.capacity) {
        if (c.read_units > 0) s.read_units.add({c.table, c.index, e.model}, c.read_units);
        if (c.write_units > 0) s.write_units.add({c.table, c.index, e.model}, c.write_units);
    }
    s.limit.set({}, static_cast<double>(e.in_flight_limit));
}

void Metrics::mapper(const MapperEvent& e) {
    const std::string call(e.name);
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    s.mapper_calls.add({call, e.model}, 1);
    s.mapper_latency.observe({call, e.model}, seconds(e.duration));
    if (!e.error_type.empty()) {
        s.mapper_errors.add({call, e.model, e.error_type}, 1);
        return;
    }
    if (reads(e.name)) s.items_read.add({e.model}, static_cast<double>(e.objects));
    if (writes(e.name)) s.items_written.add({e.model}, static_cast<double>(e.objects));
}

void Metrics::credentials(bool ok) {
    std::lock_guard lock(state_->mutex);
    (ok ? state_->renewals : state_->credential_failures).add({}, 1);
}

void Metrics::stream_batch(const StreamBatchEvent& e) {
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    if (e.handler_failed) {
        s.handler_failures.add({e.table}, 1);
        return;
    }
    if (e.records > 0) {
        s.batches.add({e.table}, 1);
        s.records.add({e.table}, static_cast<double>(e.records));
    }
    s.lag.set({e.table, e.shard_id}, std::chrono::duration<double>(e.lag).count());
}

void Metrics::lease(const LeaseEvent& e) {
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    s.lease_events.add({e.consumer, std::string(e.kind)}, 1);
    Labels shard{e.consumer, e.shard_id};
    if (e.kind == "lost" || e.kind == "released") {
        s.checkpointed.erase(shard);
        s.checkpoint_age.series.erase(shard);
    } else {
        s.checkpointed[shard] = std::chrono::steady_clock::now();
    }
    std::size_t held = 0;
    for (const auto& [held_shard, at] : s.checkpointed) held += held_shard[0] == e.consumer ? 1 : 0;
    s.leases_held.set({e.consumer}, static_cast<double>(held));
}

void Metrics::dropped(std::string_view exporter, std::size_t n) {
    std::lock_guard lock(state_->mutex);
    state_->dropped.add({std::string(exporter)}, static_cast<double>(n));
}

std::vector<MetricFamily> Metrics::snapshot() const {
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    const auto now = std::chrono::steady_clock::now();
    for (const auto& [shard, at] : s.checkpointed)
        s.checkpoint_age.set(shard, std::chrono::duration<double>(now - at).count());
    std::vector<MetricFamily> out;
    for (const Family* f : s.all()) {
        MetricFamily family{f->name, f->help, f->kind, f->unit, {}, {}};
        if (f->kind == MetricKind::histogram)
            family.bounds.assign(kLatencyBounds.begin(), kLatencyBounds.end());
        for (const auto& [values, series] : f->series) {
            MetricSample sample;
            for (std::size_t i = 0; i < values.size(); ++i)
                sample.labels.emplace_back(f->label_names[i], values[i]);
            sample.value = series.value;
            std::uint64_t cumulative = 0;
            for (std::uint64_t n : series.buckets) sample.buckets.push_back(cumulative += n);
            sample.sum = series.sum;
            sample.count = series.count;
            family.samples.push_back(std::move(sample));
        }
        out.push_back(std::move(family));
    }
    return out;
}

}  // namespace bloop
