// A held shard's records per second.

#include "stream/throughput_meter.hpp"

#include <cmath>

namespace bloop::detail {

ThroughputMeter::ThroughputMeter(double stored, std::chrono::milliseconds window,
                                 Clock::time_point now)
    : window_(window), started_(now), rate_(stored), stored_(stored) {}

bool ThroughputMeter::add(std::size_t records, Clock::time_point now) {
    records_ += records;
    const std::chrono::duration<double> elapsed = now - started_;
    if (elapsed < window_) return false;
    const double sample = static_cast<double>(records_) / elapsed.count();
    double rate = (rate_.load() + sample) / 2;
    if (records_ == 0 && rate < 1) rate = 0;  // a quiet shard's rate reaches zero
    rate = std::round(rate * 100) / 100;
    rate_.store(rate);
    records_ = 0;
    started_ = now;
    return true;
}

bool ThroughputMeter::drifted() const noexcept {
    const double stored = stored_.load();
    const double change = std::abs(rate_.load() - stored);
    return change >= 1 && change > stored / 4;
}

}  // namespace bloop::detail
