#pragma once
/// \file
/// Runs the official AWS DynamoDB Local for tests: a fresh in-memory server on a free loopback
/// port, stopped by its PID when the object goes away (and killed if the test process dies).
/// Link `bloop::testing`.

#include <bloop/client/client.hpp>

#include <sys/types.h>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace bloop::testing {

/// Where DynamoDB Local lives and how to start it.
struct DynamoDBLocalOptions {
    /// The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/. Empty: the environment variable
    /// BLOOP_DYNAMODB_LOCAL_DIR (this source tree's tests and benchmarks set it to the folder
    /// `scripts/dynamodb-local install` fills).
    std::string directory;
    /// The Java 17+ launcher.
    std::string java = "java";
    /// Options for the JVM, before `-jar`. The default suits tests: the quick (C1) compiler only
    /// and the serial collector start the server sooner and halve its CPU over a short run (the
    /// bank example: 14 s of CPU instead of 26 s). Clear it for the fully optimizing JVM (the
    /// benchmarks do, to measure against the server as it runs by default).
    std::vector<std::string> java_options{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};
    /// How long to wait for the server to answer.
    std::chrono::seconds start_timeout{90};
};

/// One DynamoDB Local process. Not copyable; movable.
class DynamoDBLocal {
  public:
    /// Starts the server and waits until it answers ListTables. Throws TransportError naming the
    /// folder, the command and the server's output when it cannot start.
    explicit DynamoDBLocal(DynamoDBLocalOptions options = {});
    ~DynamoDBLocal();
    /// Takes over `other`'s server (it then owns none).
    DynamoDBLocal(DynamoDBLocal&& other) noexcept;
    /// Stops this server, then takes over `other`'s.
    DynamoDBLocal& operator=(DynamoDBLocal&& other) noexcept;
    DynamoDBLocal(const DynamoDBLocal&) = delete;
    DynamoDBLocal& operator=(const DynamoDBLocal&) = delete;

    /// "http://127.0.0.1:PORT".
    [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }
    [[nodiscard]] int port() const noexcept { return port_; }
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }
    /// Stops the server now (SIGTERM, then SIGKILL after five seconds). Idempotent.
    void stop() noexcept;

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::string endpoint_;
};

/// Client options for a DynamoDB Local (or any) endpoint: both services at `endpoint`, region
/// "us-east-1", fixed dummy credentials (DynamoDB Local keys its databases by access key and
/// region, so every client of one test must share them), and nothing read from the environment.
[[nodiscard]] ClientOptions local_client_options(const std::string& endpoint);

/// A table name no other test in this or another process uses: "<prefix>_<pid>_<n>_<random>".
[[nodiscard]] std::string unique_table_name(std::string_view prefix);

}  // namespace bloop::testing
