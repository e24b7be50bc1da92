// Async calls against DynamoDB Local: many saves, loads and removes in flight at once through
// futures, query pages fetched while the caller works, and their failures (a condition not met, a
// missing object, a missing table) delivered by get().

#include <bloop/engine/engine.hpp>
#include <bloop/engine/search.hpp>
#include <bloop/exceptions.hpp>

#include "integration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <future>
#include <string>
#include <vector>

namespace async_app {
struct Ticket {
    std::string id;
    std::int64_t seat = 0;
};
struct Seat {
    std::string show;
    std::int64_t number = 0;
};
}  // namespace async_app

using async_app::Seat;
using async_app::Ticket;

template <>
struct bloop::Model<Seat> {
    static constexpr Meta meta{.table_name = "AsyncSeat"};
    static constexpr auto hash_key = &Seat::show;
    static constexpr auto range_key = &Seat::number;
};

template <>
struct bloop::Model<Ticket> {
    static constexpr Meta meta{.table_name = "AsyncTicket"};
    static constexpr auto hash_key = &Ticket::id;
};

namespace bloop {
namespace {

TEST(AsyncCalls, ManySavesLoadsAndRemovesOverlapThroughFutures) {
    Engine engine{Client(test::client_options())};
    engine.bind<Ticket>();
    std::vector<Ticket> tickets;
    for (std::int64_t i = 0; i < 200; ++i) tickets.push_back({"async-" + std::to_string(i), i});
    std::vector<bloop::Future<void>> pending;
    for (auto& t : tickets) pending.push_back(engine.save_async(t));
    for (auto& p : pending) p.get();
    for (const auto& t : tickets) {
        const auto item = test::stored_by_id(engine.client(), "AsyncTicket", t.id);
        ASSERT_TRUE(item) << t.id;
        EXPECT_EQ(item->at("seat").as_number(), std::to_string(t.seat));
    }

    std::vector<Ticket> loaded(tickets.size());
    pending.clear();
    for (std::size_t i = 0; i < tickets.size(); ++i) {
        loaded[i].id = tickets[i].id;
        pending.push_back(engine.load_async(loaded[i]));
    }
    for (auto& p : pending) p.get();
    for (std::size_t i = 0; i < tickets.size(); ++i) EXPECT_EQ(loaded[i].seat, tickets[i].seat);

    pending.clear();
    for (auto& t : tickets) pending.push_back(engine.remove_async(t));
    for (auto& p : pending) p.get();
    EXPECT_FALSE(test::stored_by_id(engine.client(), "AsyncTicket", tickets[0].id));
}

TEST(AsyncCalls, FailuresComeOutOfGet) {
    Engine engine{Client(test::client_options())};
    engine.bind<Ticket>();
    Ticket ghost{"async-ghost", 1};
    EXPECT_THROW(engine.load_async(ghost).get(), MissingObjects);
    Ticket guarded{"async-guarded", 7};
    engine.save(guarded);
    guarded.seat = 8;
    auto refused = engine.save_async(guarded, {.condition = attr<&Ticket::seat> == 99});
    EXPECT_THROW(refused.get(), ConstraintViolation);
    EXPECT_EQ(
        test::stored_by_id(engine.client(), "AsyncTicket", "async-guarded")->at("seat").as_number(),
        "7");
}

std::vector<std::int64_t> numbers(const std::vector<Seat>& page) {
    std::vector<std::int64_t> out;
    for (const Seat& s : page) out.push_back(s.number);
    return out;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> out;
    for (std::int64_t i = from; i < to; ++i) out.push_back(i);
    return out;
}

TEST(AsyncCalls, QueryPagesComeThroughFuturesOnePageARequest) {
    Engine engine{Client(test::client_options())};
    engine.bind<Seat>();
    std::vector<Seat> seats;
    for (std::int64_t i = 0; i < 25; ++i) seats.push_back({"async-pages", i});
    engine.save(seats);
    const auto key = attr<&Seat::show> == "async-pages";

    // Two searches in flight at once, each one page at a time.
    auto all = engine.query<Seat>(key, {.consistent = true, .page_size = 10});
    auto capped = engine.query<Seat>(key, {.consistent = true, .limit = 12, .page_size = 10});
    auto first = all.next_page_async();
    auto capped_first = capped.next_page_async();
    EXPECT_EQ(numbers(first.get()), range(0, 10));
    EXPECT_EQ(numbers(capped_first.get()), range(0, 10));
    EXPECT_EQ(numbers(all.next_page_async().get()), range(10, 20));
    EXPECT_EQ(numbers(capped.next_page_async().get()), range(10, 12));  // the limit
    EXPECT_TRUE(capped.next_page_async().get().empty());
    EXPECT_EQ(numbers(all.next_page_async().get()), range(20, 25));
    EXPECT_TRUE(all.next_page_async().get().empty());
    EXPECT_TRUE(all.exhausted());

    // Mixed with next(): the rest of the page next() was reading, each result once.
    auto mixed = engine.query<Seat>(key, {.consistent = true, .page_size = 10});
    EXPECT_EQ(mixed.next()->number, 0);
    EXPECT_EQ(numbers(mixed.next_page()), range(1, 10));
    EXPECT_EQ(mixed.next()->number, 10);
    EXPECT_EQ(mixed.count(), 20);  // DynamoDB's Count over the two pages read
    engine.remove(seats);
}

TEST(AsyncCalls, AQueryPageThatFailsThrowsFromGet) {
    EngineOptions options;
    options.table_name_template = "{table_name}_gone";
    Engine engine{Client(test::client_options()), options};
    engine.bind<Seat>();
    json::Value drop;
    drop["TableName"] = "AsyncSeat_gone";
    (void)engine.client().call(Operation::DeleteTable, drop);
    auto search = engine.query<Seat>(attr<&Seat::show> == "async-pages");
    EXPECT_THROW(search.next_page_async().get(), ResourceNotFound);
}

}  // namespace
}  // namespace bloop
