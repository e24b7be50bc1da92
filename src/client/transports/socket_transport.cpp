// A minimal HTTP/1.1 transport for plain-http endpoints (DynamoDB Local): keep-alive sockets, a
// strict bounded response parser, one deadline for the whole exchange. https goes to curl.

#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>

#include "client/transports/response_parser.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <fcntl.h>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

namespace bloop {
namespace {

using Clock = std::chrono::steady_clock;

struct Target {
    std::string host;
    std::string port;
    std::string path;  // with the query, as sent
};

Target parse_url(const std::string& url) {
    const std::string_view prefix = "http://";
    if (url.compare(0, prefix.size(), prefix) != 0)
        throw TransportError("the socket transport only speaks http: " + url);
    const auto rest = url.substr(prefix.size());
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    Target t;
    t.path = slash == std::string::npos ? "/" : rest.substr(slash);
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        t.host = authority.substr(1, close - 1);
        t.port = close + 2 <= authority.size() ? authority.substr(close + 2) : "";
    } else {
        const auto colon = authority.rfind(':');
        t.host = authority.substr(0, colon);
        t.port = colon == std::string::npos ? "" : authority.substr(colon + 1);
    }
    if (t.port.empty()) t.port = "80";
    return t;
}

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on `fd` until `deadline`; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    pollfd p{fd, events, 0};
    while (true) {
        const int n = ::poll(&p, 1, remaining_ms(deadline));
        if (n > 0) return true;
        if (n == 0) return false;
        if (errno != EINTR) return false;
    }
}

struct Connection {
    int fd = -1;
    std::string key;                 // host:port
    Clock::time_point idle_since{};  // when it went back to the pool
    // The socket's receive timeout (SO_RCVTIMEO), set when it opened: the request timeout then.
    std::chrono::milliseconds receive_timeout{0};
};

// The socket is blocking (so one recv can wait for an answer, bounded by SO_RCVTIMEO); every other
// call passes MSG_DONTWAIT and waits in poll.
constexpr int kNoWait = MSG_DONTWAIT | MSG_NOSIGNAL;

// Connections idle longer than this are closed rather than reused: servers close idle
// connections (AWS after about a minute), and a request sent on one they are closing is lost.
constexpr auto kMaxIdle = std::chrono::seconds(20);

// Whether an idle keep-alive socket is still usable: nothing to read (a readable idle socket was
// closed by the server or holds stray bytes) and no error.
bool still_open(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
}

class SocketTransport final : public Transport {
  public:
    SocketTransport(std::size_t max_connections, const ResponseLimits& limits)
        : max_(max_connections), limits_(limits) {}
    SocketTransport(const SocketTransport&) = delete;
    SocketTransport& operator=(const SocketTransport&) = delete;
    ~SocketTransport() override {
        for (const auto& c : idle_) ::close(c.fd);
    }

    HttpResponse send(const HttpRequest& request, const Timeouts& timeouts) override {
        // A client sends to one or two URLs: each thread keeps the last one it parsed.
        thread_local std::string last_url;
        thread_local Target target;
        thread_local std::string key;
        if (request.url != last_url) {
            target = parse_url(request.url);
            key = target.host + ":" + target.port;
            last_url = request.url;
        }
        Slot slot(*this);
        const auto deadline = Clock::now() + timeouts.request;
        // The head is written into this thread's buffer (its room kept from one request to the
        // next); the body goes out from where it is, beside it in one sendmsg.
        thread_local std::string head;
        write_head(head, request, target);
        // A reused connection that fails before a single byte of the request left is the only
        // case sent again: the server cannot have seen anything of it.
        while (true) {
            Connection c = take_idle(key);
            const bool reused = c.fd >= 0;
            if (!reused)
                c = open(target, key, request.url,
                         std::min(deadline, Clock::now() + timeouts.connect), timeouts.request);
            try {
                if (!write_all(c.fd, head, request.body, deadline, request.url)) {
                    ::close(c.fd);
                    if (reused) continue;
                    throw ConnectionReset("HTTP request to " + request.url +
                                          " failed: the connection closed before the request");
                }
                detail::ResponseParser parser(request.url, limits_);
                // One blocking recv waits for the answer when the socket's receive timeout ends
                // with the deadline (to the millisecond): one system call where poll and recv
                // were two. Otherwise (another request timeout, a slow send) poll waits.
                const bool wait_in_recv =
                    c.receive_timeout.count() > 0 && c.receive_timeout == timeouts.request &&
                    Clock::now() + c.receive_timeout <= deadline + std::chrono::milliseconds(1);
                read_response(c.fd, parser, deadline, request.url, wait_in_recv);
                if (parser.keep_alive()) {
                    give_back(c);
                } else {
                    ::close(c.fd);
                }
                return parser.take();
            } catch (...) {
                ::close(c.fd);
                throw;
            }
        }
    }

