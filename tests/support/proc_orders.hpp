#pragma once
// The models of the multi-process stream processor test: four tables of orders (one stream shard
// each on DynamoDB Local) and the per-order change counts its workers keep.

#include <bloop/model/model.hpp>

#include <cstdint>
#include <string>
#include <string_view>

template <int N>
struct ProcOrder {
    std::string id;
    std::int64_t n = 0;
};

struct ProcOrderCount {
    std::string id;  // "<table>/<order id>"
    std::int64_t changes = 0;
    std::string last_sequence;  // zero-padded to 40 digits
};

inline constexpr std::string_view kTables[] = {"ProcOrders0", "ProcOrders1", "ProcOrders2",
                                               "ProcOrders3"};

template <int N>
struct bloop::Model<ProcOrder<N>> {
    static constexpr Meta meta{.table_name = kTables[N], .stream = StreamView::new_image};
    static constexpr auto hash_key = &ProcOrder<N>::id;
};

template <>
struct bloop::Model<ProcOrderCount> {
    static constexpr Meta meta{.table_name = "ProcOrderCounts"};
    static constexpr auto hash_key = &ProcOrderCount::id;
};
