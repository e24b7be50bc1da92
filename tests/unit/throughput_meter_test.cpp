// A held shard's records per second, as its lease carries it: averaged over windows, starting
// from the lease's own figure, decaying to zero when the shard goes quiet, and worth a write of
// its own only when it moved by a quarter and a record a second.

#include "stream/throughput_meter.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using bloop::detail::ThroughputMeter;

TEST(ThroughputMeter, EachWindowWeighsHalfStartingFromWhatTheLeaseSaid) {
    const auto t0 = ThroughputMeter::Clock::now();
    ThroughputMeter meter(40, 10s, t0);
    EXPECT_EQ(meter.rate(), 40);
    EXPECT_FALSE(meter.add(300, t0 + 5s));  // within the window: nothing yet
    EXPECT_EQ(meter.rate(), 40);
    EXPECT_TRUE(meter.add(300, t0 + 10s));  // 600 in 10 s: 60 a second
    EXPECT_EQ(meter.rate(), 50);
    EXPECT_FALSE(meter.drifted());  // 10 from the stored 40: less than a quarter
    EXPECT_TRUE(meter.add(1000, t0 + 20s));
    EXPECT_EQ(meter.rate(), 75);
    EXPECT_TRUE(meter.drifted());
    meter.stored(meter.rate());  // a lease write carried it
    EXPECT_FALSE(meter.drifted());
}

TEST(ThroughputMeter, AQuietShardReachesZeroAndSmallRatesAreNotWorthAWrite) {
    const auto t0 = ThroughputMeter::Clock::now();
    ThroughputMeter meter(3, 1s, t0);
    EXPECT_TRUE(meter.add(0, t0 + 1s));
    EXPECT_EQ(meter.rate(), 1.5);
    EXPECT_TRUE(meter.drifted());  // 1.5 from 3: half, and more than one a second
    meter.stored(1.5);
    EXPECT_TRUE(meter.add(0, t0 + 2s));
    EXPECT_EQ(meter.rate(), 0);  // below one a second with nothing read: quiet
    EXPECT_TRUE(meter.drifted());
    ThroughputMeter slow(0, 1s, t0);
    EXPECT_TRUE(slow.add(1, t0 + 1s));
    EXPECT_EQ(slow.rate(), 0.5);
    EXPECT_FALSE(slow.drifted());  // half a record a second: not worth a write
}

}  // namespace