  private:
    // Bounds the requests in flight, as the curl transport does.
    struct Slot {
        explicit Slot(SocketTransport& t) : transport(t) {
            std::unique_lock lock(t.mutex_);
            t.free_.wait(lock, [&] { return t.in_flight_ < t.max_; });
            ++t.in_flight_;
        }
        ~Slot() {
            {
                std::lock_guard lock(transport.mutex_);
                --transport.in_flight_;
            }
            transport.free_.notify_one();
        }
        SocketTransport& transport;
    };

    // The request line, the headers and the blank line before the body.
    static void write_head(std::string& out, const HttpRequest& r, const Target& target) {
        out.clear();
        out += r.method;
        out.push_back(' ');
        out += target.path;
        out += " HTTP/1.1\r\n";
        for (const auto& [name, value] : r.headers) {
            out += name;
            out += ": ";
            out += value;
            out += "\r\n";
        }
        if (r.method != "GET" || !r.body.empty()) {
            out += "Content-Length: ";
            out += std::to_string(r.body.size());
            out += "\r\n";
        }
        out += "\r\n";
    }

    // The most recently idled connection to `key` that is still open and not too old; those found
    // closed or too old on the way are closed.
    Connection take_idle(const std::string& key) {
        const auto now = Clock::now();
        while (true) {
            Connection found;
            {
                std::lock_guard lock(mutex_);
                for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
                    if (it->key != key) continue;
                    found = *it;
                    idle_.erase(std::next(it).base());
                    break;
                }
            }
            if (found.fd < 0) return found;
            if (now - found.idle_since <= kMaxIdle && still_open(found.fd)) return found;
            ::close(found.fd);
        }
    }

    // Returns `c` to the pool, closing the connections that have idled too long.
    void give_back(Connection c) {
        c.idle_since = Clock::now();
        std::vector<int> stale;
        {
            std::lock_guard lock(mutex_);
            std::erase_if(idle_, [&](const Connection& idle) {
                const bool old = c.idle_since - idle.idle_since > kMaxIdle;
                if (old) stale.push_back(idle.fd);
                return old;
            });
            if (idle_.size() >= max_) {
                stale.push_back(idle_.front().fd);
                idle_.erase(idle_.begin());
            }
            idle_.push_back(c);
        }
        for (const int fd : stale) ::close(fd);
    }

    static Connection open(const Target& t, const std::string& key, const std::string& url,
                           Clock::time_point deadline, std::chrono::milliseconds receive_timeout) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        if (::getaddrinfo(t.host.c_str(), t.port.c_str(), &hints, &found) != 0 ||
            found == nullptr) {
            throw ConnectionRefused("HTTP request to " + url + " failed: could not resolve host " +
                                    t.host);
        }
        std::string last_error = "no address";
        bool timed_out = false;
        for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
            const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
            if (fd < 0) continue;
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
            if (rc != 0 && errno == EINPROGRESS) {
                if (!wait_for(fd, POLLOUT, deadline)) {
                    timed_out = true;
                    ::close(fd);
                    continue;
                }
                int error = 0;
                socklen_t len = sizeof error;
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
                rc = error == 0 ? 0 : -1;
                errno = error;
            }
            if (rc == 0) {
                ::freeaddrinfo(found);
                ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
                const auto ms = receive_timeout.count();
                timeval tv{static_cast<time_t>(ms / 1000),
                           static_cast<suseconds_t>(ms % 1000 * 1000)};
                const bool set =
                    ms > 0 && ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0;
                return {fd, key, {}, set ? receive_timeout : std::chrono::milliseconds(0)};
            }
            last_error = std::strerror(errno);
            ::close(fd);
        }
        ::freeaddrinfo(found);
        if (timed_out)
            throw ConnectTimeout("HTTP request to " + url + " failed: connect timed out");
        throw ConnectionRefused("HTTP request to " + url + " failed: " + last_error);
    }

    [[noreturn]] static void timed_out(const std::string& url) {
        throw RequestTimeout("HTTP request to " + url + " timed out");
    }

    // Sends `head` then `body` (one sendmsg when the socket takes them whole); false when the
    // connection failed before any byte of them was sent.
    static bool write_all(int fd, std::string_view head, std::string_view body,
                          Clock::time_point deadline, const std::string& url) {
        const std::size_t total = head.size() + body.size();
        std::size_t sent = 0;
        while (sent < total) {
            if (Clock::now() >= deadline) timed_out(url);
            iovec parts[2];
            std::size_t count = 0;
            if (sent < head.size()) {
                parts[count++] = {const_cast<char*>(head.data() + sent), head.size() - sent};
            }
            const std::size_t body_sent = sent > head.size() ? sent - head.size() : 0;
            if (body_sent < body.size()) {
                parts[count++] = {const_cast<char*>(body.data() + body_sent),
                                  body.size() - body_sent};
            }
            msghdr message{};
            message.msg_iov = parts;
            message.msg_iovlen = count;
            const ssize_t n = ::sendmsg(fd, &message, kNoWait);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!wait_for(fd, POLLOUT, deadline)) timed_out(url);
                continue;
            }
            if (sent == 0) return false;
            throw ConnectionReset("HTTP request to " + url + " failed: " + std::strerror(errno));
        }
        return true;
    }

    // Reads until `parser` has a whole response, the peer closes, or the deadline passes. The
    // answer takes the server a while: the first read waits for it (in recv when `wait_in_recv`,
    // else in poll) rather than coming back empty.
    static void read_response(int fd, detail::ResponseParser& parser, Clock::time_point deadline,
                              const std::string& url, bool wait_in_recv) {
        char chunk[16384];
        if (!wait_in_recv && !wait_for(fd, POLLIN, deadline)) timed_out(url);
        int flags = wait_in_recv ? MSG_NOSIGNAL : kNoWait;
        while (true) {
            if (Clock::now() >= deadline) timed_out(url);
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, flags);
            flags = kNoWait;
            if (n > 0) {
                if (parser.feed(std::string_view(chunk, static_cast<std::size_t>(n)))) return;
                continue;
            }
            if (n == 0 || errno == ECONNRESET) {
                parser.end_of_stream();
                return;
            }
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!wait_for(fd, POLLIN, deadline)) timed_out(url);
                continue;
            }
            throw ConnectionReset("HTTP request to " + url + " failed: " + std::strerror(errno));
        }
    }

    std::mutex mutex_;
    std::condition_variable free_;
    std::vector<Connection> idle_;
    std::size_t in_flight_ = 0;
    std::size_t max_;
    ResponseLimits limits_;
};

}  // namespace

std::shared_ptr<Transport> make_socket_transport(std::size_t max_connections,
                                                 const ResponseLimits& limits) {
    if (max_connections == 0)
        throw InvalidConfiguration("a transport needs at least one connection");
    return std::make_shared<SocketTransport>(max_connections, limits);
}

}  // namespace bloop
