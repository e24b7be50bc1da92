// Dump and load of the workload's Account model to and from Items and JSON text, in objects/s.
//   build/release/bench/bloop_model_bench

#include "account_model.hpp"
#include "json/reader.hpp"

#include <optional>

#include <benchmark/benchmark.h>

namespace {

constexpr std::size_t kBatch = 1000;

template <class A>
void BM_Dump(benchmark::State& state) {
    const auto accounts = bench::make_accounts<A>(kBatch);
    for (auto _ : state) {
        for (const auto& a : accounts) benchmark::DoNotOptimize(bloop::dump_item(a));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_Dump<bench::Account>)->Name("BM_DumpAccountToItem");

template <class A>
void BM_Load(benchmark::State& state) {
    std::vector<bloop::Item> items;
    for (const auto& a : bench::make_accounts<A>(kBatch)) items.push_back(bloop::dump_item(a));
    std::vector<bloop::Item> batch;
    for (auto _ : state) {
        state.PauseTiming();
        batch = items;  // load moves out of its item
        state.ResumeTiming();
        for (auto& item : batch) benchmark::DoNotOptimize(bloop::load_item<A>(std::move(item)));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_Load<bench::Account>)->Name("BM_LoadAccountFromItem_WithState");
BENCHMARK(BM_Load<bench::PlainAccount>)->Name("BM_LoadAccountFromItem_NoState");

void BM_DumpAccountToJson(benchmark::State& state) {
    const auto accounts = bench::make_accounts(kBatch);
    std::string out;
    for (auto _ : state) {
        for (const auto& a : accounts) {
            out.clear();
            bloop::json::write_item(out, bloop::dump_item(a));
            benchmark::DoNotOptimize(out.data());
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_DumpAccountToJson);

template <class A>
void BM_LoadFromJson(benchmark::State& state) {
    std::vector<std::string> texts;
    for (const auto& a : bench::make_accounts<A>(kBatch)) {
        std::string t = R"({"Item":)";
        bloop::json::write_item(t, bloop::dump_item(a));
        t += "}";
        texts.push_back(std::move(t));
    }
    for (auto _ : state) {
        for (const auto& t : texts) {
            bloop::json::detail::Reader r(t);
            std::optional<bloop::Item> item;
            r.object([&](std::string_view) { item = r.item(); });
            benchmark::DoNotOptimize(bloop::load_item<A>(std::move(*item)));
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_LoadFromJson<bench::Account>)->Name("BM_LoadAccountFromJson_WithState");
BENCHMARK(BM_LoadFromJson<bench::PlainAccount>)->Name("BM_LoadAccountFromJson_NoState");

}  // namespace

BENCHMARK_MAIN();
