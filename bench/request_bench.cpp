// Requests per second of single-item GetItem against DynamoDB Local, with 1 and with 16 requests
// in flight. Prints one JSON line per run.
//   bloop_request_bench [ENDPOINT] [REQUESTS]
// Without ENDPOINT it starts its own DynamoDB Local (scripts/dynamodb-local install first).

#include <bloop/bloop.hpp>
#include "local_server.hpp"

#include <ctime>
#include <iostream>
#include <memory>
#include <optional>

namespace {

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) try {
    std::optional<bloop::testing::DynamoDBLocal> server;
    std::string endpoint;
    if (argc > 1 && argv[1][0] != '\0') {
        endpoint = argv[1];
    } else {
        server.emplace(bench::local_server_options());
        endpoint = server->endpoint();
    }
    const int requests = argc > 2 ? std::stoi(argv[2]) : 5000;

    bloop::ClientOptions options = bloop::testing::local_client_options(endpoint);
    options.max_in_flight = 16;
    const bloop::Client client(options);
    const std::string table = bloop::testing::unique_table_name("bench");
    (void)client.call(bloop::Operation::CreateTable,
                      bloop::json::parse(R"({"TableName":")" + table + R"(",
        "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}], "BillingMode":"PAY_PER_REQUEST"})"));
    const bloop::Item item{{"id", bloop::AttributeValue::string("k")},
                           {"name", bloop::AttributeValue::string("Ada Lovelace")},
                           {"balance", bloop::AttributeValue::number("6571.15")}};
    bloop::json::Value put;
    put["TableName"] = table;
    put["Item"] = bloop::json::to_json(item);
    (void)client.call(bloop::Operation::PutItem, put);

    bloop::json::Value get;
    get["TableName"] = table;
    get["Key"] = bloop::json::to_json(bloop::Item{{"id", bloop::AttributeValue::string("k")}});

    for (int i = 0; i < 500; ++i)
        (void)client.call(bloop::Operation::GetItem, get);  // warm-up (JIT)

    for (const int in_flight : {1, 16}) {
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = cpu_seconds();
        if (in_flight == 1) {
            for (int i = 0; i < requests; ++i) (void)client.call(bloop::Operation::GetItem, get);
        } else {
            std::vector<std::future<bloop::json::Value>> window;
            for (int i = 0; i < requests; ++i) {
                window.push_back(client.call_async(bloop::Operation::GetItem, get));
                if (window.size() == static_cast<std::size_t>(in_flight) * 4) {
                    for (auto& f : window) (void)f.get();
                    window.clear();
                }
            }
            for (auto& f : window) (void)f.get();
        }
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double cpu = cpu_seconds() - cpu_start;
        std::cout << R"({"benchmark":"GetItem","in_flight":)" << in_flight << R"(,"requests":)"
                  << requests << R"(,"wall_s":)" << wall << R"(,"requests_per_s":)"
                  << requests / wall << R"(,"client_cpu_ms_per_request":)" << cpu * 1000 / requests
                  << "}\n";
    }
    bloop::json::Value drop;
    drop["TableName"] = table;
    (void)client.call(bloop::Operation::DeleteTable, drop);
    return 0;
} catch (const bloop::BloopException& e) {
    std::cerr << "request bench failed: " << e.what() << "\n";
    return 1;
}
