#include "floor_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace bench {

std::string wire_text(const bloop::HttpRequest& r) {
    std::string out =
        r.method + " " + r.path + (r.query.empty() ? "" : "?" + r.query) + " HTTP/1.1\r\n";
    for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
    return out;
}

FloorClient::FloorClient(const std::string& endpoint) {
    const auto colon = endpoint.rfind(':');
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(endpoint.substr(colon + 1))));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("floor: cannot connect to " + endpoint);
}

FloorClient::~FloorClient() {
    ::close(fd_);
}

int FloorClient::exchange(const std::string& wire) {
    for (std::size_t sent = 0; sent < wire.size();) {
        const ssize_t n = ::send(fd_, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("floor: send failed");
        sent += static_cast<std::size_t>(n);
    }
    in_.clear();
    std::size_t head_end = std::string::npos, length = 0;
    char chunk[16384];
    while (head_end == std::string::npos || in_.size() < head_end + length) {
        const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) throw std::runtime_error("floor: the server closed the connection");
        in_.append(chunk, static_cast<std::size_t>(n));
        if (head_end != std::string::npos) continue;
        const auto blank = in_.find("\r\n\r\n");
        if (blank == std::string::npos) continue;
        head_end = blank + 4;
        std::string head = in_.substr(0, blank);
        for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto field = head.find("\r\ncontent-length:");
        if (field == std::string::npos) throw std::runtime_error("floor: no Content-Length");
        length = std::strtoul(head.c_str() + field + 17, nullptr, 10);
    }
    return std::atoi(in_.c_str() + 9);  // "HTTP/1.1 200 OK"
}

}  // namespace bench
