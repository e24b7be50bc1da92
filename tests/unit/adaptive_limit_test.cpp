// The client's adaptive concurrency: growing while answers stay as fast as the fastest, shrinking
// when the server queues, halving when DynamoDB throttles, within the user's ceiling.

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

constexpr std::size_t kGetItem = 1;
constexpr std::size_t kBatchWrite = 2;

TEST(AdaptiveLimit, StartsAtSixteenOrTheLowerCeiling) {
    EXPECT_EQ(AdaptiveLimit(64).current(), 16u);
    EXPECT_EQ(AdaptiveLimit(4).current(), 4u);
}

TEST(AdaptiveLimit, GrowsOneAnAnswerToTheCeilingWhileAnswersStayFast) {
    // A network round trip of 10 ms and a server that never queues: more in flight pays off.
    AdaptiveLimit limit(64);
    auto now = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) limit.answered(kGetItem, 10ms + (i % 3) * 1ms, now += 1ms);
    EXPECT_EQ(limit.current(), 36u);  // slow start: one more per answer
    for (int i = 0; i < 100; ++i) limit.answered(kGetItem, 12ms, now += 1ms);
    EXPECT_EQ(limit.current(), 64u);  // never past the ceiling
}

TEST(AdaptiveLimit, ShrinksATenthARoundTripWhenTheServerQueuesThenGrowsOneAWindow) {
    AdaptiveLimit limit(64);
    auto now = std::chrono::steady_clock::now();
    for (int i = 0; i < 14; ++i) limit.answered(kGetItem, 10ms, now += 1ms);
    EXPECT_EQ(limit.current(), 30u);
    limit.answered(kGetItem, 45ms, now += 1ms);  // over three times the fastest: queued
    EXPECT_EQ(limit.current(), 27u);
    limit.answered(kGetItem, 45ms, now += 1ms);  // the same round trip: counted once
    EXPECT_EQ(limit.current(), 27u);
    limit.answered(kGetItem, 45ms, now += 50ms);
    EXPECT_EQ(limit.current(), 24u);  // 27 * 0.9 * 0.9 = 24.3
    for (int i = 0; i < 24; ++i) limit.answered(kGetItem, 10ms, now += 1ms);
    EXPECT_EQ(limit.current(), 25u);  // past slow start: a window of answers for one more
}

TEST(AdaptiveLimit, ComparesEachKindOfRequestWithItsOwnFastestAnswer) {
    AdaptiveLimit limit(64);
    auto now = std::chrono::steady_clock::now();
    limit.answered(kGetItem, 1ms, now += 1ms);
    limit.answered(kBatchWrite, 30ms, now += 1ms);  // slow for a GetItem, normal for its kind
    limit.answered(kBatchWrite, 40ms, now += 1ms);
    EXPECT_EQ(limit.current(), 19u);
    limit.answered(kGetItem, 30ms, now += 1ms);  // a GetItem that slow has queued
    EXPECT_EQ(limit.current(), 17u);
}

TEST(AdaptiveLimit, LearnsASlowerNetworkAgain) {
    AdaptiveLimit limit(64);
    auto now = std::chrono::steady_clock::now();
    limit.answered(kGetItem, 10ms, now += 1ms);
    const std::size_t after_fast = limit.current();
    // The route changed: every answer now takes 40 ms. The limit shrinks at first, then the
    // fastest answer rises towards 40 ms and growth resumes.
    for (int i = 0; i < 100; ++i) limit.answered(kGetItem, 40ms, now += 40ms);
    const std::size_t shrunk = limit.current();
    EXPECT_LT(shrunk, after_fast);
    for (int i = 0; i < 2000; ++i) limit.answered(kGetItem, 40ms, now += 40ms);
    EXPECT_GT(limit.current(), shrunk);
}

