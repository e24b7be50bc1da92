#pragma once
// Shared set-up of integration test binaries: one DynamoDB Local per binary (or the server named
// by BLOOP_TEST_ENDPOINT), started by integration_main.cpp before any test runs.

#include <bloop/client/client.hpp>
#include <bloop/testing/dynamodb_local.hpp>

#include <string>

namespace bloop::test {

/// The endpoint every test of this binary talks to.
const std::string& endpoint();

/// Client options for that endpoint (see bloop::testing::local_client_options).
inline ClientOptions client_options() {
    return testing::local_client_options(endpoint());
}

}  // namespace bloop::test
