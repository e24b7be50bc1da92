#include <bloop/telemetry/metrics.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

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

    // A series, made on first use; its address stays (std::map nodes do not move).
    Series& at(Labels labels) {
        Series& s = series[std::move(labels)];
        if (kind == MetricKind::histogram && s.buckets.empty())
            s.buckets.assign(kLatencyBounds.size(), 0);
        return s;
    }
    void add(Labels labels, double n) { at(std::move(labels)).value += n; }
    void set(Labels labels, double v) { at(std::move(labels)).value = v; }
};

void observe(Series& s, double v) {
    const auto bucket = std::lower_bound(kLatencyBounds.begin(), kLatencyBounds.end(), v);
    if (bucket != kLatencyBounds.end()) ++s.buckets[bucket - kLatencyBounds.begin()];
    s.sum += v;
    ++s.count;
}

// Up to three label values as a key: the series of a request, mapper call or capacity use are
// found by their names without building a label vector per event.
struct Key {
    std::string a, b, c;
};
struct KeyView {
    std::string_view a, b, c;
};
struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(const KeyView& k) const noexcept {
        const std::hash<std::string_view> h;
        return h(k.a) ^ (h(k.b) * 31) ^ (h(k.c) * 1009);
    }
    std::size_t operator()(const Key& k) const noexcept { return (*this)(KeyView{k.a, k.b, k.c}); }
};
struct KeyEqual {
    using is_transparent = void;
    static KeyView view(const Key& k) { return {k.a, k.b, k.c}; }
    static KeyView view(const KeyView& k) { return k; }
    template <class L, class R>
    bool operator()(const L& l, const R& r) const noexcept {
        const KeyView x = view(l);
        const KeyView y = view(r);
        return x.a == y.a && x.b == y.b && x.c == y.c;
    }
};
template <class T>
using Cache = std::unordered_map<Key, T, KeyHash, KeyEqual>;

// The series one kind of request (operation and table) updates on every call.
struct CallSeries {
    Series* requests;
    Series* latency;
};
// A table or index's capacity series under one model (made when first used).
struct CapacitySeries {
    Series* read = nullptr;
    Series* write = nullptr;
};
// The series of one mapper call and model.
struct MapperSeries {
    Series* calls;
    Series* latency;
    Series* items;  // read or written, by the call; null for bind
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
                        {"consumer", "kind"}};
    Family leases_held{
        "bloop_leases_held", "Leases this worker holds", MetricKind::gauge, "leases", {"consumer"}};
    Family checkpoint_age{"bloop_checkpoint_age_seconds",
                          "Per held shard: time since this worker took or last checkpointed it",
                          MetricKind::gauge,
                          "seconds",
                          {"consumer", "shard"}};
    Family dropped{"bloop_telemetry_dropped_total",
                   "Metrics or spans an exporter dropped (full queue, unreachable endpoint)",
                   MetricKind::counter,
                   "items",
                   {"exporter"}};
    // Per shard read, the creation time of the newest record delivered while the reader has not
    // caught up since (the lag is computed at snapshot time: it grows while a handler is stuck).
    std::map<Labels, std::optional<std::chrono::system_clock::time_point>> behind;
    // When each held shard was last checkpointed (checkpoint_age is computed at snapshot time).
    std::map<Labels, std::chrono::steady_clock::time_point> checkpointed;
    // The series each event updates, found by name (operation and table; table, index and model;
    // call and model).
    Cache<CallSeries> calls;
    Cache<CapacitySeries> capacity;
    Cache<MapperSeries> mapper_series;

    CallSeries& call_series(std::string_view service, std::string_view operation,
                            std::string_view table) {
        const auto found = calls.find(KeyView{operation, table, {}});
        if (found != calls.end()) return found->second;
        CallSeries made{
            &requests.at({std::string(service), std::string(operation), std::string(table)}),
            &latency.at({std::string(operation), std::string(table)})};
        return calls.emplace(Key{std::string(operation), std::string(table), {}}, made)
            .first->second;
    }
    CapacitySeries& capacity_series(const CapacityUse& c, std::string_view model) {
        const auto found = capacity.find(KeyView{c.table, c.index, model});
        if (found != capacity.end()) return found->second;
        return capacity.emplace(Key{c.table, c.index, std::string(model)}, CapacitySeries{})
            .first->second;
    }
    MapperSeries& mapper_of(std::string_view call, std::string_view model) {
        const auto found = mapper_series.find(KeyView{call, model, {}});
        if (found != mapper_series.end()) return found->second;
        Family* items = reads(call) ? &items_read : writes(call) ? &items_written : nullptr;
        MapperSeries made{&mapper_calls.at({std::string(call), std::string(model)}),
                          &mapper_latency.at({std::string(call), std::string(model)}),
                          items != nullptr ? &items->at({std::string(model)}) : nullptr};
        return mapper_series.emplace(Key{std::string(call), std::string(model), {}}, made)
            .first->second;
    }

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
    const std::string joined = e.tables.size() > 1 ? tables_of(e) : std::string();
    const std::string_view table = e.tables.size() > 1 ? std::string_view(joined)
                                   : e.tables.empty()  ? std::string_view()
                                                       : std::string_view(e.tables.front());
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    CallSeries& call = s.call_series(e.service, e.operation, table);
    call.requests->value += 1;
    observe(*call.latency, seconds(e.duration));
    // Errors, retries and throttles are rare: their series are looked up by labels.
    if (!e.error_type.empty())
        s.errors.add({std::string(e.operation), std::string(table), e.error_type}, 1);
    for (std::size_t i = 0; i < e.attempts.size(); ++i) {
        const AttemptEvent& a = e.attempts[i];
        if (a.throttled) s.throttles.add({std::string(e.operation), std::string(table)}, 1);
        if (i + 1 < e.attempts.size())
            s.retries.add({std::string(e.operation), std::string(table), a.error_type}, 1);
    }
    for (const CapacityUse& c : e.capacity) {
        CapacitySeries& units = s.capacity_series(c, e.model);
        if (c.read_units > 0) {
            if (units.read == nullptr) units.read = &s.read_units.at({c.table, c.index, e.model});
            units.read->value += c.read_units;
        }
        if (c.write_units > 0) {
            if (units.write == nullptr)
                units.write = &s.write_units.at({c.table, c.index, e.model});
            units.write->value += c.write_units;
        }
    }
    s.limit.set({}, static_cast<double>(e.in_flight_limit));
}

