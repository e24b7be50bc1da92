// Signal: order, disconnect semantics across threads, receivers that throw; ScopedConnection.

#include <bloop/signal.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

namespace bloop {
namespace {

TEST(Signal, CallsReceiversInConnectionOrderUntilDisconnected) {
    Signal<int> signal;
    std::vector<int> calls;
    Connection a = signal.connect([&](int v) { calls.push_back(v); });
    Connection b = signal.connect([&](int v) { calls.push_back(10 * v); });
    signal.emit(1);
    a.disconnect();
    EXPECT_FALSE(a.connected());
    a.disconnect();  // idempotent
    signal.emit(2);
    EXPECT_EQ(calls, (std::vector<int>{1, 10, 20}));
}

TEST(Signal, DisconnectWaitsForACallRunningOnAnotherThread) {
    Signal<> signal;
    std::promise<void> entered;
    std::atomic<bool> release{false};
    std::atomic<bool> finished{false};
    Connection c = signal.connect([&] {
        entered.set_value();
        while (!release) std::this_thread::yield();
        finished = true;
    });
    std::thread emitter([&] { signal.emit(); });
    entered.get_future().wait();
    std::atomic<bool> disconnected{false};
    std::thread disconnecter([&] {
        c.disconnect();
        disconnected = true;
        // The receiver's call had ended before disconnect() returned.
        EXPECT_TRUE(finished.load());
    });
    // disconnect() cannot return while the receiver runs.
    for (int i = 0; i < 1000; ++i) std::this_thread::yield();
    EXPECT_FALSE(disconnected.load());
    release = true;
    disconnecter.join();
    emitter.join();
    EXPECT_TRUE(disconnected.load());
}

TEST(Signal, NoCallStartsAfterDisconnectReturned) {
    Signal<> signal;
    std::atomic<int> after{0};
    std::atomic<bool> gone{false};
    Connection c = signal.connect([&] {
        if (gone) ++after;
    });
    std::atomic<bool> stop{false};
    std::thread emitter([&] {
        while (!stop) signal.emit();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    c.disconnect();
    gone = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
    emitter.join();
    EXPECT_EQ(after.load(), 0);
}

TEST(Signal, AReceiverMayDisconnectItself) {
    Signal<> signal;
    int calls = 0;
    Connection c;
    c = signal.connect([&] {
        ++calls;
        c.disconnect();
    });
    signal.emit();
    signal.emit();
    EXPECT_EQ(calls, 1);
}

TEST(Signal, EveryReceiverRunsAndTheFirstExceptionIsRethrown) {
    Signal<> signal;
    int calls = 0;
    Connection a = signal.connect([&] {
        ++calls;
        throw std::runtime_error("first");
    });
    Connection b = signal.connect([&] {
        ++calls;
        throw std::logic_error("second");
    });
    Connection c = signal.connect([&] { ++calls; });
    try {
        signal.emit();
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "first");
    }
    EXPECT_EQ(calls, 3);
}

TEST(ScopedConnection, DisconnectsWhenItGoesOutOfScope) {
    Signal<int> signal;
    std::vector<int> calls;
    {
        ScopedConnection scoped = signal.connect([&](int v) { calls.push_back(v); });
        EXPECT_TRUE(scoped.connected());
        signal.emit(1);
    }
    signal.emit(2);
    EXPECT_EQ(calls, (std::vector<int>{1}));
}

TEST(ScopedConnection, AMoveHandsTheReceiverOnAndAssignmentDisconnectsTheOldOne) {
    Signal<int> signal;
    std::vector<int> calls;
    ScopedConnection first = signal.connect([&](int v) { calls.push_back(v); });
    ScopedConnection moved = std::move(first);
    EXPECT_FALSE(first.connected());  // NOLINT(bugprone-use-after-move): moved-from is empty
    EXPECT_TRUE(moved.connected());
    signal.emit(1);
    moved = signal.connect([&](int v) { calls.push_back(100 * v); });
    signal.emit(2);
    EXPECT_EQ(calls, (std::vector<int>{1, 200}));
}

TEST(ScopedConnection, ReleaseKeepsTheReceiverConnected) {
    Signal<int> signal;
    std::vector<int> calls;
    Connection kept;
    {
        ScopedConnection scoped = signal.connect([&](int v) { calls.push_back(v); });
        kept = scoped.release();
        EXPECT_FALSE(scoped.connected());
    }
    signal.emit(1);
    kept.disconnect();
    signal.emit(2);
    EXPECT_EQ(calls, (std::vector<int>{1}));
}

}  // namespace
}  // namespace bloop
