#include "prometheus_server.hpp"

#include <bloop/client/http.hpp>

#include "loopback.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace bloop::test {
namespace {

// A port nothing listens on now (the kernel's pick for a socket bound and closed at once).
int free_port() {
    LoopbackServer probe([](int) {});
    const std::string url = probe.url();
    return std::stoi(url.substr(url.rfind(':') + 1));
}

std::string percent_encoded(const std::string& text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '=') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    return out;
}

}  // namespace

PrometheusServer::PrometheusServer(int target_port) {
    char dir[] = "/tmp/bloop-prometheus-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    std::ofstream(dir_ + "/prometheus.yml")
        << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        << "scrape_configs:\n  - job_name: bloop\n    static_configs:\n"
        << "      - targets: ['127.0.0.1:" << target_port << "']\n";
    port_ = free_port();
    const std::string config = "--config.file=" + dir_ + "/prometheus.yml";
    const std::string storage = "--storage.tsdb.path=" + dir_ + "/data";
    const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const std::string log = dir_ + "/prometheus.log";
        if (std::freopen(log.c_str(), "w", stderr) == nullptr) std::_Exit(126);
        ::execlp("prometheus", "prometheus", config.c_str(), storage.c_str(), listen.c_str(),
                 "--log.level=warn", static_cast<char*>(nullptr));
        std::_Exit(127);
    }
    for (int i = 0; i < 600; ++i) {  // up to a minute, on a loaded machine
        if (api("status/buildinfo", "")) return;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error(
                "prometheus exited (is Debian's prometheus installed? "
                "scripts/bootstrap --test); see " +
                dir_ + "/prometheus.log");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("prometheus did not answer on port " + std::to_string(port_));
}

PrometheusServer::~PrometheusServer() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    std::system(("rm -rf " + dir_).c_str());
}

std::optional<json::Value> PrometheusServer::api(const std::string& path,
                                                 const std::string& query) const {
    static const std::shared_ptr<Transport> http = make_socket_transport(2);
    HttpRequest request;
    request.method = "GET";
    request.path = "/api/v1/" + path;
    request.query = percent_encoded(query);
    request.url = "http://127.0.0.1:" + std::to_string(port_) + request.path +
                  (request.query.empty() ? "" : "?" + request.query);
    request.headers.emplace_back("Host", "127.0.0.1:" + std::to_string(port_));
    try {
        const HttpResponse response = http->send(request, Timeouts{});
        if (response.status != 200) return std::nullopt;
        json::Value answer = json::parse(response.body);
        const json::Value* status = answer.find("status");
        if (status == nullptr || status->as_string() != "success") return std::nullopt;
        return answer.at("data");
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<double> PrometheusServer::scalar(const std::string& promql) const {
    const std::optional<json::Value> data = api("query", "query=" + promql);
    if (!data) return std::nullopt;
    const json::Value& result = data->at("result");
    if (!result.is_array() || result.as_array().empty()) return std::nullopt;
    // A vector's first sample: {"metric":{...},"value":[<time>,"<number>"]}.
    return std::stod(result.as_array().front().at("value").as_array().at(1).as_string());
}

}  // namespace bloop::test
