#include <bloop/telemetry/emf.hpp>

#include <bloop/json/json.hpp>

#include "telemetry/json_number.hpp"
#include "telemetry/periodic.hpp"

#include <iostream>
#include <map>
#include <mutex>

namespace bloop {
namespace {

using Key = std::pair<std::string, std::vector<std::pair<std::string, std::string>>>;

// What the last write reported of a series: a counter's value, a histogram's sum and count.
struct Reported {
    double value = 0;
    double sum = 0;
    std::uint64_t count = 0;
};

// CloudWatch's name of a family: without "bloop_" and "_total"/"_seconds".
std::string metric_name(const MetricFamily& f) {
    std::string name = f.name;
    if (name.rfind("bloop_", 0) == 0) name.erase(0, 6);
    for (std::string_view suffix : {"_total", "_seconds"}) {
        if (name.size() > suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            name.erase(name.size() - suffix.size());
        }
    }
    return name;
}

// A dimension value CloudWatch takes whatever the label holds: printable ASCII, 1 to 1024
// characters ("none" for an empty one).
std::string dimension_value(std::string_view value) {
    if (value.empty()) return "none";
    std::string out(value.substr(0, 1024));
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f) c = '_';
    }
    if (out.find_first_not_of(' ') == std::string::npos) return "none";
    return out;
}

}  // namespace

struct EmfExporter::State {
    std::shared_ptr<Metrics> metrics;
    EmfOptions options;
    std::mutex mutex;  // one write at a time
    std::map<Key, Reported> reported;
    bool sink_failed = false;
    std::unique_ptr<detail::Periodic> periodic;  // last: stopped before the rest goes

    void write(std::string_view line) {
        try {
            if (options.sink) {
                options.sink(line);
            } else {
                std::cout << line << '\n' << std::flush;
            }
        } catch (const std::exception& e) {
            metrics->dropped("emf", 1);
            if (!sink_failed && options.log)
                options.log(LogLevel::warning, std::string("the EMF sink failed: ") + e.what());
            sink_failed = true;
        }
    }

    // One EMF document: the directive, the dimensions, the metric's value.
    std::string line(const MetricSample& s, std::int64_t timestamp, const std::string& name,
                     const char* unit, const json::Value& value) {
        json::Value dimensions = json::Value::array();
        for (const auto& [label, v] : s.labels) dimensions.as_array().emplace_back(label);
        json::Value metric;
        metric["Name"] = name;
        metric["Unit"] = unit;
        json::Value directive;
        directive["Namespace"] = options.name_space;
        directive["Dimensions"] = json::Value(json::Value::Array{dimensions});
        directive["Metrics"] = json::Value(json::Value::Array{metric});
        json::Value document;
        document["_aws"]["Timestamp"] = timestamp;
        document["_aws"]["CloudWatchMetrics"] = json::Value(json::Value::Array{directive});
        for (const auto& [label, v] : s.labels) document[label] = dimension_value(v);
        document[name] = value;
        std::string text;
        json::write(text, document);
        return text;
    }

    void flush() {
        std::lock_guard lock(mutex);
        const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
        for (const MetricFamily& f : metrics->snapshot()) {
            const std::string name = metric_name(f);
            for (const MetricSample& s : f.samples) {
                Reported& last = reported[{f.name, s.labels}];
                switch (f.kind) {
                    case MetricKind::counter: {
                        const double increase = s.value - last.value;
                        last.value = s.value;
                        if (increase > 0)
                            write(line(s, now, name, "Count", detail::json_number(increase)));
                        break;
                    }
                    case MetricKind::gauge: {
                        const bool seconds = f.unit == "seconds";
                        write(line(s, now, name, seconds ? "Milliseconds" : "Count",
                                   detail::json_number(seconds ? s.value * 1000 : s.value)));
                        break;
                    }
                    case MetricKind::histogram: {
                        const std::uint64_t count = s.count - last.count;
                        const double sum = s.sum - last.sum;
                        last.count = s.count;
                        last.sum = s.sum;
                        if (count == 0) break;
                        write(line(s, now, name, "Milliseconds",
                                   detail::json_number(sum * 1000 / static_cast<double>(count))));
                        write(line(s, now, name + "_count", "Count",
                                   json::Value(static_cast<std::int64_t>(count))));
                        break;
                    }
                }
            }
        }
    }
};

EmfExporter::EmfExporter(std::shared_ptr<Metrics> metrics, EmfOptions options)
    : state_(std::make_unique<State>()) {
    state_->metrics = std::move(metrics);
    state_->options = std::move(options);
    if (state_->options.interval.count() > 0)
        state_->periodic = std::make_unique<detail::Periodic>(state_->options.interval,
                                                              [s = state_.get()] { s->flush(); });
}

EmfExporter::~EmfExporter() {
    state_->periodic.reset();
    state_->flush();
}

void EmfExporter::flush() {
    state_->flush();
}

}  // namespace bloop
