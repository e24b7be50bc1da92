#pragma once
/// \file
/// CloudWatch Embedded Metric Format: a `bloop::Metrics` written as EMF JSON lines (to stdout by
/// default), which CloudWatch Logs turns into metrics on Lambda, ECS and anywhere its agent reads
/// the log — no agent of ours and no dependency.

#include <bloop/client/log.hpp>
#include <bloop/telemetry/metrics.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace bloop {

/// How an EmfExporter writes.
struct EmfOptions {
    std::string name_space = "bloop";  ///< the CloudWatch namespace of every metric
    /// Receives each line (one JSON document, no newline); empty: stdout, a line each.
    std::function<void(std::string_view line)> sink{};
    /// How often the exporter's thread writes what changed; zero: only `flush()` writes.
    std::chrono::milliseconds interval{60000};
    LogListener log{};  ///< where a failing sink is said (once)
};

/// Writes the metrics as EMF lines: one line per series that changed since the last write —
/// counters as their increase over the interval (Count), gauges as they stand, histograms as the
/// interval's mean (Milliseconds) and count. Labels become dimensions (an empty value: "none").
class EmfExporter {
  public:
    /// Starts writing every `options.interval` (when not zero).
    explicit EmfExporter(std::shared_ptr<Metrics> metrics, EmfOptions options = {});
    /// Stops the thread and writes what changed since the last write.
    ~EmfExporter();
    EmfExporter(const EmfExporter&) = delete;
    EmfExporter& operator=(const EmfExporter&) = delete;

    /// Writes what changed since the last write, now.
    void flush();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace bloop
