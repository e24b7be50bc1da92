#pragma once
// The OTLP receiver of tests/checkers/otlp_receiver.mjs (the OpenTelemetry project's generated
// OTLP types decode every request), started with node on loopback, and what it received.

#include <bloop/json/json.hpp>

#include <sys/types.h>
#include <string>

namespace bloop::test {

class OtlpReceiver {
  public:
    /// Starts the receiver; throws when node or the checkers (scripts/checkers install) are
    /// missing.
    OtlpReceiver();
    ~OtlpReceiver();
    OtlpReceiver(const OtlpReceiver&) = delete;
    OtlpReceiver& operator=(const OtlpReceiver&) = delete;

    /// "http://127.0.0.1:<port>".
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    /// {"traces": [<request>...], "metrics": [...], "faults": ["..."]}.
    [[nodiscard]] json::Value received() const;

  private:
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace bloop::test