TEST(AdaptiveLimit, ManyQueuedAnswersDoNotRaiseTheFastest) {
    // A long bulk run at a high request rate: thousands of answers in a few seconds, all queued.
    // The fastest answer of the last 10 to 20 s stays the measure, so the limit keeps shrinking.
    AdaptiveLimit limit(64);
    auto now = std::chrono::steady_clock::now();
    limit.answered(kGetItem, 10ms, now += 1ms);
    for (int i = 0; i < 5000; ++i) limit.answered(kGetItem, 45ms, now += 1ms);
    EXPECT_EQ(limit.current(), 1u);
}

TEST(AdaptiveLimit, ForgetsTheFastestAnswerAfterTwoWindows) {
    AdaptiveLimit limit(64);
    auto now = std::chrono::steady_clock::now();
    limit.answered(kGetItem, 10ms, now += 1ms);
    for (int i = 0; i < 190; ++i) limit.answered(kGetItem, 40ms, now += 100ms);  // 19 s
    const std::size_t shrunk = limit.current();
    EXPECT_LT(shrunk, 16u);
    limit.answered(kGetItem, 40ms, now += 100ms);
    EXPECT_EQ(limit.current(), shrunk);  // 10 ms was seen within the previous window
    for (int i = 0; i < 10; ++i) limit.answered(kGetItem, 40ms, now += 100ms);  // past 20 s
    EXPECT_GT(limit.current(), shrunk);  // 40 ms is the fastest now: growth resumes
}

TEST(AdaptiveLimit, AnIdleKindStartsAfresh) {
    AdaptiveLimit limit(64);
    auto now = std::chrono::steady_clock::now();
    limit.answered(kGetItem, 10ms, now += 1ms);
    const std::size_t before = limit.current();
    // No answer for a minute, then a slower route: nothing older than the last window counts.
    limit.answered(kGetItem, 40ms, now += 60s);
    EXPECT_EQ(limit.current(), before + 1);
}

TEST(AdaptiveLimit, HalvesOnThrottlingOnceABurstNeverBelowOne) {
    AdaptiveLimit limit(16);
    EXPECT_EQ(limit.current(), 16u);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(limit.throttled(t0), 8u);
    EXPECT_EQ(limit.throttled(t0 + 50ms), 0u);  // the same burst counts once
    EXPECT_EQ(limit.current(), 8u);
    EXPECT_EQ(limit.throttled(t0 + 200ms), 4u);
    auto now = t0 + 300ms;
    for (int i = 0; i < 5; ++i) limit.answered(kGetItem, 10ms, now += 1ms);
    EXPECT_EQ(limit.current(), 5u);  // throttled once: no more slow start, a window for one more
    for (int i = 0; i < 1000; ++i) limit.answered(kGetItem, 10ms, now += 1ms);
    EXPECT_EQ(limit.current(), 16u);
    for (int i = 0; i < 10; ++i) (void)limit.throttled(t0 + std::chrono::seconds(1 + i));
    EXPECT_EQ(limit.current(), 1u);
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

TEST(AdaptiveLimit, AGrowingLimitLetsAWaiterIn) {
    AdaptiveLimit limit(64);
    for (int i = 0; i < 16; ++i) limit.acquire();
    std::atomic<bool> seventeenth{false};
    std::thread waiter([&] {
        limit.acquire();  // waits: 16 in flight, the limit is 16
        seventeenth = true;
    });
    // A fast answer grows the limit to 17: room for the waiter, woken by the growth alone (no
    // request is released). Without that wake the join below never returns.
    limit.answered(0, 1ms, AdaptiveLimit::Clock::now());
    waiter.join();
    EXPECT_TRUE(seventeenth.load());
    EXPECT_EQ(limit.current(), 17u);
    for (int i = 0; i < 17; ++i) limit.release();
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
    EXPECT_EQ(client.in_flight_limit(), 16u);
    (void)client.call(Operation::PutItem, json::Value::object());
    EXPECT_NE(std::find(lines.begin(), lines.end(),
                        "PutItem was throttled: at most 8 requests in flight now"),
              lines.end());
    EXPECT_EQ(client.in_flight_limit(), 8u);  // halved; the answer after adds an eighth
}

}  // namespace
}  // namespace bloop
