#include "canned_server.hpp"

#include "loopback.hpp"
#include "util/ascii.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <queue>
#include <random>
#include <stdexcept>
#include <tuple>

namespace bench {

namespace {

std::atomic<bool> stopping{false};
extern "C" void on_stop(int) {
    stopping.store(true);
}

// One client connection: bytes read and not yet parsed, bytes to write.
struct Connection {
    std::uint64_t id = 0;  // a closed connection's descriptor may be reused by the next one
    std::string in;
    std::string out;
    std::size_t written = 0;
    bool want_out = false;
};

// Finds header `name` in `head` (request line and headers); empty when absent.
std::string_view header(std::string_view head, std::string_view name) {
    std::size_t at = head.find("\r\n");
    while (at != std::string_view::npos && at + 2 < head.size()) {
        const std::size_t start = at + 2;
        const std::size_t end = std::min(head.find("\r\n", start), head.size());
        const std::string_view line = head.substr(start, end - start);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos &&
            bloop::detail::ascii_iequals(line.substr(0, colon), name)) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            return value;
        }
        at = end < head.size() ? end : std::string_view::npos;
    }
    return {};
}

}  // namespace

std::string request_key(const bloop::HttpRequest& r) {
    std::string key(bloop::find_header(r.headers, "X-Amz-Target"));
    key += '\n';
    key += r.body;
    return key;
}

void CannedAnswers::add(std::string key, const bloop::HttpResponse& response) {
    std::string id(bloop::find_header(response.headers, "x-amzn-RequestId"));
    if (id.empty()) id = "canned";
    by_key_[std::move(key)].wires.push_back(bloop::test::http_response(
        response.status, response.body, "x-amzn-RequestId: " + id + "\r\n"));
}

const std::string* CannedAnswers::next(const std::string& key) {
    const auto found = by_key_.find(key);
    if (found == by_key_.end()) return nullptr;
    Answers& a = found->second;
    const std::string& wire = a.wires[std::min(a.next, a.wires.size() - 1)];
    ++a.next;
    return &wire;
}

void CannedAnswers::save(const std::string& path) const {
    std::ofstream out(path, std::ios::binary);
    const auto text = [&](const std::string& s) { out << s.size() << '\n' << s; };
    for (const auto& [key, answers] : by_key_) {
        text(key);
        out << answers.wires.size() << '\n';
        for (const auto& wire : answers.wires) text(wire);
    }
    if (!out) throw std::runtime_error("canned: cannot write " + path);
}

CannedAnswers CannedAnswers::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    CannedAnswers out;
    const auto text = [&] {
        std::size_t n = 0;
        in >> n;
        in.get();
        std::string s(n, '\0');
        in.read(s.data(), static_cast<std::streamsize>(n));
        return s;
    };
    while (in.peek() != std::char_traits<char>::eof()) {
        std::string key = text();
        std::size_t count = 0;
        in >> count;
        in.get();
        Answers& a = out.by_key_[std::move(key)];
        for (std::size_t i = 0; i < count; ++i) a.wires.push_back(text());
        if (!in) throw std::runtime_error("canned: " + path + " is cut short");
    }
    return out;
}

