#include <bloop/exceptions.hpp>
#include <bloop/testing/dynamodb_local.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

namespace bloop::testing {
namespace {

std::string resolve_directory(const DynamoDBLocalOptions& options) {
    if (!options.directory.empty()) return options.directory;
    if (const char* env = std::getenv("BLOOP_DYNAMODB_LOCAL_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    return {};
}

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw TransportError("cannot open a socket to find a free port");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    ::close(fd);
    if (!ok) throw TransportError("cannot bind a loopback socket to find a free port");
    return ntohs(addr.sin_port);
}

std::string read_tail(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path) {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw TransportError("fork failed starting DynamoDB Local");
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test process
        if (::getppid() != parent) ::_exit(127);
        const int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
            ::close(out);
        }
        const int in = ::open("/dev/null", O_RDONLY);
        if (in >= 0) ::dup2(in, STDIN_FILENO);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

bool exited(pid_t pid) {
    int status = 0;
    return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

DynamoDBLocal::DynamoDBLocal(DynamoDBLocalOptions options) {
    const std::string dir = resolve_directory(options);
    const std::filesystem::path jar = std::filesystem::path(dir) / "DynamoDBLocal.jar";
    if (dir.empty()) {
        throw TransportError(
            "DynamoDB Local: no folder given; set DynamoDBLocalOptions::directory or "
            "BLOOP_DYNAMODB_LOCAL_DIR to the folder holding DynamoDBLocal.jar");
    }
    if (!std::filesystem::exists(jar)) {
        throw TransportError(
            "DynamoDB Local not found (looked for " + jar.string() +
            "); run `scripts/dynamodb-local install` or set BLOOP_DYNAMODB_LOCAL_DIR");
    }
    const std::string log_path = (std::filesystem::temp_directory_path() /
                                  ("bloop-dynamodb-local-" + std::to_string(::getpid()) + "-" +
                                   unique_table_name("log") + ".log"))
                                     .string();
    std::string last_error;
    for (int start = 0; start < 3; ++start) {
        port_ = free_loopback_port();
        std::vector<std::string> argv = {options.java};
        argv.insert(argv.end(), options.java_options.begin(), options.java_options.end());
        argv.insert(argv.end(), {"-Djava.library.path=" +
                                     (std::filesystem::path(dir) / "DynamoDBLocal_lib").string(),
                                 "-jar", jar.string(), "-inMemory", "-disableTelemetry", "-port",
                                 std::to_string(port_)});
        pid_ = spawn(argv, log_path);
        endpoint_ = "http://127.0.0.1:" + std::to_string(port_);

        ClientOptions probe_options = local_client_options(endpoint_);
        probe_options.retry.max_attempts = 1;
        probe_options.max_in_flight = 1;
        probe_options.timeouts = {std::chrono::milliseconds(500), std::chrono::milliseconds(2000)};
        const Client probe(probe_options);
        const auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (exited(pid_)) {
                pid_ = -1;
                last_error = "the server exited during start-up";
                break;
            }
            try {
                (void)probe.call(Operation::ListTables, json::Value::object());
                std::remove(log_path.c_str());
                return;
            } catch (const TransportError& e) {
                last_error = e.what();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (pid_ > 0) break;  // timed out while running: a port clash would have exited
    }
    const std::string output = read_tail(log_path);
    stop();
    std::remove(log_path.c_str());
    throw TransportError("DynamoDB Local (" + jar.string() + ") did not start: " + last_error +
                         "; its output:\n" + output);
}

DynamoDBLocal::~DynamoDBLocal() {
    stop();
}

DynamoDBLocal::DynamoDBLocal(DynamoDBLocal&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      port_(other.port_),
      endpoint_(std::move(other.endpoint_)) {}

DynamoDBLocal& DynamoDBLocal::operator=(DynamoDBLocal&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = std::exchange(other.pid_, -1);
        port_ = other.port_;
        endpoint_ = std::move(other.endpoint_);
    }
    return *this;
}

void DynamoDBLocal::stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (exited(pid_)) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

ClientOptions local_client_options(const std::string& endpoint) {
    ClientOptions o;
    o.region = "us-east-1";
    o.credentials = Credentials{"bloopLocalKey", "bloopLocalSecret", {}};
    o.endpoint = endpoint;
    o.streams_endpoint = endpoint;
    o.environment = Environment(std::map<std::string, std::string, std::less<>>{});
    return o;
}

std::string unique_table_name(std::string_view prefix) {
    static std::atomic<unsigned> counter{0};
    static const unsigned salt = std::random_device{}();
    std::string name(prefix);
    name += "_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1)) + "_";
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned x = salt ^ (counter.load() * 2654435761u);
    for (int i = 0; i < 6; ++i) {
        name.push_back(kAlphabet[x % 36]);
        x /= 36;
    }
    return name;
}

}  // namespace bloop::testing
