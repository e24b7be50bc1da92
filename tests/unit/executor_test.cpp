// The worker pool behind Client::call_async: tasks in order, bounded by a changing capacity.

#include "util/executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace {

using bloop::detail::Executor;
using namespace std::chrono_literals;

// Tasks that stay running until the test lets them go, counting how many ran at once.
struct Gate {
    std::mutex mutex;
    std::condition_variable changed;
    int running = 0;
    int most = 0;
    int finished = 0;
    bool open = false;

    void task() {
        std::unique_lock lock(mutex);
        most = std::max(most, ++running);
        changed.notify_all();
        changed.wait(lock, [&] { return open; });
        --running;
        ++finished;
        changed.notify_all();
    }
    // Waits until `n` tasks run at once, or a second passed; how many run.
    int wait_running(int n) {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, 1s, [&] { return running >= n; });
        return running;
    }
    void release() {
        std::lock_guard lock(mutex);
        open = true;
        changed.notify_all();
    }
};

TEST(Executor, RunsNoMoreTasksAtOnceThanItsCapacity) {
    Gate gate;
    std::atomic<std::size_t> capacity{2};
    {
        Executor executor(8, [&] { return capacity.load(); });
        for (int i = 0; i < 6; ++i) executor.submit([&] { gate.task(); });
        EXPECT_EQ(gate.wait_running(3), 2);  // eight workers, six tasks, room for two
        gate.release();
    }  // the destructor finishes every queued task
    EXPECT_EQ(gate.most, 2);
    EXPECT_EQ(gate.finished, 6);
}

TEST(Executor, WithoutACapacityEveryWorkerRuns) {
    Gate gate;
    {
        Executor executor(4);
        for (int i = 0; i < 6; ++i) executor.submit([&] { gate.task(); });
        EXPECT_EQ(gate.wait_running(4), 4);
        gate.release();
    }
    EXPECT_EQ(gate.most, 4);
    EXPECT_EQ(gate.finished, 6);
}

TEST(Executor, ACapacityThatGrowsLetsMoreRunAsTasksFinish) {
    std::atomic<std::size_t> capacity{1};
    std::mutex mutex;
    std::vector<int> order;
    {
        Executor executor(4, [&] { return capacity.load(); });
        // One at a time: in submission order.
        for (int i = 0; i < 5; ++i) {
            executor.submit([&, i] {
                std::lock_guard lock(mutex);
                order.push_back(i);
            });
        }
    }
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));

    Gate gate;
    {
        Executor executor(4, [&] { return capacity.load(); });
        executor.submit([&] { capacity = 3; });  // finishing, it sees room for two more
        for (int i = 0; i < 4; ++i) executor.submit([&] { gate.task(); });
        EXPECT_EQ(gate.wait_running(4), 3);
        gate.release();
    }
    EXPECT_EQ(gate.most, 3);
    EXPECT_EQ(gate.finished, 4);
}

}  // namespace
