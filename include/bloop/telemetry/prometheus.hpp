#pragma once
/// \file
/// Prometheus' pull exporter: serves a `bloop::Metrics` at `http://<address>/metrics` in the text
/// exposition format for a Prometheus server to scrape. Part of the optional `bloop::prometheus`
/// library, built when prometheus-cpp is installed (Debian: `prometheus-cpp-dev`).

#include <bloop/client/log.hpp>
#include <bloop/telemetry/metrics.hpp>

#include <memory>
#include <string>

namespace bloop {

/// Serves `metrics` over HTTP while it lives (on two threads of its own).
class PrometheusExporter {
  public:
    /// Listens on `address`, "host:port" ("127.0.0.1:9464"; port 0: any free one). An address
    /// that cannot be bound (a port in use) fails nothing else: it is said once through `log` (at
    /// warning), counted in `bloop_telemetry_dropped_total{exporter="prometheus"}`, and
    /// `listening()` is false.
    PrometheusExporter(std::shared_ptr<Metrics> metrics, const std::string& address,
                       LogListener log = {});
    ~PrometheusExporter();
    PrometheusExporter(const PrometheusExporter&) = delete;
    PrometheusExporter& operator=(const PrometheusExporter&) = delete;

    /// Whether it is serving.
    [[nodiscard]] bool listening() const noexcept;
    /// The port it listens on; 0 when not listening.
    [[nodiscard]] int port() const noexcept;
    /// "http://127.0.0.1:9464/metrics"; empty when not listening.
    [[nodiscard]] std::string url() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace bloop
