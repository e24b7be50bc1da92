#include <bloop/client/retry.hpp>

#include <algorithm>

namespace bloop {

std::chrono::milliseconds RetryPolicy::backoff_cap(int retry) const noexcept {
    if (retry < 1) return std::chrono::milliseconds(0);
    // Doubling past 2^30 only overflows; the cap is reached long before.
    const int shift = std::min(retry - 1, 30);
    const auto uncapped = base_delay.count() * (std::int64_t{1} << shift);
    return std::chrono::milliseconds(std::min<std::int64_t>(uncapped, max_delay.count()));
}

}  // namespace bloop
