// The client's adaptive concurrency: additive increase, multiplicative decrease within the
// user's ceiling, and the client halving it when DynamoDB throttles.

#include <bloop/client/client.hpp>

#include "client/adaptive_limit.hpp"
#include "fake_transport.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace bloop {
namespace {

using namespace std::chrono_literals;
using detail::AdaptiveLimit;

TEST(AdaptiveLimit, StartsAtTheCeilingHalvesOnThrottlingAndGrowsBackOneAWindow) {
    AdaptiveLimit limit(16);
    EXPECT_EQ(limit.current(), 16u);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(limit.throttled(t0), 8u);
    EXPECT_EQ(limit.throttled(t0 + 50ms), 0u);  // the same burst counts once
    EXPECT_EQ(limit.current(), 8u);
    EXPECT_EQ(limit.throttled(t0 + 200ms), 4u);
    for (int i = 0; i < 5; ++i) limit.succeeded();  // about a window of answers: one more
    EXPECT_EQ(limit.current(), 5u);
    for (int i = 0; i < 1000; ++i) limit.succeeded();
    EXPECT_EQ(limit.current(), 16u);  // never past the ceiling
    for (int i = 0; i < 10; ++i) (void)limit.throttled(t0 + std::chrono::seconds(1 + i));
    EXPECT_EQ(limit.current(), 1u);  // never below one
}

TEST(AdaptiveLimit, HoldsRequestsBeyondTheLimitUntilOneIsReleased) {
    AdaptiveLimit limit(2);
    limit.acquire();
    limit.acquire();
    std::atomic<bool> third{false};
    std::thread waiter([&] {
        limit.acquire();
        third = true;
        limit.release();
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(third.load());  // two in flight: the third waits
    limit.release();
    waiter.join();
    EXPECT_TRUE(third.load());
    limit.release();
}

TEST(AdaptiveLimit, TheClientHalvesItsRequestsInFlightWhenThrottled) {
    auto transport = std::make_shared<test::FakeTransport>();
    transport->fail(400, "ThrottlingException", "slow down");
    transport->respond(200, "{}");
    std::vector<std::string> lines;
    ClientOptions o;
    o.region = "us-east-1";
    o.credentials = Credentials{"AKID", "SECRET", ""};
    o.endpoint = "http://127.0.0.1:8000";
    o.transport = transport;
    o.max_in_flight = 16;
    o.environment = Environment(
        std::map<std::string, std::string, std::less<>>{{"AWS_EC2_METADATA_DISABLED", "true"}});
    o.retry.sleep = [](std::chrono::milliseconds) {};
    o.log = [&](LogLevel, std::string_view line) { lines.emplace_back(line); };
    const Client client(o);
    (void)client.call(Operation::PutItem, json::Value::object());
    EXPECT_NE(std::find(lines.begin(), lines.end(),
                        "PutItem was throttled: at most 8 requests in flight now"),
              lines.end());
}

}  // namespace
}  // namespace bloop
