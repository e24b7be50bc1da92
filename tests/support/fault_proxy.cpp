#include "fault_proxy.hpp"

#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace bloop::test {

const char* fault_name(Fault f) {
    switch (f) {
        case Fault::none: return "none";
        case Fault::throttle: return "throttle";
        case Fault::unavailable: return "unavailable";
        case Fault::error_after: return "error_after";
        case Fault::reset: return "reset";
        case Fault::truncated: return "truncated";
        case Fault::held: return "held";
        case Fault::lost_response: return "lost_response";
        case Fault::stalled: return "stalled";
    }
    return "?";
}

namespace {

// "http://HOST:PORT" -> HOST (localhost as 127.0.0.1) and PORT.
std::pair<std::string, int> host_and_port(const std::string& upstream) {
    const std::string rest = upstream.substr(std::string("http://").size());
    const auto colon = rest.rfind(':');
    std::string host = rest.substr(0, colon);
    if (host == "localhost") host = "127.0.0.1";
    return {host, std::stoi(rest.substr(colon + 1))};
}

FaultProxyOptions with_default_faults(FaultProxyOptions options) {
    if (options.faults.empty()) {
        options.faults = {Fault::throttle,  Fault::unavailable, Fault::error_after,  Fault::reset,
                          Fault::truncated, Fault::held,        Fault::lost_response};
    }
    return options;
}

}  // namespace

// Everything the handler reads is set before server_ starts its threads.
FaultProxy::FaultProxy(const std::string& upstream, FaultProxyOptions options)
    : upstream_host_(host_and_port(upstream).first),
      upstream_port_(host_and_port(upstream).second),
      options_(with_default_faults(std::move(options))),
      rng_(options_.seed),
      server_([this](int fd) { handle(fd); }) {}

void FaultProxy::script(std::deque<Fault> faults) {
    std::lock_guard lock(mutex_);
    script_ = std::move(faults);
}

void FaultProxy::set_rate(double rate) {
    std::lock_guard lock(mutex_);
    options_.rate = rate;
}

void FaultProxy::set_faults(std::vector<Fault> faults, double rate) {
    std::lock_guard lock(mutex_);
    options_.faults = std::move(faults);
    options_.rate = rate;
}

std::map<Fault, int> FaultProxy::injected() const {
    std::lock_guard lock(mutex_);
    return injected_;
}

int FaultProxy::forwarded() const {
    std::lock_guard lock(mutex_);
    return forwarded_;
}

Fault FaultProxy::next_fault(const std::string& body) {
    std::lock_guard lock(mutex_);
    Fault f = Fault::none;
    if (!options_.matching.empty() && body.find(options_.matching) == std::string::npos) {
        // not a request this proxy disturbs
    } else if (!script_.empty()) {
        f = script_.front();
        script_.pop_front();
    } else if (std::uniform_real_distribution<double>(0, 1)(rng_) < options_.rate) {
        f = options_.faults[std::uniform_int_distribution<std::size_t>(
            0, options_.faults.size() - 1)(rng_)];
    }
    ++injected_[f];
    return f;
}

void FaultProxy::handle(int client) {
    int upstream = -1;
    struct Close {
        int& fd;
        ~Close() {
            if (fd >= 0) ::close(fd);
        }
    } close_upstream{upstream};
    RawRequest request;
    while (read_request(client, request)) {
        const Fault fault = next_fault(request.body);
        switch (fault) {
            case Fault::throttle:
                if (!write_all(client, error_response(400, "ThrottlingException", "Rate exceeded")))
                    return;
                continue;
            case Fault::unavailable:
                if (!write_all(client, error_response(503, "ServiceUnavailable", "Unavailable")))
                    return;
                continue;
            case Fault::reset: reset_on_close(client); return;
            case Fault::stalled: std::this_thread::sleep_for(options_.hold); return;
            default: break;
        }
        std::string answer = forward(upstream, upstream_host_, upstream_port_, request);
        {
            std::lock_guard lock(mutex_);
            ++forwarded_;
        }
        if (answer.empty()) return;  // the server failed: the client sees a closed connection
        switch (fault) {
            case Fault::error_after:
                if (!write_all(client, error_response(500, "InternalServerError", "Internal")))
                    return;
                continue;
            case Fault::truncated: {
                const auto body = answer.find("\r\n\r\n") + 4;
                write_all(client, answer.substr(0, body + (answer.size() - body) / 2));
                return;
            }
            case Fault::held: std::this_thread::sleep_for(options_.hold); return;
            case Fault::lost_response: return;
            default:
                if (!write_all(client, answer)) return;
        }
    }
}

}  // namespace bloop::test
