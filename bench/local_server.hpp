#pragma once
// Where the benchmarks find DynamoDB Local: $BLOOP_DYNAMODB_LOCAL_DIR, else this tree's cache
// (the CMake cache variable BLOOP_DYNAMODB_LOCAL_DIR, compiled into the benchmarks only). The JVM
// runs with its default options (the tests' quick-start options would slow the server down), as
// the peers' baseline in shared/bench measured it.

#include <bloop/testing/dynamodb_local.hpp>

#include <cstdlib>

namespace bench {

inline bloop::testing::DynamoDBLocalOptions local_server_options() {
    bloop::testing::DynamoDBLocalOptions options;
    const char* dir = std::getenv("BLOOP_DYNAMODB_LOCAL_DIR");
    options.directory = dir != nullptr && *dir != '\0' ? dir : BLOOP_BENCH_DYNAMODB_LOCAL_DIR;
    options.java_options.clear();
    return options;
}

}  // namespace bench
