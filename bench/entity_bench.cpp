// What key templates cost: the same order saved, loaded and queried as an entity of a shared table
// (keys rendered from members, parsed back, the entity type written and filtered on); as an entity
// whose keys are whole members (`{pk}`, `{sk}`: the entity machinery without composite keys); and
// as a plain model that holds the finished key strings and a type column by hand — one request at
// a time, against a fresh DynamoDB Local. Under valgrind --tool=callgrind each phase's instructions
// go to a file of their own ("Dump reason" = the phase); divide by the phase's requests (printed).
//
//   valgrind --tool=callgrind build/ci/bench/bloop_entity_bench [N]    (default N: 300)

#include <bloop/bloop.hpp>
#include <bloop/testing/dynamodb_local.hpp>

#include "local_server.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name)
#endif

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace entity_bench {  // named: clang wants models' reflected objects outside anonymous ones

struct Shop {
    static constexpr bloop::Meta meta{.table_name = "BenchEntity"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
};

struct Order {  // pk = ORG#<org>, sk = ORDER#<date>#<id>
    std::string org;
    std::string date;
    std::string id;
    std::string email;
    bloop::Decimal total;
};

struct Keyed {
    static constexpr bloop::Meta meta{.table_name = "BenchKeyed"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
};

struct KeyedOrder {  // an entity whose members hold the whole keys
    std::string pk;
    std::string sk;
    std::string email;
    bloop::Decimal total;
};

struct PlainOrder {  // the same item, its keys and type written by hand
    std::string pk;
    std::string sk;
    std::string kind;
    std::string email;
    bloop::Decimal total;
};

}  // namespace entity_bench

using entity_bench::Keyed;
using entity_bench::KeyedOrder;
using entity_bench::Order;
using entity_bench::PlainOrder;
using entity_bench::Shop;

template <>
struct bloop::Model<Order> {
    using table = Shop;
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "ORDER#{date}#{id}">);
};

template <>
struct bloop::Model<KeyedOrder> {
    using table = Keyed;
    static constexpr Entity entity{.name = "Order"};
    static constexpr auto keys = bloop::keys(key<"pk", "{pk}">, key<"sk", "{sk}">);
};

template <>
struct bloop::Model<PlainOrder> {
    static constexpr Meta meta{.table_name = "BenchPlain"};
    static constexpr auto hash_key = &PlainOrder::pk;
    static constexpr auto range_key = &PlainOrder::sk;
    static constexpr auto column_options = bloop::column_options(column<&PlainOrder::kind>("_et"));
};

namespace {

std::string padded(int n) {
    std::string digits = std::to_string(n);
    return std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits;
}

template <class Body>
void phase(const char* name, int requests, Body&& body) {
    CALLGRIND_ZERO_STATS;
    body();
    CALLGRIND_DUMP_STATS_AT(name);
    std::cout << name << ": " << requests << " requests\n";
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 300;
    bloop::testing::DynamoDBLocal server(bench::local_server_options());
    bloop::Engine engine(bloop::Client(bloop::testing::local_client_options(server.endpoint())));
    engine.bind<Order, KeyedOrder, PlainOrder>();
    std::vector<Order> orders;
    std::vector<KeyedOrder> keyed;
    std::vector<PlainOrder> plain;
    for (int i = 0; i < n; ++i) {
        const std::string date = "2026-05-" + padded(i % 28 + 1).substr(3);
        orders.push_back(
            {"acme", date, "o" + padded(i), "ann@acme.example", bloop::Decimal("9.50")});
        plain.push_back({"ORG#acme", "ORDER#" + date + "#o" + padded(i), "Order",
                         "ann@acme.example", bloop::Decimal("9.50")});
        keyed.push_back({"ORG#acme", "ORDER#" + date + "#o" + padded(i), "ann@acme.example",
                         bloop::Decimal("9.50")});
    }
    using bloop::attr;
    phase("plain_save", n, [&] {
        for (auto& o : plain) engine.save(o);
    });
    phase("entity_save", n, [&] {
        for (auto& o : orders) engine.save(o);
    });
    phase("keyed_save", n, [&] {
        for (auto& o : keyed) engine.save(o);
    });
    phase("plain_load", n, [&] {
        for (auto& o : plain) engine.load(o);
    });
    phase("entity_load", n, [&] {
        for (auto& o : orders) engine.load(o);
    });
    phase("keyed_load", n, [&] {
        for (auto& o : keyed) engine.load(o);
    });
    // One query per order, by its whole key: one item each.
    std::size_t found = 0;
    phase("plain_query", n, [&] {
        for (const auto& o : plain) {
            found += engine
                         .query<PlainOrder>(
                             attr<&PlainOrder::pk> == o.pk && attr<&PlainOrder::sk> == o.sk,
                             {.filter = attr<&PlainOrder::kind> == "Order"})
                         .next_page()
                         .size();
        }
    });
    phase("entity_query", n, [&] {
        for (const auto& o : orders) {
            found += engine
                         .query<Order>(attr<&Order::org> == o.org && attr<&Order::date> == o.date &&
                                       attr<&Order::id> == o.id)
                         .next_page()
                         .size();
        }
    });
    phase("keyed_query", n, [&] {
        for (const auto& o : keyed) {
            found += engine
                         .query<KeyedOrder>(attr<&KeyedOrder::pk> == o.pk &&
                                            attr<&KeyedOrder::sk> == o.sk)
                         .next_page()
                         .size();
        }
    });
    if (found != 3 * static_cast<std::size_t>(n)) {
        std::cerr << "entity_bench: found " << found << " items, expected " << 3 * n << "\n";
        return 1;
    }
    return 0;
}
