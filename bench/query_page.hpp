#pragma once
// A ~1 MB Query response page of Account-shaped items (../shared/bench/WORKLOAD.md), for the JSON
// decode benchmarks.

#include <bloop/bloop.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace bench {

using bloop::AttributeValue;

// Items shaped like the benchmark's Account model (../shared/bench/WORKLOAD.md).
inline std::vector<bloop::Item> account_items(std::size_t n) {
    std::mt19937_64 rng(20171009);
    const char* tags[] = {"admin", "beta", "ops", "eu", "us", "vip", "trial", "legacy"};
    std::vector<bloop::Item> items;
    for (std::size_t i = 0; i < n; ++i) {
        char id[40];
        std::snprintf(id, sizeof id, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
                      static_cast<unsigned long long>(rng() & 0xffffffff),
                      static_cast<unsigned long long>(rng() & 0xffff),
                      static_cast<unsigned long long>(rng() & 0xfff),
                      static_cast<unsigned long long>(rng() & 0xfff),
                      static_cast<unsigned long long>(rng() & 0xffffffffffff));
        const std::string idx = std::to_string(i);
        items.push_back({
            {"id", AttributeValue::string(id)},
            {"name", AttributeValue::string("Ada Lovelace " + idx)},
            {"email", AttributeValue::string("ada.lovelace." + idx + "@example.com")},
            {"created", AttributeValue::string("2016-03-14T09:26:53.589793+00:00")},
            {"balance", AttributeValue::number(std::to_string(rng() % 1000000) + "." +
                                               std::to_string(10 + rng() % 90))},
            {"tags", AttributeValue::string_set({tags[rng() % 8], tags[rng() % 4 + 4]})},
            {"profile",
             AttributeValue::map({{"age", AttributeValue::number(std::int64_t(18 + rng() % 70))},
                                  {"city", AttributeValue::string("Reykjavík")}})},
        });
    }
    return items;
}

inline std::string query_page(const std::vector<bloop::Item>& items) {
    std::string out = "{\"Count\":" + std::to_string(items.size()) + ",\"Items\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out.push_back(',');
        bloop::json::write_item(out, items[i]);
    }
    out += "],\"ScannedCount\":" + std::to_string(items.size()) + "}";
    return out;
}

// About 1 MB of response.
inline const std::vector<bloop::Item>& page_items() {
    static const auto items = account_items(3300);
    return items;
}

}  // namespace bench
