// The client's adaptive concurrency: growing while answers stay within twice their base latency
// (probed at low concurrency), shrinking when cohorts of requests show the server queueing — not
// when latency merely varies — halving when DynamoDB throttles, within the user's ceiling. The
// behaviour under load is shown on a simulated clock against simulated servers.

#include <bloop/client/client.hpp>

#include "client/adaptive_limit.hpp"
#include "fake_transport.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <queue>
#include <random>
#include <thread>
#include <tuple>

namespace bloop {
namespace {

using namespace std::chrono_literals;
using detail::AdaptiveLimit;

constexpr std::size_t kGetItem = 1;
constexpr std::size_t kBatchWrite = 2;

// ---- a simulated clock and server -----------------------------------------------------------

using Clock = AdaptiveLimit::Clock;

// `callers` send requests of one kind in a closed loop — each as soon as the limit lets it in —
// to a simulated server, on a simulated clock: `latency(sent, in_flight)` says how long a request
// sent at `sent` takes. Deterministic: no threads, no sleeping.
class Simulation {
  public:
    using Latency = std::function<Clock::duration(Clock::time_point sent)>;
    Simulation(std::size_t ceiling, Latency latency)
        : limit(ceiling), latency_(std::move(latency)) {}

    /// Runs for `duration` of simulated time; returns the smallest and largest limit seen in its
    /// last `tail` (and their mean over its answers in `mean`).
    std::pair<std::size_t, std::size_t> run(Clock::duration duration, Clock::duration tail) {
        const auto end = now + duration;
        std::size_t low = SIZE_MAX, high = 0;
        double sum = 0;
        std::size_t seen = 0;
        while (now < end) {
            while (const auto ticket = limit.try_acquire()) {
                const Clock::duration took = latency_(now);
                pending_.push({now + took, took, *ticket});
            }
            const Answer answer = pending_.top();
            pending_.pop();
            now = answer.at;
            limit.answered(answer.ticket, 0, answer.took, now);
            limit.release(answer.ticket);
            ++answers;
            if (now >= end - tail) {
                low = std::min(low, limit.current());
                high = std::max(high, limit.current());
                sum += static_cast<double>(limit.current());
                ++seen;
            }
        }
        mean = sum / static_cast<double>(seen);
        return {low, high};
    }

    AdaptiveLimit limit;
    double mean = 0;
    Clock::time_point now = Clock::time_point() + std::chrono::hours(1);
    std::size_t answers = 0;

  private:
    Latency latency_;
    struct Answer {
        Clock::time_point at;
        Clock::duration took;
        AdaptiveLimit::Ticket ticket;
        bool operator>(const Answer& other) const { return at > other.at; }
    };
    std::priority_queue<Answer, std::vector<Answer>, std::greater<>> pending_;
};

// A server working on `slots` requests at once, each for `work`, after `network` (no queueing
// in the network): what a request sent at a time waits for.
class QueueingServer {
  public:
    QueueingServer(std::size_t slots, Clock::duration work, Clock::duration network)
        : free_(slots, Clock::time_point()), work_(work), network_(network) {}
    Clock::duration operator()(Clock::time_point sent) {
        std::pop_heap(free_.begin(), free_.end(), std::greater<>());
        const auto start = std::max(free_.back(), sent + network_ / 2);
        free_.back() = start + work_;
        std::push_heap(free_.begin(), free_.end(), std::greater<>());
        return start + work_ + network_ / 2 - sent;
    }

