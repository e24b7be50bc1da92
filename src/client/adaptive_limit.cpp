#include "client/adaptive_limit.hpp"

#include <algorithm>

namespace bloop::detail {
namespace {

using namespace std::chrono_literals;

constexpr double kQueueing = 2.0;         // a cohort averaging over this many bases: queued
constexpr std::size_t kMinCohort = 32;    // requests a cohort averages at least
constexpr std::size_t kProbeCohort = 64;  // requests a probe averages
constexpr std::size_t kJudged = 8;        // a kind's answers a cohort needs to judge it
constexpr auto kProbeEvery = 10s;         // from the end of one probe to the next
constexpr auto kIdle = 20s;               // a kind unanswered this long is probed afresh

// The requests a limit lets in flight at once.
std::size_t whole(double limit) {
    return static_cast<std::size_t>(std::max(1.0, limit));
}

}  // namespace

AdaptiveLimit::AdaptiveLimit(std::size_t ceiling)
    : ceiling_(static_cast<double>(ceiling)),
      limit_(static_cast<double>(std::min(ceiling, kInitial))) {
    // The first base is probed at the initial limit, nothing being in flight yet.
    phase_ = Phase::probing;
    probe_cap_ = whole(limit_);
    open_cohort(kMinCohort);
}

std::size_t AdaptiveLimit::room() const {
    // A throttle while probing halves the limit under the probe's cap too.
    return phase_ == Phase::measuring ? whole(limit_) : std::min(probe_cap_, whole(limit_));
}

AdaptiveLimit::Ticket AdaptiveLimit::take() {
    ++in_flight_;
    Ticket ticket;
    if (to_sample_ > 0 && phase_ != Phase::draining) {
        --to_sample_;
        ++outstanding_;
        ticket.sampled = true;
    }
    return ticket;
}

AdaptiveLimit::Ticket AdaptiveLimit::acquire() {
    std::unique_lock lock(mutex_);
    if (in_flight_ >= room()) {
        ++waiting_;
        room_.wait(lock, [&] { return in_flight_ < room(); });
        --waiting_;
    }
    return take();
}

std::optional<AdaptiveLimit::Ticket> AdaptiveLimit::try_acquire() {
    std::lock_guard lock(mutex_);
    if (in_flight_ >= room()) return std::nullopt;
    return take();
}

void AdaptiveLimit::answered(const Ticket& ticket, std::size_t kind, Clock::duration latency,
                             Clock::time_point now) {
    std::lock_guard lock(mutex_);
    last_answer_ = now;
    if (kind >= kinds_.size()) kinds_.resize(kind + 1);
    Kind& k = kinds_[kind];
    if (k.last != Clock::time_point{} && now - k.last >= kIdle) {
        k.base = 0;  // the route may have changed meanwhile
        k.over = false;
    }
    k.last = now;
    if (next_probe_ == Clock::time_point{}) next_probe_ = now + kProbeEvery;
    if (k.base == 0 || now >= next_probe_) probe_due_ = true;
    if (ticket.sampled) {
        k.sum += std::chrono::duration<double>(latency).count();
        ++k.count;
    }
}

void AdaptiveLimit::release(const Ticket& ticket) {
    std::size_t opened = 0;  // requests that may start now
    {
        std::lock_guard lock(mutex_);
        --in_flight_;
        if (ticket.sampled) --outstanding_;
        if (phase_ == Phase::draining) {
            probe_when_drained();
        } else if (to_sample_ == 0 && outstanding_ == 0) {
            close_cohort();
        }
        const std::size_t free = room() > in_flight_ ? room() - in_flight_ : 0;
        opened = std::min(waiting_, free);
    }
    // As many waiters as there is room for: waking them all would put all but these back to
    // sleep (many threads wait when bulk work queues more requests than the limit).
    for (; opened > 0; --opened) room_.notify_one();
}

void AdaptiveLimit::open_cohort(std::size_t size) {
    to_sample_ = size;
    outstanding_ = 0;
    for (Kind& k : kinds_) k.sum = 0, k.count = 0;
}

void AdaptiveLimit::close_cohort() {
    if (phase_ == Phase::probing) {
        for (Kind& k : kinds_) {
            // A kind rarely sent takes what the probe saw of it.
            if (k.count >= kJudged || (k.base == 0 && k.count > 0)) {
                k.base = k.sum / static_cast<double>(k.count);
                k.over = false;
            }
        }
        phase_ = Phase::measuring;
        probe_due_ = false;
        next_probe_ = last_answer_ + kProbeEvery;
    } else {
        double grow = 0;
        double cut = 1;  // the least factor any kind asks for (one cut per cohort)
        for (Kind& k : kinds_) {
            if (k.count < kJudged || k.base == 0) continue;
            const double average = k.sum / static_cast<double>(k.count);
            if (average <= kQueueing * k.base) {
                k.over = false;
                grow += static_cast<double>(k.count);
            } else if (!k.over) {
                k.over = true;  // one cohort may be noise; two in a row are queueing
            } else {
                k.over = false;
                cut = std::min(cut, std::max(0.5, k.base / average));  // back to the base
            }
        }
        if (cut < 1) {
            slow_start_ = false;
            limit_ = std::max(1.0, limit_ * cut);
        } else if (grow > 0) {
            limit_ = std::min(ceiling_, limit_ + (slow_start_ ? grow : grow / limit_));
        }
        if (probe_due_) {
            start_probe();
            return;
        }
    }
    open_cohort(std::max(kMinCohort, whole(limit_)));
}

void AdaptiveLimit::start_probe() {
    const std::size_t limit = whole(limit_);
    probe_cap_ = std::max(std::min<std::size_t>(limit, 4), limit / 4);
    phase_ = Phase::draining;
    to_sample_ = 0;
    probe_when_drained();
}

void AdaptiveLimit::probe_when_drained() {
    if (in_flight_ > probe_cap_) return;
    phase_ = Phase::probing;
    open_cohort(kProbeCohort);
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
