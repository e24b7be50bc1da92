// Async calls against DynamoDB Local: many saves, loads and removes in flight at once through
// futures, and their failures (a condition not met, a missing object) delivered by get().

#include <bloop/engine/engine.hpp>
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
}  // namespace async_app

using async_app::Ticket;

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
    std::vector<std::future<void>> pending;
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

}  // namespace
}  // namespace bloop
