#include "latency_proxy.hpp"

#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace bench {

LatencyProxy::LatencyProxy(const std::string& upstream, std::chrono::microseconds latency)
    : latency_(latency), server_([this](int fd) { handle(fd); }) {
    const std::string prefix = "http://";
    const auto colon = upstream.rfind(':');
    if (upstream.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size())
        throw std::invalid_argument("LatencyProxy: upstream must be http://HOST:PORT");
    upstream_host_ = upstream.substr(prefix.size(), colon - prefix.size());
    upstream_port_ = std::stoi(upstream.substr(colon + 1));
}

std::chrono::microseconds LatencyProxy::delay() {
    std::lock_guard lock(mutex_);
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    return std::chrono::microseconds(
        static_cast<std::int64_t>(static_cast<double>(latency_.count()) * jitter(rng_)));
}

// One connection: each request waits its way there, then its answer its way back.
void LatencyProxy::handle(int client) {
    int upstream = -1;
    bloop::test::RawRequest request;
    while (bloop::test::read_request(client, request)) {
        std::this_thread::sleep_for(delay());
        const std::string answer =
            bloop::test::forward(upstream, upstream_host_, upstream_port_, request);
        if (answer.empty()) break;
        std::this_thread::sleep_for(delay());
        if (!bloop::test::write_all(client, answer)) break;
    }
    if (upstream >= 0) ::close(upstream);
}

}  // namespace bench
