#include <bloop/telemetry/prometheus.hpp>

#include "util/utf8.hpp"

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <prometheus/metric_family.h>

#include <exception>
#include <limits>

namespace bloop {
namespace {

// A label value Prometheus' text format takes whatever the table or model is called: valid UTF-8
// (each invalid byte becomes U+FFFD; quotes, backslashes and newlines the serializer escapes).
std::string label_value(std::string_view value) {
    std::string out;
    while (!value.empty()) {
        const std::size_t bad = detail::first_invalid_utf8(value);
        if (bad == std::string_view::npos) {
            out += value;
            break;
        }
        out += value.substr(0, bad);
        out += "\xEF\xBF\xBD";
        value.remove_prefix(bad + 1);
    }
    return out;
}

prometheus::MetricType type_of(MetricKind kind) {
    switch (kind) {
        case MetricKind::counter: return prometheus::MetricType::Counter;
        case MetricKind::gauge: return prometheus::MetricType::Gauge;
        case MetricKind::histogram: return prometheus::MetricType::Histogram;
    }
    return prometheus::MetricType::Untyped;
}

// Hands a snapshot of the metrics to prometheus-cpp's serializer on every scrape.
class Collector final : public prometheus::Collectable {
  public:
    explicit Collector(std::shared_ptr<Metrics> metrics) : metrics_(std::move(metrics)) {}

    std::vector<prometheus::MetricFamily> Collect() const override {
        std::vector<prometheus::MetricFamily> out;
        for (const MetricFamily& f : metrics_->snapshot()) {
            if (f.samples.empty()) continue;
            prometheus::MetricFamily family{f.name, f.help, type_of(f.kind), {}};
            for (const MetricSample& s : f.samples) {
                prometheus::ClientMetric metric;
                for (const auto& [name, value] : s.labels)
                    metric.label.push_back({name, label_value(value)});
                switch (f.kind) {
                    case MetricKind::counter: metric.counter.value = s.value; break;
                    case MetricKind::gauge: metric.gauge.value = s.value; break;
                    case MetricKind::histogram:
                        metric.histogram.sample_count = s.count;
                        metric.histogram.sample_sum = s.sum;
                        for (std::size_t i = 0; i < f.bounds.size(); ++i)
                            metric.histogram.bucket.push_back({s.buckets[i], f.bounds[i]});
                        metric.histogram.bucket.push_back(
                            {s.count, std::numeric_limits<double>::infinity()});
                        break;
                }
                family.metric.push_back(std::move(metric));
            }
            out.push_back(std::move(family));
        }
        return out;
    }

  private:
    std::shared_ptr<Metrics> metrics_;
};

}  // namespace

struct PrometheusExporter::State {
    std::shared_ptr<Collector> collector;
    std::unique_ptr<prometheus::Exposer> exposer;
    std::string host;
    int port = 0;
};

PrometheusExporter::PrometheusExporter(std::shared_ptr<Metrics> metrics, const std::string& address,
                                       LogListener log)
    : state_(std::make_unique<State>()) {
    state_->collector = std::make_shared<Collector>(metrics);
    state_->host = address.substr(0, address.rfind(':'));
    try {
        state_->exposer = std::make_unique<prometheus::Exposer>(address, 2);
        state_->exposer->RegisterCollectable(state_->collector);
        const std::vector<int> ports = state_->exposer->GetListeningPorts();
        state_->port = ports.empty() ? 0 : ports.front();
    } catch (const std::exception& e) {
        state_->exposer.reset();
        metrics->dropped("prometheus", 1);
        if (log) {
            log(LogLevel::warning, "the Prometheus exporter cannot listen on " + address + " (" +
                                       e.what() + "); metrics are not served");
        }
    }
}

PrometheusExporter::~PrometheusExporter() = default;

bool PrometheusExporter::listening() const noexcept {
    return state_->exposer != nullptr;
}

int PrometheusExporter::port() const noexcept {
    return state_->port;
}

std::string PrometheusExporter::url() const {
    if (!listening()) return {};
    return "http://" + state_->host + ":" + std::to_string(state_->port) + "/metrics";
}

}  // namespace bloop
