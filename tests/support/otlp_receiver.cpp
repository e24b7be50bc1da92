#include "otlp_receiver.hpp"

#include <bloop/client/http.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace bloop::test {

OtlpReceiver::OtlpReceiver() {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        ::setenv("BLOOP_CHECKERS", BLOOP_CHECKERS_DIR, 0);
        ::execlp("node", "node", BLOOP_CHECKERS_SOURCE "/otlp_receiver.mjs",
                 static_cast<char*>(nullptr));
        std::_Exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    if (line.rfind("listening ", 0) != 0) {
        throw std::runtime_error(
            "the OTLP receiver did not start (node and scripts/checkers "
            "install?): '" +
            line + "'");
    }
    port_ = std::stoi(line.substr(10));
}

OtlpReceiver::~OtlpReceiver() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
}

json::Value OtlpReceiver::received() const {
    static const std::shared_ptr<Transport> http = make_socket_transport(1);
    HttpRequest request;
    request.method = "GET";
    request.path = "/received";
    request.url = url() + request.path;
    request.headers.emplace_back("Host", "127.0.0.1:" + std::to_string(port_));
    return json::parse(http->send(request, Timeouts{}).body);
}

}  // namespace bloop::test
