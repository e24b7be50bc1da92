// Rendering a 10-clause condition with an update expression, in renders/s.
//   build/release/bench/bloop_render_bench

#include "account_model.hpp"

#include <benchmark/benchmark.h>

namespace {

using bench::Account;
using bloop::attr;

bloop::ConditionOf<Account> ten_clauses() {
    using namespace bloop::literals;
    return (attr<&Account::name>.begins_with("Ada") && attr<&Account::email> != "x@example.com" &&
            attr<&Account::balance> >= "5000"_d && attr<&Account::balance> < "9000.50"_d &&
            attr<&Account::tags>.contains("vip")) ||
           (attr<&Account::profile>.field<&bench::Profile::age>().between(18, 65) &&
            attr<&Account::profile>.field<&bench::Profile::city>().in("Lisbon", "Osaka", "Quito") &&
            attr<&Account::created>.exists() && !(attr<&Account::name> == "admin") &&
            attr<&Account::email>.begins_with("ada."));
}

bloop::UpdateActions six_sets() {
    const Account a = bench::make_accounts(1).front();
    bloop::UpdateActions u;
    const bloop::Item item = bloop::dump_item(a);
    for (const auto& [name, value] : item) {
        if (name != "id") u.set.emplace_back(bloop::Path::attribute(name), value);
    }
    return u;
}

void BM_RenderConditionAndUpdate(benchmark::State& state) {
    const bloop::ConditionOf<Account> condition = ten_clauses();
    const bloop::UpdateActions update = six_sets();
    for (auto _ : state) {
        bloop::Renderer r;
        std::optional<std::string> c = r.condition(condition.condition());
        std::optional<std::string> u = r.update(update);
        benchmark::DoNotOptimize(c);
        benchmark::DoNotOptimize(u);
        benchmark::DoNotOptimize(r.value_count());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderConditionAndUpdate);

void BM_RenderIntoRequestJson(benchmark::State& state) {
    const bloop::ConditionOf<Account> condition = ten_clauses();
    const bloop::UpdateActions update = six_sets();
    for (auto _ : state) {
        bloop::Renderer r;
        bloop::json::Value request;
        request["TableName"] = "Account";
        request["ConditionExpression"] = *r.condition(condition.condition());
        request["UpdateExpression"] = *r.update(update);
        r.write_attributes(request);
        benchmark::DoNotOptimize(bloop::json::to_string(request));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderIntoRequestJson);

void BM_BuildTenClauseCondition(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(ten_clauses());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BuildTenClauseCondition);

}  // namespace

BENCHMARK_MAIN();
