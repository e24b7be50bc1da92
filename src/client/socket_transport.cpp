// A minimal HTTP/1.1 transport for plain-http endpoints (DynamoDB Local, proxies): keep-alive
// sockets, Content-Length and chunked bodies, connect and request deadlines. https goes to curl.

#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>
#include <strings.h>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
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
    std::string key;  // host:port
};

// The stale-connection case: a reused keep-alive socket the server closed meanwhile.
struct Stale {};

class SocketTransport final : public Transport {
  public:
    explicit SocketTransport(std::size_t max_connections) : max_(max_connections) {}
    SocketTransport(const SocketTransport&) = delete;
    SocketTransport& operator=(const SocketTransport&) = delete;
    ~SocketTransport() override {
        for (const auto& c : idle_) ::close(c.fd);
    }

    HttpResponse send(const HttpRequest& request, const Timeouts& timeouts) override {
        const Target target = parse_url(request.url);
        const std::string key = target.host + ":" + target.port;
        Slot slot(*this);
        const auto deadline = Clock::now() + timeouts.request;
        std::string wire = request_text(request, target);
        for (int attempt = 0;; ++attempt) {
            Connection c = take_idle(key);
            const bool reused = c.fd >= 0;
            if (!reused)
                c = open(target, key, request.url,
                         std::min(deadline, Clock::now() + timeouts.connect));
            try {
                bool keep = false;
                HttpResponse response = exchange(c.fd, wire, deadline, request.url, reused, keep);
                if (keep) {
                    give_back(c);
                } else {
                    ::close(c.fd);
                }
                return response;
            } catch (const Stale&) {
                ::close(c.fd);
                if (attempt > 0)
                    throw ConnectionReset("HTTP request to " + request.url +
                                          " failed: connection closed");
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

    static std::string request_text(const HttpRequest& r, const Target& target) {
        std::string out;
        out.reserve(256 + r.body.size());
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
        if (r.method != "GET" || !r.body.empty())
            out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
        out += "\r\n";
        out += r.body;
        return out;
    }

    Connection take_idle(const std::string& key) {
        std::lock_guard lock(mutex_);
        for (auto it = idle_.begin(); it != idle_.end(); ++it) {
            if (it->key == key) {
                Connection c = *it;
                idle_.erase(it);
                return c;
            }
        }
        return {};
    }

    void give_back(const Connection& c) {
        std::lock_guard lock(mutex_);
        if (idle_.size() >= max_) {
            ::close(idle_.front().fd);
            idle_.erase(idle_.begin());
        }
        idle_.push_back(c);
    }

    static Connection open(const Target& t, const std::string& key, const std::string& url,
                           Clock::time_point deadline) {
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
                return {fd, key};
            }
            last_error = std::strerror(errno);
            ::close(fd);
        }
        ::freeaddrinfo(found);
        if (timed_out)
            throw RequestTimeout("HTTP request to " + url + " failed: connect timed out");
        throw ConnectionRefused("HTTP request to " + url + " failed: " + last_error);
    }

    static void write_all(int fd, const std::string& data, Clock::time_point deadline,
                          const std::string& url, bool reused) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!wait_for(fd, POLLOUT, deadline))
                    throw RequestTimeout("HTTP request to " + url + " timed out");
                continue;
            }
            if (reused && sent == 0) throw Stale{};
            throw ConnectionReset("HTTP request to " + url + " failed: " + std::strerror(errno));
        }
    }

    // Reads more bytes into `buffer`; false at end of stream.
    static bool read_some(int fd, std::string& buffer, Clock::time_point deadline,
                          const std::string& url) {
        char chunk[16384];
        while (true) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                buffer.append(chunk, static_cast<std::size_t>(n));
                return true;
            }
            if (n == 0) return false;
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!wait_for(fd, POLLIN, deadline))
                    throw RequestTimeout("HTTP request to " + url + " timed out");
                continue;
            }
            if (errno == ECONNRESET) return false;
            throw ConnectionReset("HTTP request to " + url + " failed: " + std::strerror(errno));
        }
    }

    static HttpResponse exchange(int fd, const std::string& wire, Clock::time_point deadline,
                                 const std::string& url, bool reused, bool& keep_alive) {
        write_all(fd, wire, deadline, url, reused);
        std::string buffer;
        std::size_t header_end = std::string::npos;
        while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
            if (!read_some(fd, buffer, deadline, url)) {
                if (reused && buffer.empty()) throw Stale{};
                throw ConnectionReset("HTTP request to " + url +
                                      " failed: the connection closed before a response");
            }
        }
        HttpResponse response;
        const std::string_view head(buffer.data(), header_end);
        const auto line_end = head.find("\r\n");
        const std::string_view status_line = head.substr(0, line_end);
        if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12) {
            throw ProtocolError("HTTP request to " + url + " got a malformed status line");
        }
        response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
        bool chunked = false;
        long long length = -1;
        keep_alive = status_line.substr(0, 8) == "HTTP/1.1";
        std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
        while (pos < head.size()) {
            const auto end = std::min(head.find("\r\n", pos), head.size());
            const std::string_view line = head.substr(pos, end - pos);
            pos = end + 2;
            const auto colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
            const std::string name(line.substr(0, colon));
            if (strcasecmp(name.c_str(), "Content-Length") == 0)
                length = std::atoll(std::string(value).c_str());
            if (strcasecmp(name.c_str(), "Transfer-Encoding") == 0 &&
                value.find("chunked") != std::string_view::npos) {
                chunked = true;
            }
            if (strcasecmp(name.c_str(), "Connection") == 0)
                keep_alive = strncasecmp(value.data(), "close", 5) != 0;
            response.headers.emplace_back(name, std::string(value));
        }
        std::string rest = buffer.substr(header_end + 4);
        if (chunked) {
            response.body = read_chunked(fd, rest, deadline, url);
            keep_alive = false;  // trailers may follow: never reuse what is not fully read
        } else if (length >= 0) {
            while (rest.size() < static_cast<std::size_t>(length)) {
                if (!read_some(fd, rest, deadline, url)) {
                    throw ConnectionReset("HTTP request to " + url +
                                          " failed: the response body was cut short");
                }
            }
            if (rest.size() > static_cast<std::size_t>(length)) keep_alive = false;  // stray bytes
            rest.resize(static_cast<std::size_t>(length));
            response.body = std::move(rest);
        } else {
            while (read_some(fd, rest, deadline, url)) {
            }
            response.body = std::move(rest);
            keep_alive = false;
        }
        return response;
    }

    static std::string read_chunked(int fd, std::string& data, Clock::time_point deadline,
                                    const std::string& url) {
        std::string body;
        std::size_t pos = 0;
        const auto need = [&](std::size_t bytes) {
            while (data.size() < pos + bytes) {
                if (!read_some(fd, data, deadline, url)) {
                    throw ConnectionReset("HTTP request to " + url +
                                          " failed: the chunked body was cut short");
                }
            }
        };
        while (true) {
            std::size_t line_end;
            while ((line_end = data.find("\r\n", pos)) == std::string::npos)
                need(data.size() - pos + 1);
            const std::size_t size =
                std::strtoul(data.substr(pos, line_end - pos).c_str(), nullptr, 16);
            pos = line_end + 2;
            if (size == 0) return body;
            need(size + 2);
            body.append(data, pos, size);
            pos += size + 2;
        }
    }

    std::mutex mutex_;
    std::condition_variable free_;
    std::vector<Connection> idle_;
    std::size_t in_flight_ = 0;
    std::size_t max_;
};

}  // namespace

std::shared_ptr<Transport> make_socket_transport(std::size_t max_connections) {
    if (max_connections == 0)
        throw InvalidConfiguration("a transport needs at least one connection");
    return std::make_shared<SocketTransport>(max_connections);
}

}  // namespace bloop
