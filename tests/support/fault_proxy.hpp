#pragma once
// A loopback HTTP proxy in front of DynamoDB Local that injects faults into a seeded share of the
// requests: the failures a real network and service produce and DynamoDB Local never does.

#include "loopback.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace bloop::test {

/// What the proxy does to one request.
enum class Fault {
    none,         ///< forwarded, answered
    throttle,     ///< answered 400 ThrottlingException, not forwarded
    unavailable,  ///< answered 503 ServiceUnavailable, not forwarded
    error_after,  ///< forwarded (applied), answered 500 InternalServerError
    reset,        ///< connection reset before forwarding
    truncated,    ///< forwarded (applied), the answer cut in the middle of its body
    held,         ///< forwarded (applied), the answer held past the client's timeout, then dropped
    lost_response,  ///< forwarded (applied), the connection closed without an answer
    stalled,  ///< not forwarded, no answer: the connection held for `hold`, then closed
};

/// The name of `f` ("lost_response").
const char* fault_name(Fault f);

struct FaultProxyOptions {
    double rate = 0.1;                     ///< share of requests that get a fault
    std::uint64_t seed = 1;                ///< the random sequence
    std::vector<Fault> faults;             ///< drawn from uniformly; empty: every fault but none
    std::chrono::milliseconds hold{1500};  ///< how long `held` holds (longer than the timeout)
    /// Only requests whose body contains this text get faults (e.g. a table's name); empty: all.
    std::string matching{};
};

/// Listens on loopback and forwards to `upstream` ("http://127.0.0.1:PORT").
class FaultProxy {
  public:
    FaultProxy(const std::string& upstream, FaultProxyOptions options);

    /// The proxy's URL, to use as the client's endpoint.
    [[nodiscard]] std::string url() const { return server_.url(); }
    /// The next requests get these faults, in order, before random ones resume.
    void script(std::deque<Fault> faults);
    /// Stops injecting (every later request is forwarded and answered) or starts again.
    void set_rate(double rate);
    /// Injects these faults from now on, at `rate`.
    void set_faults(std::vector<Fault> faults, double rate);
    /// How many requests got each fault (`none` included).
    [[nodiscard]] std::map<Fault, int> injected() const;
    /// Requests forwarded to the server (applied or not).
    [[nodiscard]] int forwarded() const;

  private:
    Fault next_fault(const std::string& body);
    void handle(int client);

    std::string upstream_host_;
    int upstream_port_;
    FaultProxyOptions options_;
    mutable std::mutex mutex_;
    std::mt19937_64 rng_;
    std::deque<Fault> script_;
    std::map<Fault, int> injected_;
    int forwarded_ = 0;
    LoopbackServer server_;  // last: its threads use the members above
};

}  // namespace bloop::test
