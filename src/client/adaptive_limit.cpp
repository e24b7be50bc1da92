#include "client/adaptive_limit.hpp"

#include <algorithm>

namespace bloop::detail {

void AdaptiveLimit::acquire() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return static_cast<double>(in_flight_) < std::max(1.0, limit_); });
    ++in_flight_;
}

void AdaptiveLimit::release() {
    {
        std::lock_guard lock(mutex_);
        --in_flight_;
    }
    room_.notify_one();
}

void AdaptiveLimit::succeeded() {
    bool grew = false;
    {
        std::lock_guard lock(mutex_);
        const double before = limit_;
        limit_ = std::min(ceiling_, limit_ + 1.0 / limit_);
        grew = static_cast<std::size_t>(limit_) > static_cast<std::size_t>(before);
    }
    if (grew) room_.notify_all();
}

std::size_t AdaptiveLimit::throttled(std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (now - last_decrease_ < std::chrono::milliseconds(100)) return 0;
    last_decrease_ = now;
    limit_ = std::max(1.0, limit_ / 2);
    return static_cast<std::size_t>(limit_);
}

std::size_t AdaptiveLimit::current() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::max(1.0, limit_));
}

}  // namespace bloop::detail
