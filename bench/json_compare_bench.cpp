// The hand-written JSON parser against simdjson's on-demand API, on the same ~1 MB Query page:
// both decode every item into bloop::Items (the work the client does per page). Built when
// libsimdjson-dev is installed; docs/development.md records the result.
//   build/release/bench/bloop_json_compare_bench

#include <bloop/bloop.hpp>

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include "query_page.hpp"
#include "wire/items.hpp"

#include <stdexcept>

namespace {

namespace od = simdjson::ondemand;
using bloop::AttributeValue;

std::string text_of(od::value v) {
    std::string_view s = v.get_string();
    return std::string(s);
}

std::vector<std::string> strings_of(od::value v) {
    std::vector<std::string> out;
    for (od::value e : v.get_array()) out.push_back(text_of(e));
    return out;
}

AttributeValue attribute(od::value v);

bloop::Item item_of(od::object object) {
    bloop::AttributeMap::container_type entries;
    for (od::field f : object) {
        std::string_view name = f.unescaped_key();
        entries.emplace_back(std::string(name), attribute(f.value()));
    }
    return bloop::AttributeMap::from_entries(std::move(entries));
}

// One {"TAG": value} attribute value; number text stays exact (DynamoDB sends numbers as strings).
AttributeValue attribute(od::value v) {
    od::object tagged = v.get_object();
    for (od::field f : tagged) {
        std::string_view tag = f.unescaped_key();
        od::value inner = f.value();
        if (tag == "S") return AttributeValue::string(text_of(inner));
        if (tag == "N") return AttributeValue::number(text_of(inner));
        if (tag == "B") return AttributeValue::binary(bloop::Binary::from_base64(text_of(inner)));
        if (tag == "SS") return AttributeValue::string_set(strings_of(inner));
        if (tag == "NS") return AttributeValue::number_set(strings_of(inner));
        if (tag == "BOOL") return AttributeValue::boolean(inner.get_bool());
        if (tag == "NULL") return AttributeValue::null();
        if (tag == "M") return AttributeValue::map(item_of(inner.get_object()));
        if (tag == "L") {
            AttributeValue::List list;
            for (od::value e : inner.get_array()) list.push_back(attribute(e));
            return AttributeValue::list(std::move(list));
        }
        if (tag == "BS") {
            std::vector<bloop::Binary> bytes;
            for (od::value e : inner.get_array())
                bytes.push_back(bloop::Binary::from_base64(text_of(e)));
            return AttributeValue::binary_set(std::move(bytes));
        }
        throw std::runtime_error("unknown attribute tag");
    }
    throw std::runtime_error("empty attribute value");
}

void BM_DecodeQueryPageHandWritten(benchmark::State& state) {
    const std::string page = bench::query_page(bench::page_items());
    for (auto _ : state) {
        std::vector<bloop::Item> items =
            bloop::detail::wire::ItemsPage::decode(page, "Query").items;
        benchmark::DoNotOptimize(items.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_DecodeQueryPageHandWritten)->Unit(benchmark::kMillisecond);

void BM_DecodeQueryPageSimdjson(benchmark::State& state) {
    const std::string page = bench::query_page(bench::page_items());
    od::parser parser;
    for (auto _ : state) {
        simdjson::padded_string padded(page);  // the client receives unpadded bytes
        od::document doc = parser.iterate(padded);
        std::vector<bloop::Item> items;
        for (od::value item : doc["Items"].get_array()) items.push_back(item_of(item.get_object()));
        benchmark::DoNotOptimize(items.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_DecodeQueryPageSimdjson)->Unit(benchmark::kMillisecond);

// The two decoders agree on the page (checked once, before timing).
const bool kAgree = [] {
    const std::string page = bench::query_page(bench::page_items());
    std::vector<bloop::Item> ours = bloop::detail::wire::ItemsPage::decode(page, "Query").items;
    od::parser parser;
    simdjson::padded_string padded(page);
    od::document sdoc = parser.iterate(padded);
    std::size_t i = 0;
    for (od::value item : sdoc["Items"].get_array()) {
        if (!(ours[i++] == item_of(item.get_object())))
            throw std::runtime_error("simdjson and the hand-written parser disagree");
    }
    return i == ours.size();
}();

}  // namespace

BENCHMARK_MAIN();
