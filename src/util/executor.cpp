#include "util/executor.hpp"

#include <algorithm>

namespace bloop::detail {

Executor::Executor(std::size_t threads, std::function<std::size_t()> capacity)
    : capacity_(std::move(capacity)) {
    workers_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
}

Executor::~Executor() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : workers_) t.join();
}

bool Executor::room() const {
    return !capacity_ || running_ < capacity_();
}

void Executor::submit(std::function<void()> task) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
        wake = room();  // else a running worker starts it when it finishes
    }
    if (wake) ready_.notify_one();
}

void Executor::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        ready_.wait(lock,
                    [&] { return (!tasks_.empty() && room()) || (stopping_ && tasks_.empty()); });
        if (tasks_.empty()) return;  // stopping, nothing left
        std::function<void()> task = std::move(tasks_.front());
        tasks_.pop_front();
        ++running_;
        lock.unlock();
        task();
        task = nullptr;  // its captures are released outside the lock
        lock.lock();
        --running_;
        // This worker takes the next task itself; others wake only for room beyond that one (the
        // capacity grew) or to stop.
        if (stopping_ && tasks_.empty()) {
            ready_.notify_all();
        } else if (capacity_ && tasks_.size() > 1) {
            const std::size_t capacity = capacity_();
            const std::size_t free = capacity > running_ + 1 ? capacity - running_ - 1 : 0;
            for (std::size_t i = std::min(free, tasks_.size() - 1); i > 0; --i) ready_.notify_one();
        }
    }
}

}  // namespace bloop::detail
