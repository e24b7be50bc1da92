// Runs a program against a fresh DynamoDB Local, as a user would run an example: the server's
// address in AWS_ENDPOINT_URL, a region and dummy credentials in the standard variables, nothing
// else changed. Exits with the program's status. With --faults, the program talks to the server
// through a FaultProxy that injects faults (throttling, 5xx, resets, cut, held and lost answers)
// into that share of its requests, as a bad network and a busy service would.
//
//   with_dynamodb_local [--faults RATE] PROGRAM [ARGS...]

#include <bloop/testing/dynamodb_local.hpp>

#include "fault_proxy.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

int main(int argc, char** argv) try {
    int first = 1;
    double fault_rate = 0;
    if (argc > 2 && std::string(argv[1]) == "--faults") {
        fault_rate = std::stod(argv[2]);
        first = 3;
    }
    if (argc <= first) {
        std::cerr << "usage: with_dynamodb_local [--faults RATE] PROGRAM [ARGS...]\n";
        return 2;
    }
    bloop::testing::DynamoDBLocal server;
    std::cerr << "with_dynamodb_local: DynamoDB Local at " << server.endpoint() << "\n";
    std::unique_ptr<bloop::test::FaultProxy> proxy;
    if (fault_rate > 0) {
        bloop::test::FaultProxyOptions options;
        options.rate = fault_rate;
        proxy = std::make_unique<bloop::test::FaultProxy>(server.endpoint(), options);
        std::cerr << "with_dynamodb_local: faults in " << fault_rate * 100
                  << "% of the requests, through " << proxy->url() << "\n";
    }
    ::setenv("AWS_ENDPOINT_URL", (proxy ? proxy->url() : server.endpoint()).c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "bloopLocalKey", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "bloopLocalSecret", 1);
    ::unsetenv("AWS_SESSION_TOKEN");
    ::unsetenv("AWS_PROFILE");
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    const pid_t child = ::fork();
    if (child == 0) {
        ::execvp(argv[first], argv + first);
        std::perror("with_dynamodb_local: exec");
        std::_Exit(127);
    }
    int status = 0;
    if (child < 0 || ::waitpid(child, &status, 0) < 0) {
        std::perror("with_dynamodb_local");
        return 1;
    }
    if (proxy) {
        std::cerr << "with_dynamodb_local: injected";
        for (const auto& [fault, count] : proxy->injected())
            std::cerr << " " << bloop::test::fault_name(fault) << "=" << count;
        std::cerr << "\n";
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
} catch (const std::exception& e) {
    std::cerr << "with_dynamodb_local: " << e.what() << "\n";
    return 1;
}
