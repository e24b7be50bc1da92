// The DynamoDB Local fixture itself: the JVM it starts carries the options it was given, and the
// server answers.

#include <bloop/client/client.hpp>
#include <bloop/testing/dynamodb_local.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace bloop {
namespace {

// The command line of process `pid`, one string per argument.
std::vector<std::string> command_line(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::string> args;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = text.find('\0', start);
        args.push_back(text.substr(start, end - start));
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return args;
}

TEST(DynamoDBLocalFixture, TheQuickCompilerAndTheSerialCollectorByDefault) {
    EXPECT_EQ(testing::DynamoDBLocalOptions{}.java_options,
              (std::vector<std::string>{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"}));
}

TEST(DynamoDBLocalFixture, StartsTheJvmWithItsOptionsBeforeTheJar) {
    testing::DynamoDBLocalOptions options;
    options.java_options = {"-Dbloop.fixture=marker", "-XX:+UseSerialGC"};
    testing::DynamoDBLocal server(options);
    const std::vector<std::string> args = command_line(server.pid());
    ASSERT_GE(args.size(), 5u);
    EXPECT_EQ(args[0], "java");
    EXPECT_EQ(args[1], "-Dbloop.fixture=marker");
    EXPECT_EQ(args[2], "-XX:+UseSerialGC");
    EXPECT_EQ(args[3].rfind("-Djava.library.path=", 0), 0u) << args[3];
    EXPECT_EQ(args[4], "-jar");
    const Client client(testing::local_client_options(server.endpoint()));
    const json::Value tables = client.call(Operation::ListTables, json::Value::object());
    EXPECT_TRUE(tables.at("TableNames").is_array());
}

}  // namespace
}  // namespace bloop
