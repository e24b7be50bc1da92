#include "client/adaptive_limit.hpp"

#include <algorithm>

namespace bloop::detail {
namespace {

constexpr double kQueueing = 3.0;  // slower than this many fastest answers: the server queues
constexpr double kShrink = 0.9;    // the limit after a queued answer
// The fastest answer is the least of those seen in the current and the previous window of this
// length (as TCP BBR keeps its minimum round trip): remembered 10 to 20 s whatever the request
// rate.
constexpr auto kWindow = std::chrono::seconds(10);

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
        if (kind >= fastest_.size()) fastest_.resize(kind + 1);
        Fastest& f = fastest_[kind];
        const bool first = f.window_start == Clock::time_point{};
        if (first || now - f.window_start >= kWindow) {
            // A window ends: its fastest becomes the previous one (unless no answer came for a
            // whole window, or this is the first answer of its kind).
            f.previous = first || now - f.window_start >= 2 * kWindow ? seconds : f.current;
            f.current = seconds;
            f.window_start = now;
        } else {
            f.current = std::min(f.current, seconds);
        }
        const double fastest = std::min(f.current, f.previous);
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
