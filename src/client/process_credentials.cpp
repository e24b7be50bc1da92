// credential_process: a command whose standard output is a JSON credentials document.

#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/credentials_json.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bloop {
namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

// Runs `command` through /bin/sh and returns its standard output (stderr passes through).
std::string run(const std::string& command) {
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
        ::dup2(out[1], STDOUT_FILENO);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out[1]);
    std::string text;
    char buffer[4096];
    while (true) {
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (text.size() + static_cast<std::size_t>(n) <= kMaxOutput)
            text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw CredentialsUnavailable("credential_process exited with status " +
                                     std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    }
    return text;
}

}  // namespace

std::shared_ptr<CredentialsProvider> process_credentials_provider(std::string command,
                                                                  RefreshOptions options) {
    return refreshing_credentials_provider(
        "credential_process",
        [command = std::move(command)] {
            const std::string output = run(command);
            return detail::parse_credentials_json(output, "credential_process", "SessionToken");
        },
        std::move(options));
}

}  // namespace bloop