  private:
    std::vector<Clock::time_point> free_;  // when each slot is free, a min-heap
    Clock::duration work_, network_;
};

TEST(AdaptiveLimit, StartsAtSixteenOrTheLowerCeiling) {
    EXPECT_EQ(AdaptiveLimit(64).current(), 16u);
    EXPECT_EQ(AdaptiveLimit(4).current(), 4u);
}

TEST(AdaptiveLimit, GrowsToTheCeilingWhileAnswersStayFast) {
    // A 10 ms network and a server that never queues: more in flight pays off, doubling every
    // bucket at first.
    Simulation sim(1024, [](Clock::time_point) { return 10ms; });
    const auto [low, high] = sim.run(2s, 1s);
    EXPECT_EQ(low, 1024u);
    EXPECT_EQ(high, 1024u);
}

TEST(AdaptiveLimit, LatencyThatVariesWithoutQueueingLeavesTheLimitAtTheCeiling) {
    // 1 ms or 40 ms at random, whatever the load (a network's spread, not queueing): judged one
    // answer at a time against the fastest, this drove the limit down to 1.
    for (const std::size_t ceiling : {16u, 64u, 256u, 1024u}) {
        std::mt19937 random(7);
        Simulation sim(ceiling, [&](Clock::time_point) {
            return std::uniform_int_distribution<int>(0, 1)(random) ? 40ms : 1ms;
        });
        const auto [low, high] = sim.run(60s, 40s);
        EXPECT_GE(low, ceiling * 9 / 10) << "ceiling " << ceiling;
        EXPECT_EQ(high, ceiling) << "ceiling " << ceiling;
    }
}

TEST(AdaptiveLimit, AServerWorkingOnNRequestsAtOnceBringsTheLimitNearN) {
    for (const std::size_t slots : {4u, 16u, 64u}) {
        Simulation sim(1024, QueueingServer(slots, 5ms, 1ms));
        const auto [low, high] = sim.run(60s, 40s);
        EXPECT_GE(low, slots) << slots << " slots";  // the server kept busy
        // Queued: about as many again on average (the limit rises until answers average twice the
        // base, then falls back to about N), never three times as many.
        EXPECT_LE(sim.mean, 2.25 * static_cast<double>(slots)) << slots << " slots";
        EXPECT_LT(high, 3 * slots) << slots << " slots";
    }
}

TEST(AdaptiveLimit, FollowsTheBaseLatencySteppingUpAndBackWithinAWindow) {
    // The route changes: 1 ms, then 40 ms for a minute, then 1 ms again — no queueing. A step up
    // looks like queueing until the next probe (every 10 s) measures the new base.
    Clock::time_point step_up, step_down;
    Simulation sim(256, [&](Clock::time_point sent) {
        return sent >= step_up && sent < step_down ? 40ms : 1ms;
    });
    step_up = sim.now + 30s;
    step_down = sim.now + 90s;
    auto [low, high] = sim.run(30s, 10s);
    EXPECT_EQ(low, 256u);
    std::tie(low, high) = sim.run(60s, 35s);  // within 25 s of the step up: back at the top
    EXPECT_GE(low, 230u);
    std::tie(low, high) = sim.run(30s, 30s);  // a faster route lowers nothing
    EXPECT_GE(low, 230u);
}

// Sends `n` requests of `kind` one after another, each answered after `latency`.
void feed(AdaptiveLimit& limit, std::size_t kind, int n, Clock::duration latency,
          Clock::time_point& now) {
    for (int i = 0; i < n; ++i) {
        const auto ticket = limit.acquire();
        limit.answered(ticket, kind, latency, now += latency);
        limit.release(ticket);
    }
}

TEST(AdaptiveLimit, ComparesEachKindOfRequestWithItsOwnBase) {
    // GetItems of 1 ms and BatchWriteItems of 30 ms, interleaved: neither is queueing.
    AdaptiveLimit limit(64);
    auto now = Clock::now();
    for (int i = 0; i < 400; ++i) {
        feed(limit, kGetItem, 1, 1ms, now);
        feed(limit, kBatchWrite, 1, 30ms, now);
    }
    EXPECT_EQ(limit.current(), 64u);
    // GetItems now take 30 ms too: they queue.
    feed(limit, kGetItem, 300, 30ms, now);
    EXPECT_LT(limit.current(), 64u);
}

TEST(AdaptiveLimit, OneSlowCohortIsNoiseTwoInARowAreQueueing) {
    AdaptiveLimit limit(1024);
    auto now = Clock::now();
    feed(limit, kGetItem, 32, 10ms, now);  // the first probe: the base
    EXPECT_EQ(limit.current(), 16u);
    feed(limit, kGetItem, 32, 10ms, now);
    EXPECT_EQ(limit.current(), 48u);  // slow start: a cohort's requests more
    feed(limit, kGetItem, 48, 30ms, now);
    EXPECT_EQ(limit.current(), 48u);  // one cohort over twice the base: not yet
    feed(limit, kGetItem, 48, 10ms, now);
    EXPECT_EQ(limit.current(), 96u);  // and the next within it: growth goes on
    feed(limit, kGetItem, 96 * 2, 40ms, now);
    // Two in a row at four times the base: the limit aims at the base, but falls by at most half.
    EXPECT_EQ(limit.current(), 48u);
    feed(limit, kGetItem, 48, 10ms, now);
    EXPECT_EQ(limit.current(), 49u);  // past slow start: one per round trip
}

TEST(AdaptiveLimit, AnIdleKindIsProbedAfresh) {
    AdaptiveLimit limit(1024);
    auto now = Clock::now();
    feed(limit, kGetItem, 32 + 32, 10ms, now);
    EXPECT_EQ(limit.current(), 48u);
    // No answer for a minute, then a slower route: probed before any cohort is judged.
    now += 60s;
    feed(limit, kGetItem, 48 + 64, 40ms, now);
    EXPECT_EQ(limit.current(), 48u);  // not judged against the old base
    feed(limit, kGetItem, 48, 40ms, now);
    EXPECT_EQ(limit.current(), 96u);
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
    feed(limit, kGetItem, 32 + 32, 10ms, now);  // the first probe, a cohort
    EXPECT_EQ(limit.current(), 12u);  // throttled: no more slow start; 32 answers at 4 in flight
                                      // are 8 round trips, one more for each
    feed(limit, kGetItem, 1000, 10ms, now);
    EXPECT_EQ(limit.current(), 16u);
    for (int i = 0; i < 10; ++i) (void)limit.throttled(t0 + std::chrono::seconds(1 + i));
    EXPECT_EQ(limit.current(), 1u);
}

TEST(AdaptiveLimit, AThrottledProbeHoldsUnderTheHalvedLimit) {
    AdaptiveLimit limit(64);
    auto now = Clock::now();
    feed(limit, kGetItem, 32 + 32 + 48, 1ms, now);  // the first probe, then slow start to 64
    EXPECT_EQ(limit.current(), 64u);
    now += 10s;
    feed(limit, kGetItem, 64, 1ms, now);  // a cohort closes with a probe due: at most 16 now
    const auto t = now;
    for (int i = 0; i < 3; ++i) (void)limit.throttled(t + std::chrono::seconds(i));
    EXPECT_EQ(limit.current(), 8u);
    std::vector<AdaptiveLimit::Ticket> tickets;
    while (const auto ticket = limit.try_acquire()) tickets.push_back(*ticket);
    EXPECT_EQ(tickets.size(), 8u);  // the halved limit, under the probe's cap of 16
    for (const auto& ticket : tickets) limit.release(ticket);
}

TEST(AdaptiveLimit, HoldsRequestsBeyondTheLimitUntilOneIsReleased) {
    AdaptiveLimit limit(2);
    const auto first = limit.acquire();
    const auto second = limit.acquire();
    EXPECT_FALSE(limit.try_acquire());
    std::atomic<bool> third{false};
    std::thread waiter([&] {
        const auto ticket = limit.acquire();
        third = true;
        limit.release(ticket);
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(third.load());  // two in flight: the third waits
    limit.release(first);
    waiter.join();
    EXPECT_TRUE(third.load());
    limit.release(second);
}

TEST(AdaptiveLimit, EveryWaiterGetsInAsRoomOpens) {
    // Sixteen in flight, eight threads waiting: as the sixteen are answered, each release wakes as
    // many waiters as it made room for (a lost wake-up would leave one asleep and the join hung).
    AdaptiveLimit limit(64);
    auto now = Clock::now();
    feed(limit, 0, 32, 1ms, now);  // the base known
    std::vector<AdaptiveLimit::Ticket> tickets;
    for (int i = 0; i < 16; ++i) tickets.push_back(limit.acquire());
    EXPECT_FALSE(limit.try_acquire());
    std::atomic<int> through{0};
    std::mutex clock_mutex;
    std::vector<std::thread> waiters;
    for (int i = 0; i < 8; ++i) {
        waiters.emplace_back([&] {
            const auto ticket = limit.acquire();
            {
                std::lock_guard lock(clock_mutex);
                limit.answered(ticket, 0, 1ms, now += 1ms);
            }
            limit.release(ticket);
            ++through;
        });
    }
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(through.load(), 0);  // all waiting
    for (auto& ticket : tickets) {
        {
            std::lock_guard lock(clock_mutex);
            limit.answered(ticket, 0, 1ms, now += 1ms);
        }
        limit.release(ticket);
    }
    for (auto& waiter : waiters) waiter.join();
    EXPECT_EQ(through.load(), 8);
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
