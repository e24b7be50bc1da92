#pragma once
// A loopback HTTP proxy in front of DynamoDB Local that delays every request and every answer, as
// a network to a DynamoDB region does: `latency` each way, jittered uniformly by ±20%.

#include "loopback.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace bench {

class LatencyProxy {
  public:
    /// Forwards to `upstream` ("http://127.0.0.1:PORT").
    LatencyProxy(const std::string& upstream, std::chrono::microseconds latency);

    /// The proxy's URL, to use as the client's endpoint.
    [[nodiscard]] std::string url() const { return server_.url(); }

  private:
    void handle(int client);
    std::chrono::microseconds delay();

    std::string upstream_host_;
    int upstream_port_ = 0;
    std::chrono::microseconds latency_;
    std::mutex mutex_;
    std::mt19937_64 rng_{1};
    bloop::test::LoopbackServer server_;  // last: its threads use the members above
};

}  // namespace bench
