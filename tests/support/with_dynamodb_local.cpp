// Runs a program against a fresh DynamoDB Local, as a user would run an example: the server's
// address in AWS_ENDPOINT_URL, a region and dummy credentials in the standard variables, nothing
// else changed. Exits with the program's status.
//
//   with_dynamodb_local PROGRAM [ARGS...]

#include <bloop/testing/dynamodb_local.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::cerr << "usage: with_dynamodb_local PROGRAM [ARGS...]\n";
        return 2;
    }
    bloop::testing::DynamoDBLocal server;
    std::cerr << "with_dynamodb_local: DynamoDB Local at " << server.endpoint() << "\n";
    ::setenv("AWS_ENDPOINT_URL", server.endpoint().c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "bloopLocalKey", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "bloopLocalSecret", 1);
    ::unsetenv("AWS_SESSION_TOKEN");
    ::unsetenv("AWS_PROFILE");
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    const pid_t child = ::fork();
    if (child == 0) {
        ::execvp(argv[1], argv + 1);
        std::perror("with_dynamodb_local: exec");
        std::_Exit(127);
    }
    int status = 0;
    if (child < 0 || ::waitpid(child, &status, 0) < 0) {
        std::perror("with_dynamodb_local");
        return 1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
} catch (const std::exception& e) {
    std::cerr << "with_dynamodb_local: " << e.what() << "\n";
    return 1;
}