CannedStats serve_canned(int listen_fd, CannedAnswers answers, Delay delay) {
    using Clock = std::chrono::steady_clock;
    std::signal(SIGTERM, on_stop);
    std::signal(SIGINT, on_stop);
    std::signal(SIGPIPE, SIG_IGN);
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event listen_event{};
    listen_event.events = EPOLLIN;
    listen_event.data.fd = listen_fd;
    ::epoll_ctl(epoll, EPOLL_CTL_ADD, listen_fd, &listen_event);
    std::map<int, Connection> connections;
    CannedStats stats;
    const std::string miss_wire = bloop::test::error_response(
        400, "ValidationException", "canned server: no recorded answer for this request");

    // Answers held for the latency: (due, fd, answer), soonest first.
    using Held = std::tuple<Clock::time_point, int, std::uint64_t, const std::string*>;
    std::priority_queue<Held, std::vector<Held>, std::greater<>> held;
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    std::bernoulli_distribution coin(0.5);
    const bool held_back = delay.each_way.count() > 0 || delay.slow.count() > 0;
    const auto hold = [&]() -> std::chrono::microseconds {
        if (delay.slow.count() > 0) return coin(random) ? delay.slow : delay.fast;
        const double us =
            static_cast<double>(delay.each_way.count()) * (jitter(random) + jitter(random));
        return std::chrono::microseconds(static_cast<std::int64_t>(us));
    };

    const auto flush = [&](int fd, Connection& c) {
        while (c.written < c.out.size()) {
            const ssize_t n =
                ::send(fd, c.out.data() + c.written, c.out.size() - c.written, MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            if (n <= 0) return false;
            c.written += static_cast<std::size_t>(n);
        }
        if (c.written == c.out.size()) {
            c.out.clear();
            c.written = 0;
        }
        const bool want = !c.out.empty();
        if (want != c.want_out) {
            epoll_event e{};
            e.events = EPOLLIN | (want ? EPOLLOUT : 0u);
            e.data.fd = fd;
            ::epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &e);
            c.want_out = want;
        }
        return true;
    };
    const auto close_connection = [&](int fd) {
        ::epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        connections.erase(fd);
    };
    // Answers every whole request in `c.in`.
    const auto answer = [&](int fd, Connection& c) {
        while (true) {
            const std::size_t blank = c.in.find("\r\n\r\n");
            if (blank == std::string::npos) return;
            const std::string_view head(c.in.data(), blank);
            const std::string_view length = header(head, "Content-Length");
            const std::size_t body_size =
                length.empty() ? 0 : std::strtoul(std::string(length).c_str(), nullptr, 10);
            if (c.in.size() < blank + 4 + body_size) return;
            std::string key(header(head, "X-Amz-Target"));
            key += '\n';
            key.append(c.in, blank + 4, body_size);
            c.in.erase(0, blank + 4 + body_size);
            ++stats.requests;
            const std::string* wire = answers.next(key);
            if (wire == nullptr) {
                ++stats.misses;
                wire = &miss_wire;
            }
            if (held_back) {
                held.emplace(Clock::now() + hold(), fd, c.id, wire);
            } else {
                c.out += *wire;
            }
        }
    };

    std::uint64_t accepted = 0;
    std::vector<epoll_event> events(256);
    char buffer[65536];
    while (!stopping.load()) {
        int timeout_ms = 100;
        if (!held.empty()) {
            const auto wait = std::get<0>(held.top()) - Clock::now();
            timeout_ms = static_cast<int>(std::clamp<std::int64_t>(
                std::chrono::duration_cast<std::chrono::milliseconds>(wait).count(), 0, 100));
        }
        const int ready =
            ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), timeout_ms);
        for (int i = 0; i < ready; ++i) {
            const int fd = events[static_cast<std::size_t>(i)].data.fd;
            if (fd == listen_fd) {
                while (true) {
                    const int client =
                        ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (client < 0) break;
                    epoll_event e{};
                    e.events = EPOLLIN;
                    e.data.fd = client;
                    ::epoll_ctl(epoll, EPOLL_CTL_ADD, client, &e);
                    connections[client] = Connection{++accepted, {}, {}, 0, false};
                }
                continue;
            }
            const auto found = connections.find(fd);
            if (found == connections.end()) continue;
            Connection& c = found->second;
            bool open = true;
            if (events[static_cast<std::size_t>(i)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                while (true) {
                    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                    if (n > 0) {
                        c.in.append(buffer, static_cast<std::size_t>(n));
                        continue;
                    }
                    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
                    open = false;  // closed, or failed
                    break;
                }
                if (open) answer(fd, c);
            }
            if (!open || !flush(fd, c)) close_connection(fd);
        }
        // Answers whose time has come (their connection may have closed meanwhile).
        const auto now = Clock::now();
        while (!held.empty() && std::get<0>(held.top()) <= now) {
            const auto [due, fd, id, wire] = held.top();
            held.pop();
            const auto found = connections.find(fd);
            if (found == connections.end() || found->second.id != id) continue;
            found->second.out += *wire;
            if (!flush(fd, found->second)) close_connection(fd);
        }
    }
    for (const auto& [fd, c] : connections) ::close(fd);
    ::close(epoll);
    return stats;
}

CannedServerProcess::CannedServerProcess(const std::string& self, const CannedAnswers& answers,
                                         Delay delay)
    : file_((std::filesystem::temp_directory_path() /
             ("bloop_canned." + std::to_string(::getpid()) + ".answers"))
                .string()) {
    answers.save(file_);
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("canned: no pipe");
    const std::string each = std::to_string(delay.each_way.count());
    const std::string fast = std::to_string(delay.fast.count());
    const std::string slow = std::to_string(delay.slow.count());
    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        ::execl(self.c_str(), self.c_str(), "--serve-canned", file_.c_str(), each.c_str(),
                fast.c_str(), slow.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out[1]);
    pid_ = child;
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    if (child < 0 || line.empty()) throw std::runtime_error("canned: the server did not start");
    port_ = std::stoi(line);
}

CannedServerProcess::~CannedServerProcess() {
    if (pid_ > 0) {
        ::kill(static_cast<pid_t>(pid_), SIGTERM);
        int status = 0;
        ::waitpid(static_cast<pid_t>(pid_), &status, 0);
    }
    std::error_code ignored;
    std::filesystem::remove(file_, ignored);
}

int canned_server_main(const std::string& file, Delay delay) {
    CannedAnswers answers = CannedAnswers::load(file);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 4096) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        std::cerr << "canned: cannot listen on loopback\n";
        return 1;
    }
    std::cout << ntohs(address.sin_port) << std::endl;
    const std::size_t keys = answers.size();
    const CannedStats stats = serve_canned(fd, std::move(answers), delay);
    std::cerr << "canned server: " << stats.requests << " requests answered from " << keys
              << " recorded, " << stats.misses << " with no recorded answer\n";
    return 0;
}

}  // namespace bench
