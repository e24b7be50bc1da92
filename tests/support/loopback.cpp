#include "loopback.hpp"

#include "client/transports/response_parser.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <strings.h>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace bloop::test {

LoopbackServer::LoopbackServer(std::function<void(int)> handle) : handle_(std::move(handle)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        throw std::runtime_error("LoopbackServer: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
        while (true) {
            const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                return;
            }
            ++accepted_;
            std::lock_guard lock(mutex_);
            open_.insert(fd);
            threads_.emplace_back([this, fd] { serve(fd); });
        }
    });
}

void LoopbackServer::serve(int fd) {
    try {
        handle_(fd);
    } catch (...) {
        // A test handler's failure shows in the test's own assertions.
    }
    std::lock_guard lock(mutex_);
    if (open_.erase(fd) > 0) ::close(fd);
}

LoopbackServer::~LoopbackServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        for (const int fd : open_) ::shutdown(fd, SHUT_RDWR);
        threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
}

std::string LoopbackServer::url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
}

bool read_request(int fd, RawRequest& out) {
    std::string data;
    char chunk[8192];
    std::size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        data.append(chunk, static_cast<std::size_t>(n));
    }
    out.head = data.substr(0, head_end);
    std::size_t length = 0;
    std::size_t pos = 0;
    while ((pos = out.head.find("\r\n", pos)) != std::string::npos) {
        pos += 2;
        if (strncasecmp(out.head.c_str() + pos, "Content-Length:", 15) == 0)
            length = std::strtoul(out.head.c_str() + pos + 15, nullptr, 10);
    }
    out.body = data.substr(head_end + 4);
    while (out.body.size() < length) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        out.body.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void reset_on_close(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

std::string http_response(int status, const std::string& body, const std::string& extra_headers) {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

std::string error_response(int status, const std::string& code, const std::string& message) {
    return http_response(status, R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + code +
                                     R"(","message":")" + message + R"("})");
}

namespace {

int connect_to(const std::string& host, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

std::string forward(int& upstream, const std::string& host, int port, const RawRequest& r) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (upstream < 0) upstream = connect_to(host, port);
        if (upstream < 0) return {};
        if (write_all(upstream, r.head + "\r\n\r\n" + r.body)) {
            detail::ResponseParser parser("upstream");
            char chunk[16384];
            try {
                while (true) {
                    const ssize_t n = ::recv(upstream, chunk, sizeof chunk, 0);
                    if (n <= 0) {
                        parser.end_of_stream();
                        break;
                    }
                    if (parser.feed(std::string_view(chunk, static_cast<std::size_t>(n)))) break;
                }
                const bool keep = parser.keep_alive();
                HttpResponse response = parser.take();
                if (!keep) {
                    ::close(upstream);
                    upstream = -1;
                }
                std::string headers;
                for (const auto& [name, value] : response.headers) {
                    if (name == "Content-Length" || name == "Transfer-Encoding" ||
                        name == "Content-Type" || name == "Connection")
                        continue;
                    headers += name + ": " + value + "\r\n";
                }
                return http_response(response.status, response.body, headers);
            } catch (const std::exception&) {
                if (parser.started()) return {};
            }
        }
        ::close(upstream);  // a stale keep-alive connection: try a fresh one once
        upstream = -1;
    }
    return {};
}

}  // namespace bloop::test
