// Micro-benchmarks: decode and encode of a ~1 MB Query response page, SigV4 signing, and the
// client's whole path for one save or delete (model to signed request bytes, answer to synced
// object) against a transport that answers at once: client CPU per request without the network
// or the kernel.
//   build/release/bench/bloop_micro_bench [--benchmark_filter=Engine]

#include <bloop/bloop.hpp>
#include <bloop/client/sigv4.hpp>
#include <bloop/testing/dynamodb_local.hpp>

#include <benchmark/benchmark.h>

#include "account_model.hpp"
#include "query_page.hpp"
#include "wire/items.hpp"

namespace {

using bloop::AttributeValue;

// A Query response page read as the search cursor reads it: items straight from the bytes (the
// wire decoder), or through the generic JSON document. With `timed_free`, freeing the decoded
// items counts too; without, it happens outside the timed region.
void decode_page(benchmark::State& state, bool direct, bool timed_free) {
    const std::string page = bench::query_page(bench::page_items());
    for (auto _ : state) {
        std::vector<bloop::Item> items;
        if (direct) {
            items = bloop::detail::wire::ItemsPage::decode(page, "Query").items;
        } else {
            bloop::json::Value doc = bloop::json::parse(page);
            items.reserve(doc.at("Items").size());
            for (auto& item : doc["Items"].as_array())
                items.push_back(bloop::json::to_item(std::move(item)));
        }
        benchmark::DoNotOptimize(items.data());
        if (!timed_free) state.PauseTiming();
        items = {};
        if (!timed_free) state.ResumeTiming();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
    state.counters["page_bytes"] = static_cast<double>(page.size());
}

void BM_DecodeQueryPage(benchmark::State& state) {
    decode_page(state, true, false);
}
BENCHMARK(BM_DecodeQueryPage)->Unit(benchmark::kMillisecond);

void BM_DecodeQueryPageAndFree(benchmark::State& state) {
    decode_page(state, true, true);
}
BENCHMARK(BM_DecodeQueryPageAndFree)->Unit(benchmark::kMillisecond);

void BM_DecodeQueryPagePlainDom(benchmark::State& state) {
    decode_page(state, false, false);
}
BENCHMARK(BM_DecodeQueryPagePlainDom)->Unit(benchmark::kMillisecond);

void BM_EncodeQueryPage(benchmark::State& state) {
    const auto& items = bench::page_items();
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string page = bench::query_page(items);
        bytes = page.size();
        benchmark::DoNotOptimize(page.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_EncodeQueryPage)->Unit(benchmark::kMillisecond);

void BM_SigV4Sign(benchmark::State& state) {
    const bloop::SigV4Signer signer("us-east-1", "dynamodb");
    const bloop::Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
    std::string body;
    bloop::json::write_item(body, bench::page_items()[0]);
    body = R"({"TableName":"Account","Item":)" + body + "}";
    const auto now = std::chrono::system_clock::now();
    for (auto _ : state) {
        bloop::HttpRequest r;
        r.headers = {{"Host", "dynamodb.us-east-1.amazonaws.com"},
                     {"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "DynamoDB_20120810.PutItem"}};
        r.body = body;
        benchmark::DoNotOptimize(signer.sign(r, creds, now));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SigV4Sign);

// Answers every request with `{}` at once (UpdateItem and DeleteItem without ReturnValues).
class InstantTransport final : public bloop::Transport {
  public:
    bloop::HttpResponse send(const bloop::HttpRequest& request, const bloop::Timeouts&) override {
        benchmark::DoNotOptimize(request.body.data());
        bloop::HttpResponse response;
        response.status = 200;
        response.headers = {{"x-amzn-RequestId", "R"},
                            {"Content-Type", "application/x-amz-json-1.0"}};
        response.body = "{}";
        return response;
    }
};

bloop::Client instant_client() {
    bloop::ClientOptions options = bloop::testing::local_client_options("http://127.0.0.1:8000");
    options.transport = std::make_shared<InstantTransport>();
    return bloop::Client(options);
}

// One engine call per iteration on the next of 1,000 Accounts.
template <class Call>
void engine_without_network(benchmark::State& state, Call call) {
    bloop::Engine engine{instant_client()};
    engine.bind<bench::Account>({.skip_table_setup = true});
    auto accounts = bench::make_accounts<bench::Account>(1000);
    std::size_t i = 0;
    for (auto _ : state) call(engine, accounts[i++ % accounts.size()]);
    state.SetItemsProcessed(state.iterations());
}

void BM_EngineSaveWithoutNetwork(benchmark::State& state) {
    engine_without_network(state, [](bloop::Engine& e, bench::Account& a) { e.save(a); });
}
BENCHMARK(BM_EngineSaveWithoutNetwork);

void BM_EngineDeleteWithoutNetwork(benchmark::State& state) {
    engine_without_network(state, [](bloop::Engine& e, bench::Account& a) { e.remove(a); });
}
BENCHMARK(BM_EngineDeleteWithoutNetwork);

}  // namespace

BENCHMARK_MAIN();
