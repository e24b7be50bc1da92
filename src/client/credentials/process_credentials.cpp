// credential_process: a command whose standard output is a JSON credentials document.

#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/credentials/credentials_json.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

namespace bloop {
namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30));
}

// Stops the command and everything it started (its own process group), and reaps it.
[[noreturn]] void stop_and_throw(pid_t pid, std::chrono::milliseconds timeout) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    throw CredentialsUnavailable("credential_process did not finish within " +
                                 std::to_string(timeout.count()) + " ms; stopped it");
}

// Runs `command` through /bin/sh (in a process group of its own) and returns its standard output
// (stderr passes through); stopped after `timeout`.
std::string run(const std::string& command, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        throw CredentialsUnavailable(std::string("credential_process: pipe: ") +
                                     std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw CredentialsUnavailable(std::string("credential_process: fork: ") +
                                     std::strerror(errno));
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(out[1], STDOUT_FILENO);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: whichever runs first
    ::close(out[1]);
    std::string text;
    char buffer[4096];
    while (true) {
        pollfd readable{out[0], POLLIN, 0};
        const int ready = ::poll(&readable, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            ::close(out[0]);
            stop_and_throw(pid, timeout);
        }
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (text.size() + static_cast<std::size_t>(n) <= kMaxOutput)
            text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    while (true) {  // it may close its output and go on running
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) break;
        if (remaining_ms(deadline) == 0) stop_and_throw(pid, timeout);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw CredentialsUnavailable("credential_process exited with status " +
                                     std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    }
    return text;
}

}  // namespace

std::shared_ptr<CredentialsProvider> process_credentials_provider(
    std::string command, RefreshOptions options, std::chrono::milliseconds timeout) {
    return refreshing_credentials_provider(
        "credential_process",
        [command = std::move(command), timeout] {
            const std::string output = run(command, timeout);
            return detail::parse_credentials_json(output, "credential_process", "SessionToken");
        },
        std::move(options));
}

}  // namespace bloop
