#pragma once
// Loopback TCP helpers for tests that need a server the real one cannot imitate: a listener on
// 127.0.0.1 that hands each connection to a handler thread, and blocking HTTP/1.1 read/write.

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace bloop::test {

/// Listens on 127.0.0.1 (a free port); runs `handle(fd)` for each connection on its own thread.
/// The handler owns nothing: the server closes every connection when the handler returns or when
/// the server is destroyed (which also unblocks handlers waiting in recv).
class LoopbackServer {
  public:
    explicit LoopbackServer(std::function<void(int fd)> handle);
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    [[nodiscard]] int port() const noexcept { return port_; }
    /// "http://127.0.0.1:<port>"
    [[nodiscard]] std::string url() const;
    /// Connections accepted so far.
    [[nodiscard]] int connections() const noexcept { return accepted_.load(); }

  private:
    void serve(int fd);

    std::function<void(int)> handle_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<int> accepted_{0};
    std::mutex mutex_;
    std::set<int> open_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

/// One HTTP request as read from a socket.
struct RawRequest {
    std::string head;  ///< request line and headers, without the blank line
    std::string body;
};

/// Reads one request (Content-Length framed); false when the peer closed first.
bool read_request(int fd, RawRequest& out);
/// Writes all of `data`; false when the peer is gone.
bool write_all(int fd, std::string_view data);
/// Makes the close of `fd` (when the handler returns) a TCP reset instead of an orderly close.
void reset_on_close(int fd);
/// "HTTP/1.1 <status> X\r\nContent-Length: n\r\n...\r\n\r\n<body>", DynamoDB's error shape when
/// `code` is given.
std::string http_response(int status, const std::string& body,
                          const std::string& extra_headers = "");
std::string error_response(int status, const std::string& code, const std::string& message);

/// Sends `request` to host:port over `upstream` (a kept-alive connection, opened when -1, opened
/// again once when stale) and returns the whole answer, re-framed; empty on failure.
std::string forward(int& upstream, const std::string& host, int port, const RawRequest& request);

}  // namespace bloop::test
