#include "client/adaptive_limit.hpp"

#include <algorithm>

namespace bloop::detail {
namespace {

constexpr double kQueueing = 3.0;       // slower than this many fastest answers: the server queues
constexpr double kShrink = 0.9;         // the limit after a queued answer
constexpr double kForget = 1.0 / 1024;  // how fast the fastest answer may rise, per answer

// The requests a limit lets in flight at once.
std::size_t whole(double limit) {
    return static_cast<std::size_t>(std::max(1.0, limit));
}

}  // namespace

AdaptiveLimit::AdaptiveLimit(std::size_t ceiling)
    : ceiling_(static_cast<double>(ceiling)),
      limit_(static_cast<double>(std::min(ceiling, kInitial))) {}

void AdaptiveLimit::acquire() {
    std::unique_lock lock(mutex_);
    if (in_flight_ >= whole(limit_)) {
        ++waiting_;
        room_.wait(lock, [&] { return in_flight_ < whole(limit_); });
        --waiting_;
    }
    ++in_flight_;
}

void AdaptiveLimit::release() {
    bool room = false;
    {
        std::lock_guard lock(mutex_);
        --in_flight_;
        // After a shrink more may be in flight than the limit: then nobody may start yet.
        room = waiting_ > 0 && in_flight_ < whole(limit_);
    }
    if (room) room_.notify_one();
}

void AdaptiveLimit::answered(std::size_t kind, Clock::duration latency, Clock::time_point now) {
    const double seconds = std::chrono::duration<double>(latency).count();
    std::size_t opened = 0;  // requests that may start now and could not before
    {
        std::lock_guard lock(mutex_);
        if (kind >= fastest_.size()) fastest_.resize(kind + 1, 0.0);
        double& fastest = fastest_[kind];
        fastest = fastest == 0.0 ? seconds : std::min(seconds, fastest * (1.0 + kForget));
        const double before = limit_;
        if (seconds <= kQueueing * fastest) {
            limit_ = std::min(ceiling_, limit_ + (slow_start_ ? 1.0 : 1.0 / limit_));
        } else if (now - last_shrink_ >= latency) {
            slow_start_ = false;
            last_shrink_ = now;
            limit_ = std::max(1.0, limit_ * kShrink);
        }
        const std::size_t was = std::max(in_flight_, whole(before));
        opened = whole(limit_) > was ? std::min(waiting_, whole(limit_) - was) : 0;
    }
    // As many waiters as there is new room for: waking them all would put all but these back to
    // sleep (many threads wait when bulk work queues more requests than the limit).
    for (; opened > 0; --opened) room_.notify_one();
}

std::size_t AdaptiveLimit::throttled(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (now - last_halving_ < std::chrono::milliseconds(100)) return 0;
    slow_start_ = false;
    last_halving_ = now;
    limit_ = std::max(1.0, limit_ / 2);
    return static_cast<std::size_t>(limit_);
}

std::size_t AdaptiveLimit::current() const {
    std::lock_guard lock(mutex_);
    return whole(limit_);
}

}  // namespace bloop::detail