void Metrics::mapper(const MapperEvent& e) {
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    MapperSeries& series = s.mapper_of(e.name, e.model);
    series.calls->value += 1;
    observe(*series.latency, seconds(e.duration));
    if (!e.error_type.empty()) {
        s.mapper_errors.add({std::string(e.name), e.model, e.error_type}, 1);
        return;
    }
    if (series.items != nullptr) series.items->value += static_cast<double>(e.objects);
}

void Metrics::credentials(bool ok) {
    std::lock_guard lock(state_->mutex);
    (ok ? state_->renewals : state_->credential_failures).add({}, 1);
}

void Metrics::stream_batch(const StreamBatchEvent& e) {
    using Stage = StreamBatchEvent::Stage;
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    Labels shard{e.table, e.shard_id};
    switch (e.stage) {
        case Stage::delivering: s.behind[shard] = e.newest; break;
        case Stage::handled:
            s.batches.add({e.table}, 1);
            s.records.add({e.table}, static_cast<double>(e.records));
            break;
        case Stage::failed: s.handler_failures.add({e.table}, 1); break;
        case Stage::caught_up: s.behind[shard].reset(); break;
    }
}

void Metrics::lease(const LeaseEvent& e) {
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    s.lease_events.add({e.consumer, std::string(e.kind)}, 1);
    Labels shard{e.consumer, e.shard_id};
    if (e.kind == "lost" || e.kind == "released") {
        s.checkpointed.erase(shard);
        s.checkpoint_age.series.erase(shard);
        // No longer read here: its lag is another worker's to report.
        std::erase_if(s.behind, [&](const auto& b) { return b.first[1] == e.shard_id; });
        std::erase_if(s.lag.series, [&](const auto& b) { return b.first[1] == e.shard_id; });
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
    const auto wall = std::chrono::system_clock::now();
    for (const auto& [shard, newest] : s.behind) {
        const double lag = newest ? std::chrono::duration<double>(wall - *newest).count() : 0.0;
        s.lag.set(shard, std::max(0.0, lag));
    }
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
