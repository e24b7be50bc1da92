#pragma once
// A server that answers a client's requests with DynamoDB's own answers, recorded beforehand: the
// benchmark runs a workload once against DynamoDB Local, keeps each request's answer by the
// request (its X-Amz-Target and body), and replays them from a server that does nothing else —
// one thread, non-blocking sockets under epoll, answers held for a network's latency on a timer
// heap — so a concurrent client is measured where it, not DynamoDB Local's JVM, is the bound.

#include <bloop/client/http.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bench {

/// The key a request is answered by: its X-Amz-Target, a newline, its body.
std::string request_key(const bloop::HttpRequest& r);

/// Recorded answers by request key: each key's answers in the order they were recorded.
class CannedAnswers {
  public:
    /// Records `response` as an answer to `key` (thread-safe only under the caller's lock).
    void add(std::string key, const bloop::HttpResponse& response);
    /// The next answer to `key` as HTTP bytes — its recorded answers in turn, then the last one
    /// again (a poll answered as it last was) — or null when nothing was recorded for it.
    const std::string* next(const std::string& key);
    [[nodiscard]] std::size_t size() const { return by_key_.size(); }

    /// Writes the answers to `path` / reads them back (for the server's own process).
    void save(const std::string& path) const;
    static CannedAnswers load(const std::string& path);

  private:
    struct Answers {
        std::vector<std::string> wires;
        std::size_t next = 0;
    };
    std::unordered_map<std::string, Answers> by_key_;
};

/// How long the server holds each answer.
struct Delay {
    /// Twice this, each way jittered by ±20% (a network to a DynamoDB region).
    std::chrono::microseconds each_way{0};
    /// When `slow` is set: `fast` or `slow` at random, whatever the load (a spread, not queueing).
    std::chrono::microseconds fast{0};
    std::chrono::microseconds slow{0};
    /// The mean round trip it adds.
    [[nodiscard]] std::chrono::microseconds mean() const {
        return slow.count() > 0 ? (fast + slow) / 2 : 2 * each_way;
    }
};

/// What a canned server did, written to its stderr when it stops.
struct CannedStats {
    std::size_t requests = 0;
    std::size_t misses = 0;  // requests with no recorded answer (answered 400)
};

/// Serves `answers` on `listen_fd` (a listening loopback socket) until SIGTERM or SIGINT.
CannedStats serve_canned(int listen_fd, CannedAnswers answers, Delay delay);

/// The server's own process (so its CPU is not the client's): `self --serve-canned FILE EACH FAST
/// SLOW` (the delay's microseconds),
/// which main() hands to canned_server_main. Stopped (SIGTERM) and waited for when destroyed.
class CannedServerProcess {
  public:
    CannedServerProcess(const std::string& self, const CannedAnswers& answers, Delay delay);
    ~CannedServerProcess();
    CannedServerProcess(const CannedServerProcess&) = delete;
    CannedServerProcess& operator=(const CannedServerProcess&) = delete;
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] long pid() const { return pid_; }

  private:
    std::string file_;
    long pid_ = -1;
    int port_ = 0;
};

/// The server process's main: serves the answers in `file` on a loopback port it prints first
/// (one line), until SIGTERM; then prints its counts to stderr.
int canned_server_main(const std::string& file, Delay delay);

}  // namespace bench
