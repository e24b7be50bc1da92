#include "integration.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace bloop::test {
namespace {
std::unique_ptr<testing::DynamoDBLocal> g_server;
std::string g_endpoint;
}  // namespace

const std::string& endpoint() {
    return g_endpoint;
}

}  // namespace bloop::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (const char* e = std::getenv("BLOOP_TEST_ENDPOINT"); e != nullptr && *e != '\0') {
        bloop::test::g_endpoint = e;
    } else {
        bloop::test::g_server = std::make_unique<bloop::testing::DynamoDBLocal>();
        bloop::test::g_endpoint = bloop::test::g_server->endpoint();
        std::cerr << "DynamoDB Local at " << bloop::test::g_endpoint << " (pid "
                  << bloop::test::g_server->pid() << ")\n";
    }
    const int rc = RUN_ALL_TESTS();
    bloop::test::g_server.reset();
    return rc;
}
