#pragma once
// A thread of an exporter's own that runs a task every interval until it is stopped: how the EMF
// and OTLP exporters write without any request waiting on them.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace bloop::detail {

class Periodic {
  public:
    /// Runs `task` every `interval` on a new thread.
    Periodic(std::chrono::milliseconds interval, std::function<void()> task)
        : interval_(interval), task_(std::move(task)), thread_([this] { run(); }) {}
    /// Stops the thread (a task under way finishes first).
    ~Periodic() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

  private:
    void run() {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, interval_, [&] { return stopping_; })) {
            lock.unlock();
            task_();
            lock.lock();
        }
    }

    const std::chrono::milliseconds interval_;
    const std::function<void()> task_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace bloop::detail
